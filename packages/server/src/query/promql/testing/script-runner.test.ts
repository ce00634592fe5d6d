import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { QueryResult } from '../engine.ts';
import { PromQLError } from '../errors.ts';
import { labelsKey } from '../labels.ts';
import type { SeriesSource } from '../series-source.ts';
import { isStaleNaN, type RangeSeries, type Sample } from '../values.ts';
import { runTestScript, type ConformanceEngine, type EvalOutcome, type RunOptions } from './script-runner.ts';

const LOOKBACK_MS = 5 * 60_000;

/**
 * A tiny stand-in engine, so the runner is tested apart from Vigil's evaluator: a bare metric
 * name selects its latest sample within the lookback, a number is a scalar, a quoted text a
 * string, `error` fails, `crash` throws a TypeError, `warned(x)` adds a warning, `reversed(x)`
 * returns x in descending label order (range results too), and `drift(x)` answers range queries
 * with x + 1.
 */
class FakeEngine implements ConformanceEngine {
  constructor(private readonly source: SeriesSource) {}

  async instantQuery(query: string, timeMs: number): Promise<QueryResult> {
    return this.evaluate(query, timeMs, false);
  }

  async rangeQuery(query: string, startMs: number, endMs: number, stepMs: number): Promise<QueryResult> {
    const seriesByKey = new Map<string, RangeSeries>();
    const warnings: string[] = [];
    for (let timeMs = startMs; timeMs <= endMs; timeMs += stepMs) {
      const result = await this.evaluate(query, timeMs, true);
      warnings.push(...result.warnings);
      const samples: Sample[] =
        result.value.type === 'vector'
          ? result.value.samples
          : result.value.type === 'scalar'
            ? [{ labels: new Map(), timestampMs: timeMs, value: result.value.value }]
            : [];
      for (const sample of samples) {
        const key = labelsKey(sample.labels);
        const series = seriesByKey.get(key) ?? { labels: sample.labels, timestampsMs: [], values: [] };
        seriesByKey.set(key, series);
        series.timestampsMs.push(timeMs);
        series.values.push(sample.value);
      }
    }
    const series = [...seriesByKey.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, one]) => one);
    if (query.startsWith('reversed(')) series.reverse();
    return { value: { type: 'matrix', series }, warnings: [...new Set(warnings)], infos: [] };
  }

  private async evaluate(query: string, timeMs: number, inRange: boolean): Promise<QueryResult> {
    const result = (value: QueryResult['value'], warnings: string[] = []): QueryResult => ({
      value,
      warnings,
      infos: [],
    });
    if (/^[0-9.]+$/.test(query)) return result({ type: 'scalar', timestampMs: timeMs, value: Number(query) });
    if (query.startsWith('"'))
      return result({ type: 'string', timestampMs: timeMs, value: query.slice(1, -1) });
    if (query === 'error') throw new PromQLError('execution', 'boom: something failed');
    if (query === 'crash') throw new TypeError('engine bug');
    const wrapper = /^(\w+)\((\w+)\)$/.exec(query);
    const name = wrapper?.[2] ?? query;
    let samples = await this.latest(name, timeMs);
    if (wrapper?.[1] === 'reversed')
      samples = [...samples].sort((a, b) => (labelsKey(a.labels) < labelsKey(b.labels) ? 1 : -1));
    if (wrapper?.[1] === 'drift' && inRange)
      samples = samples.map((sample) => ({ ...sample, value: sample.value + 1 }));
    return result({ type: 'vector', samples }, wrapper?.[1] === 'warned' ? ['PromQL warning: careful'] : []);
  }

  private async latest(name: string, timeMs: number): Promise<Sample[]> {
    const stored = await this.source.select(
      [{ name: '__name__', type: '=', value: name }],
      timeMs - LOOKBACK_MS + 1,
      timeMs,
    );
    const samples: Sample[] = [];
    for (const series of stored) {
      const last = series.values.length - 1;
      const value = series.values[last] ?? NaN;
      if (last >= 0 && !isStaleNaN(value))
        samples.push({ labels: series.labels, timestampMs: timeMs, value });
    }
    return samples;
  }
}

const FAKE: RunOptions = { engineFactory: (source) => new FakeEngine(source), atModifierVariants: false };

async function run(script: string, options: RunOptions = {}): Promise<EvalOutcome[]> {
  return runTestScript('fake.test', script, { ...FAKE, ...options });
}

async function single(script: string, options: RunOptions = {}): Promise<EvalOutcome> {
  const outcomes = await run(script, options);
  assert.equal(outcomes.length, 1, JSON.stringify(outcomes));
  return outcomes[0] as EvalOutcome;
}

const LOAD = 'load 1m\n  x{a="1"} 1 2 3 stale\n  x{a="2"} 10 _ 30\n\n';

describe('runTestScript', () => {
  const cases: [string, string, EvalOutcome['status'], RegExp?][] = [
    ['instant values', 'eval instant at 1m x\n  x{a="1"} 2\n  x{a="2"} 10\n', 'pass'],
    [
      'a wrong value',
      'eval instant at 1m x\n  x{a="1"} 2\n  x{a="2"} 11\n',
      'fail',
      /expected 11 for x\{a="2"\} but got 10/,
    ],
    ['relative tolerance 1e-6', 'eval instant at 1m x\n  x{a="1"} 2.0000001\n  x{a="2"} 10\n', 'pass'],
    ['an unexpected series', 'eval instant at 1m x\n  x{a="1"} 2\n', 'fail', /unexpected metric x\{a="2"\}/],
    [
      'a missing series',
      'eval instant at 1m x\n  x{a="1"} 2\n  x{a="2"} 10\n  x{a="3"} 1\n',
      'fail',
      /expected metric x\{a="3"\} with 1 not found/,
    ],
    ['stale markers end a series', 'eval instant at 3m x\n  x{a="2"} 30\n', 'pass'],
    [
      'range results per step with gaps',
      'eval range from 0 to 4m step 1m x\n  x{a="1"} 1 2 3 _ _\n  x{a="2"} 10 10 30 30 30\n',
      'pass',
    ],
    [
      'a range point too many',
      'eval range from 0 to 4m step 1m x\n  x{a="1"} 1 2 3 3 _\n  x{a="2"} 10 10 30 30 30\n',
      'fail',
      /expected 4 float points/,
    ],
    [
      'more range values than steps',
      'eval range from 0 to 1m step 1m x\n  x{a="1"} 1 2 3\n  x{a="2"} 10 10\n',
      'fail',
      /cannot return this many points/,
    ],
    ['scalars', 'eval instant at 0 42\n  42\n', 'pass'],
    ['a wrong scalar', 'eval instant at 0 42\n  41\n', 'fail', /expected scalar 41 but got 42/],
    [
      'a scalar where a vector is expected',
      'eval instant at 0 42\n  x 42\n',
      'fail',
      /expected vector or matrix result/,
    ],
    ['strings', 'eval instant at 0 "hi"\n  expect string "hi"\n', 'pass'],
    [
      'a wrong string',
      'eval instant at 0 "hi"\n  expect string "ho"\n',
      'fail',
      /expected string "ho" but got "hi"/,
    ],
    ['expect fail', 'eval instant at 0 error\n  expect fail\n', 'pass'],
    ['expect fail msg', 'eval instant at 0 error\n  expect fail msg: boom: something failed\n', 'pass'],
    ['expect fail regex', 'eval instant at 0 error\n  expect fail regex: some.*ed$\n', 'pass'],
    [
      'a wrong error message',
      'eval instant at 0 error\n  expect fail msg: other\n',
      'fail',
      /expected error matching message "other", but got: boom/,
    ],
    [
      'eval_fail with expected_fail_message',
      'eval_fail instant at 0 error\n  expected_fail_message boom: something failed\n',
      'pass',
    ],
    [
      'no error where one is expected',
      'eval_fail range from 0 to 1m step 1m x\n',
      'fail',
      /expected error evaluating query but got none/,
    ],
    ['an unexpected error', 'eval instant at 0 error\n', 'fail', /error evaluating query: boom/],
    [
      'an engine crash, even with expect fail',
      'eval instant at 0 crash\n  expect fail\n',
      'fail',
      /non-PromQL error: TypeError: engine bug/,
    ],
    [
      'expect warn msg',
      'eval instant at 1m warned(x)\n  expect warn msg: PromQL warning: careful\n  x{a="1"} 2\n  x{a="2"} 10\n',
      'pass',
    ],
    [
      'a missing warning',
      'eval instant at 1m x\n  expect warn\n  x{a="1"} 2\n  x{a="2"} 10\n',
      'fail',
      /expected warn annotations but none were found/,
    ],
    [
      'an unmatched warning',
      'eval instant at 1m warned(x)\n  expect warn msg: other\n  x{a="1"} 2\n  x{a="2"} 10\n',
      'fail',
      /expected warn annotation matching message "other"/,
    ],
    [
      'expect no_warn',
      'eval instant at 1m warned(x)\n  expect no_warn\n  x{a="1"} 2\n  x{a="2"} 10\n',
      'fail',
      /unexpected warn annotations/,
    ],
    ['warnings without expect lines', 'eval instant at 1m warned(x)\n  x{a="1"} 2\n  x{a="2"} 10\n', 'pass'],
    [
      'eval_warn',
      'eval_warn range from 0 to 1m step 1m warned(x)\n  x{a="1"} 1 2\n  x{a="2"} 10 10\n',
      'pass',
    ],
    [
      'expect ordered',
      'eval instant at 1m reversed(x)\n  expect ordered\n  x{a="2"} 10\n  x{a="1"} 2\n',
      'pass',
    ],
    [
      'a wrong order',
      'eval instant at 1m x\n  expect ordered\n  x{a="2"} 10\n  x{a="1"} 2\n',
      'fail',
      /at position 2 but was at 1/,
    ],
    [
      'range mode must agree with the instant query',
      'eval instant at 1m drift(x)\n  x{a="1"} 2\n  x{a="2"} 10\n',
      'fail',
      /range mode: expected 2 for x\{a="1"\} but got 3/,
    ],
    [
      'an unsorted range result',
      'eval range from 0 to 1m step 1m reversed(x)\n  x{a="1"} 1 2\n  x{a="2"} 10 10\n',
      'fail',
      /matrix results should always be sorted by labels/,
    ],
  ];
  for (const [name, block, status, reason] of cases) {
    test(name, async () => {
      const outcome = await single(`${LOAD}${block}`);
      assert.equal(outcome.status, status, outcome.reason);
      if (reason) assert.match(outcome.reason, reason);
      assert.equal(outcome.file, 'fake.test');
      assert.equal(outcome.line, 5);
    });
  }

  test('range mode can be switched off', async () => {
    const outcome = await single(`${LOAD}eval instant at 1m drift(x)\n  x{a="1"} 2\n  x{a="2"} 10\n`, {
      rangeMode: false,
    });
    assert.equal(outcome.status, 'pass');
  });

  test('failures carry the query, expected and got in test-script syntax', async () => {
    const outcome = await single(
      `${LOAD}eval range from 0 to 2m step 1m x\n  x{a="1"} 1 2 4\n  x{a="2"} 10 10 30\n`,
    );
    assert.deepEqual(outcome.details, {
      query: 'range query from 0s to 2m step 1m',
      expected: ['x{a="1"} 1 2 4', 'x{a="2"} 10 10 30'],
      got: ['x{a="1"} 1 2 3', 'x{a="2"} 10 10 30'],
    });
  });

  test('clear empties the storage; line numbers are the eval lines', async () => {
    const outcomes = await run(
      `${LOAD}eval instant at 1m x{a="1"}\n  x{a="1"} 2\n\nclear\n\neval instant at 1m x\n`,
    );
    assert.deepEqual(
      outcomes.map((outcome) => [outcome.line, outcome.status]),
      [
        [5, 'fail'],
        [10, 'pass'],
      ],
    );
  });

  test('the line option runs one eval', async () => {
    const outcomes = await run(`${LOAD}eval instant at 1m x\n\neval instant at 0 42\n  42\n`, { line: 7 });
    assert.deepEqual(
      outcomes.map((outcome) => [outcome.line, outcome.status]),
      [[7, 'pass']],
    );
  });

  test('a block that does not parse is a failure', async () => {
    const outcome = await single(`${LOAD}eval instant at 1m x\n  x{a="1"} 1 2\n`);
    assert.equal(outcome.status, 'fail');
    assert.match(
      outcome.reason,
      /cannot parse block: line 6: expecting multiple values in instant evaluation not allowed/,
    );
  });

  test('native histograms: expected {{…}} is skipped; a failing query that read histogram samples is skipped', async () => {
    const script = 'load 1m\n  h{a="1"} 1 {{count:1}}\n  h{a="2"} 5 6\n\n';
    const expectsHistogram = await single(
      `${script}eval instant at 1m h\n  h{a="1"} {{count:1}}\n  h{a="2"} 6\n`,
    );
    assert.equal(expectsHistogram.status, 'skip');
    assert.match(expectsHistogram.reason, /^native histogram: the expected result contains/);
    const readsHistogram = await single(`${script}eval instant at 1m h\n  h{a="2"} 6\n`);
    assert.equal(readsHistogram.status, 'skip', readsHistogram.reason);
    assert.match(
      readsHistogram.reason,
      /^native histogram: the query reads h, loaded with native histogram samples; it failed with: unexpected metric h\{a="1"\}/,
    );
    // A query that read histogram samples and still gives the expected result counts as a pass.
    const passesAnyway = await single(`${script}eval instant at 1m h\n  h{a="1"} 1\n  h{a="2"} 6\n`);
    assert.equal(passesAnyway.status, 'pass', passesAnyway.reason);
  });

  test('load_with_nhcb loads the classic series and records the NHCB series as histograms', async () => {
    const script = 'load_with_nhcb 1m\n  t_bucket{le="1"} 1\n  t_bucket{le="+Inf"} 2\n\n';
    const classic = await single(
      `${script}eval instant at 0 t_bucket\n  t_bucket{le="1"} 1\n  t_bucket{le="+Inf"} 2\n`,
    );
    assert.equal(classic.status, 'pass', classic.reason);
    const native = await single(`${script}eval instant at 0 t\n  {} 3\n`);
    assert.equal(native.status, 'skip', native.reason);
  });
});
