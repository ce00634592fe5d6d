import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isStaleNaN } from '../values.ts';
import { parseSeriesDescriptor } from './series-descriptor.ts';
import type { SequenceValue } from './sequence-values.ts';
import { parseTestScript, type EvalCommand, type ScriptCommand } from './test-script.ts';

/** Values in the compact test-script spelling: numbers, `_`, `stale`, `H` for a histogram. */
function spell(values: readonly SequenceValue[]): string {
  return values
    .map((value) =>
      value.kind === 'omitted'
        ? '_'
        : value.kind === 'histogram'
          ? 'H'
          : isStaleNaN(value.value)
            ? 'stale'
            : String(value.value),
    )
    .join(' ');
}

function onlyEval(script: string): EvalCommand {
  const commands = parseTestScript(script);
  const evals = commands.filter((command): command is EvalCommand => command.kind === 'eval');
  assert.equal(evals.length, 1, JSON.stringify(commands.filter((command) => command.kind === 'invalid')));
  return evals[0] as EvalCommand;
}

function invalidMessages(commands: readonly ScriptCommand[]): string[] {
  return commands.flatMap((command) =>
    command.kind === 'invalid' ? [`${command.line}: ${command.message}`] : [],
  );
}

describe('value expansion (generated_parser.y series_item)', () => {
  const cases: [string, string][] = [
    ['1', '1'],
    ['1 2 3', '1 2 3'],
    ['0+10x3', '0 10 20 30'],
    ['10-2x2', '10 8 6'],
    ['-1-1x2', '-1 -2 -3'],
    ['-5+2x1', '-5 -3'],
    ['+3', '3'],
    ['7x2', '7 7 7'],
    ['_', '_'],
    ['_x3', '_ _ _'],
    ['1 _x2 4', '1 _ _ 4'],
    ['stale', 'stale'],
    ['1 stale 2', '1 stale 2'],
    ['stalex2', 'error'],
    ['Inf -Inf NaN', 'Infinity -Infinity NaN'],
    ['inf nan', 'Infinity NaN'],
    ['1e3 .5 1.5e-1', '1000 0.5 0.15'],
    ['1_000', '1000'],
    ['010', '8'],
    // Hex is disallowed in series values: `0x3` is 0 repeated.
    ['0x3', '0 0 0 0'],
    ['1+1x0', '1'],
    ['0.1+0.1x2', `0.1 0.2 ${0.1 + 0.1 + 0.1}`],
    ['{{schema:1 sum:3 count:22 buckets:[5 10 7]}}', 'H'],
    ['{{count:1}}x2', 'H H H'],
    ['{{count:1}}+{{count:2}}x1 5', 'H H 5'],
    ['1 + 2', 'error'],
    ['1x', 'error'],
    ['foo', 'error'],
    ['1+2', 'error'],
    ['1m', 'error'],
  ];
  for (const [values, expected] of cases) {
    test(`metric ${values} → ${expected}`, () => {
      if (expected === 'error') {
        assert.throws(() => parseSeriesDescriptor(`metric ${values}`), { name: 'SeriesSyntaxError' });
        return;
      }
      assert.equal(spell(parseSeriesDescriptor(`metric ${values}`).values), expected);
    });
  }

  test('stale is the stale-marker NaN', () => {
    const [value] = parseSeriesDescriptor('m stale').values;
    assert.ok(value?.kind === 'float' && isStaleNaN(value.value));
  });

  test('consecutive whitespace and tabs separate values; trailing whitespace is allowed', () => {
    assert.equal(spell(parseSeriesDescriptor('m\t1   2\t\t3 ').values), '1 2 3');
  });
});

describe('series descriptors', () => {
  const cases: [string, Record<string, string> | 'error'][] = [
    ['up 1', { __name__: 'up' }],
    ['up{job="api", instance="a:1"} 1', { __name__: 'up', job: 'api', instance: 'a:1' }],
    ['up{job="api",} 1', { __name__: 'up', job: 'api' }],
    ['{__name__="up", job="x"} 1', { __name__: 'up', job: 'x' }],
    ['{job="x"} 1', { job: 'x' }],
    ['{} 1', {}],
    ['ns:metric:rate5m{a="b"} 1', { __name__: 'ns:metric:rate5m', a: 'b' }],
    ['{"metric.with.dots", "label.name"="v"} 1', { __name__: 'metric.with.dots', 'label.name': 'v' }],
    ["m{a='single', b=`raw\\n`} 1", { __name__: 'm', a: 'single', b: 'raw\\n' }],
    ['m{a="esc\\"aped\\n"} 1', { __name__: 'm', a: 'esc"aped\n' }],
    ['m{a="\\xc3\\xa9"} 1', { __name__: 'm', a: 'é' }],
    ['m{a=""} 1', { __name__: 'm' }],
    ['sum{by="x"} 1', { __name__: 'sum', by: 'x' }],
    ['m{a="b"}', { __name__: 'm', a: 'b' }],
    ['m {a="b"} 1', 'error'],
    ['m{a=~"b"} 1', 'error'],
    ['m{a="b" 1', 'error'],
    ['m{1a="b"} 1', 'error'],
    ['m{a="b"}1', 'error'],
  ];
  for (const [line, expected] of cases) {
    test(line, () => {
      if (expected === 'error') {
        assert.throws(() => parseSeriesDescriptor(line), { name: 'SeriesSyntaxError' });
        return;
      }
      assert.deepEqual(Object.fromEntries(parseSeriesDescriptor(line).labels), expected);
    });
  }
});

describe('load and clear', () => {
  test('load keeps interval, series lines and line numbers; a repeated label set replaces the earlier line', () => {
    const commands = parseTestScript('# comment\nload 1m30s\n  a{x="1"} 1 2\n  b 3\n  a{x="1"} 9\n\nclear\n');
    assert.deepEqual(invalidMessages(commands), []);
    const [load, clear] = commands;
    assert.ok(load?.kind === 'load');
    assert.equal(load.line, 2);
    assert.equal(load.intervalMs, 90_000);
    assert.equal(load.withNhcb, false);
    assert.deepEqual(
      load.series.map((series) => [Object.fromEntries(series.labels), spell(series.values), series.line]),
      [
        [{ __name__: 'a', x: '1' }, '9', 5],
        [{ __name__: 'b' }, '3', 4],
      ],
    );
    assert.deepEqual(clear, { kind: 'clear', line: 7 });
  });

  test('load_with_nhcb, @st lines and odd intervals', () => {
    const [load] = parseTestScript(
      'load_with_nhcb 10s53ms\n  x_bucket{le="1"} 1\n  x_bucket{le="1"}@st 0s\n',
    );
    assert.ok(load?.kind === 'load');
    assert.equal(load.withNhcb, true);
    assert.equal(load.intervalMs, 10_053);
    assert.equal(load.hasStartTimestamps, true);
    assert.equal(load.series.length, 1);
  });

  test('malformed blocks become invalid commands and parsing carries on', () => {
    const commands = parseTestScript(
      'load 1x\n  a 1\n\nfrobnicate\n\nload 1m\n  a 1 +\n\neval instant at 1m a\n  a 1\n',
    );
    assert.deepEqual(invalidMessages(commands), [
      '1: invalid step definition "1x"',
      '4: invalid command "frobnicate"',
      '6: line 7: unexpected end of series value (column 6)',
    ]);
    assert.equal(commands.filter((command) => command.kind === 'eval').length, 1);
  });
});

describe('eval headers', () => {
  const cases: [string, EvalCommand['query'] | 'error', string][] = [
    ['eval instant at 50m sum(x)', { type: 'instant', timeMs: 3_000_000 }, 'sum(x)'],
    ['eval instant at 0 x', { type: 'instant', timeMs: 0 }, 'x'],
    ['eval instant at 1h30m x  offset 5m', { type: 'instant', timeMs: 5_400_000 }, 'x  offset 5m'],
    ['eval instant at 20s500ms x', { type: 'instant', timeMs: 20_500 }, 'x'],
    ['eval_ordered instant at 1ms sort(x)', { type: 'instant', timeMs: 1 }, 'sort(x)'],
    [
      'eval range from 0 to 10m step 5m rate(x[5m])',
      { type: 'range', startMs: 0, endMs: 600_000, stepMs: 300_000 },
      'rate(x[5m])',
    ],
    [
      'eval_warn range from 1m to 2m step 30s x',
      { type: 'range', startMs: 60_000, endMs: 120_000, stepMs: 30_000 },
      'x',
    ],
    ['eval instant at 5x x', 'error', ''],
    ['eval range from 10m to 1m step 1m x', 'error', ''],
    ['eval_ordered range from 0 to 1m step 1m x', 'error', ''],
    ['eval sometime x', 'error', ''],
  ];
  for (const [header, query, expr] of cases) {
    test(header, () => {
      const commands = parseTestScript(`${header}\n`);
      if (query === 'error') {
        assert.equal(commands[0]?.kind, 'invalid');
        return;
      }
      const command = onlyEval(`${header}\n`);
      assert.deepEqual(command.query, query);
      assert.equal(command.expr, expr);
      assert.equal(command.line, 1);
    });
  }

  test('old eval_fail / eval_warn / eval_info / eval_ordered forms', () => {
    assert.equal(onlyEval('eval_fail instant at 0 x\n').fail.expected, true);
    assert.equal(onlyEval('eval_warn instant at 0 x\n').warn.required, true);
    assert.equal(onlyEval('eval_info instant at 0 x\n').info.required, true);
    assert.equal(onlyEval('eval_ordered instant at 0 x\n').ordered, true);
  });
});

describe('expectations', () => {
  test('expected series keep their 1-based position, not counting expect lines', () => {
    const command = onlyEval(
      'eval instant at 1m sort(x)\n  expect ordered\n  expect no_warn\n  x{a="1"} 1\n  x{a="2"} _\n',
    );
    assert.equal(command.ordered, true);
    assert.equal(command.warn.forbidden, true);
    assert.deepEqual(
      command.series.map((series) => [series.labels.get('a'), series.position, spell(series.values)]),
      [
        ['1', 1, '1'],
        ['2', 2, '_'],
      ],
    );
  });

  test('range evals take one value per step', () => {
    const command = onlyEval('eval range from 0 to 2m step 1m x\n  x 1 _ 3\n  {a="b"} 1+1x2\n');
    assert.deepEqual(
      command.series.map((series) => spell(series.values)),
      ['1 _ 3', '1 2 3'],
    );
  });

  test('instant evals take one value unless `expect range vector` is given', () => {
    assert.equal(parseTestScript('eval instant at 1m x\n  x 1 2\n')[0]?.kind, 'invalid');
    const command = onlyEval(
      'eval instant at 1m x[1m]\n  expect range vector from 10s to 1m step 10s\n  x 1 2 3 4 5 6\n',
    );
    assert.deepEqual(command.rangeVector, { startMs: 10_000, endMs: 60_000, stepMs: 10_000 });
    assert.equal(command.excludeFromRangeQuery, true);
    assert.equal(command.series[0]?.position, 2);
  });

  test('a bare number is a scalar and ends the block', () => {
    for (const [line, value] of [
      ['3', 3],
      ['-1.5', -1.5],
      ['0x10', 16],
      ['Inf', Infinity],
      ['-Inf', -Infinity],
      ['1e3', 1000],
    ] as const) {
      assert.equal(onlyEval(`eval instant at 0 x\n  ${line}\n`).scalar, value, line);
    }
    assert.ok(Number.isNaN(onlyEval('eval instant at 0 x\n  NaN\n').scalar));
    assert.deepEqual(invalidMessages(parseTestScript('eval instant at 0 1\n  1\n  x 1\n')), [
      '3: invalid command "x 1"',
    ]);
  });

  test('expect string takes one Go-quoted literal', () => {
    assert.equal(onlyEval('eval instant at 0 "a"\n  expect string "a\\tb"\n').string, 'a\tb');
    assert.equal(onlyEval('eval instant at 0 "a"\n  expect string `Foo`\n').string, 'Foo');
    assert.equal(onlyEval('eval instant at 0 ""\n  expect string ""\n').string, '');
    assert.equal(parseTestScript('eval instant at 0 "a"\n  expect string a\n')[0]?.kind, 'invalid');
    assert.equal(parseTestScript('eval instant at 0 "a"\n  expect string\n')[0]?.kind, 'invalid');
  });

  test('expect fail|warn|info with msg: and regex:', () => {
    const command = onlyEval(
      'eval instant at 0 x\n  expect fail msg: vector cannot contain metrics with the same labelset\n',
    );
    assert.deepEqual(command.fail, {
      expected: true,
      matchers: [{ kind: 'message', message: 'vector cannot contain metrics with the same labelset' }],
    });
    const annotated = onlyEval(
      'eval instant at 0 x\n  expect warn msg:PromQL warning: a\n  expect warn\n  expect info regex: b|c\n',
    );
    assert.deepEqual(annotated.warn.matchers, [
      { kind: 'message', message: 'PromQL warning: a' },
      { kind: 'any' },
    ]);
    const [regex] = annotated.info.matchers;
    assert.ok(regex?.kind === 'regex' && regex.regex.test('xcx'));
  });

  test('conflicting or malformed expect lines are rejected', () => {
    for (const lines of [
      'expect warn\n  expect no_warn',
      'expect info\n  expect no_info',
      'expect fail\n  expect fail',
      'expect sometimes',
      'expect fail regex: (',
    ]) {
      assert.equal(parseTestScript(`eval instant at 0 x\n  ${lines}\n`)[0]?.kind, 'invalid', lines);
    }
  });

  test('old expected_fail_message / expected_fail_regexp after eval_fail', () => {
    const exact = onlyEval('eval_fail instant at 0 x\n  expected_fail_message some error\n');
    assert.deepEqual(exact.fail.matchers, [{ kind: 'message', message: 'some error' }]);
    const regexp = onlyEval('eval_fail instant at 0 x\n  expected_fail_regexp some.*r\n');
    assert.ok(regexp.fail.matchers[0]?.kind === 'regex' && regexp.fail.matchers[0].regex.test('some error'));
  });

  test('a metric named expect is written expect{}', () => {
    const command = onlyEval('eval instant at 0 expect\n  expect{} 1\n');
    assert.equal(command.series[0]?.labels.get('__name__'), 'expect');
  });

  test('native histogram values mark the eval', () => {
    assert.equal(onlyEval('eval instant at 0 h\n  h {{count:1}}\n').nativeHistogram, true);
    assert.equal(onlyEval('eval instant at 0 h\n  h 1\n').nativeHistogram, false);
  });
});
