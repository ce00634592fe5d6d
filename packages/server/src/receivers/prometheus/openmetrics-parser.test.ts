import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExpositionParseError } from './exposition.ts';
import { parseOpenMetrics } from './openmetrics-parser.ts';

test('timestamps are seconds with fractions, stored as whole milliseconds', () => {
  const cases: Array<[string, number]> = [['1', 1000], ['1.5', 1500], ['000', 0], ['1.5e3', 1_500_000], ['-1.25', -1250], ['0.0001', 0]];
  for (const [written, timestampMs] of cases) {
    const { samples } = parseOpenMetrics(`m 1 ${written}\n# EOF\n`);
    assert.equal(samples[0]?.timestampMs, timestampMs, written);
  }
});

test('exemplars: labels, value and optional timestamp', () => {
  const body = '# TYPE req counter\nreq_total 3 10 # {trace_id="abc",span_id="d"} 1.0 123.456\nreq_created 1.5 10\n# EOF\n';
  const [total, created] = parseOpenMetrics(body, { strict: true }).samples;
  assert.deepEqual(total?.exemplar, { labels: new Map([['trace_id', 'abc'], ['span_id', 'd']]), value: 1, timestampMs: 123456 });
  assert.equal(total?.timestampMs, 10_000);
  assert.equal(created?.exemplar, undefined);
  const noTimestamp = parseOpenMetrics('a_bucket{le="+Inf"} 1 # {a="b # c"} 0.5\n# EOF\n').samples[0];
  assert.deepEqual(noTimestamp?.exemplar, { labels: new Map([['a', 'b # c']]), value: 0.5 });
});

test('exemplar label set is limited to 128 code points', () => {
  const body = (value: string) => `# TYPE a counter\na_total 1 # {a="${value}"} 1\n# EOF\n`;
  assert.doesNotThrow(() => parseOpenMetrics(body('x'.repeat(127))));
  assert.doesNotThrow(() => parseOpenMetrics(body('😀'.repeat(127))));
  assert.throws(() => parseOpenMetrics(body('x'.repeat(128))), ExpositionParseError);
});

test('metadata: HELP escaping (\\\\ \\n \\"), TYPE and UNIT make one family', () => {
  const { families } = parseOpenMetrics('# TYPE t_seconds gauge\n# UNIT t_seconds seconds\n# HELP t_seconds a\\\\b\\n\\"c\\" \\t\nt_seconds 1\n# EOF');
  assert.deepEqual(families, [{ name: 't_seconds', type: 'gauge', help: 'a\\b\n"c" \\t', unit: 'seconds' }]);
});

test('syntax errors in both modes', () => {
  const cases: Array<[string, number]> = [
    ['a 1\n', 1],
    ['a 1\n# EOF\nb 1\n', 3],
    ['a 1\n\n# EOF\n', 2],
    ['a  1\n# EOF\n', 1],
    ['a 1 \n# EOF\n', 1],
    ['a 1 NaN\n# EOF\n', 1],
    ['# TYPE a untyped\n# EOF\n', 1],
    ['# UNIT a seconds\n# EOF\n', 1],
    ['# comment\n# EOF\n', 1],
    ['a_total 1 # {a="b"} 1 Inf\n# EOF\n', 1],
    ['a_total 1 #{a="b"} 1\n# EOF\n', 1],
  ];
  for (const [body, line] of cases) {
    for (const strict of [false, true]) {
      assert.throws(() => parseOpenMetrics(body, { strict }), (error: unknown) => error instanceof ExpositionParseError && error.line === line, `${body} strict=${strict}`);
    }
  }
});

test('validity rules apply in strict mode only (Prometheus does not check them)', () => {
  const bodies = [
    '# TYPE a counter\na_total -1\n# EOF\n',
    '# TYPE a histogram\na_bucket{le="1"} 1\n# EOF\n',
    '# TYPE a gauge\na 1 # {a="b"} 1\n# EOF\n',
    '# TYPE a gauge\na 0 2\na 0 1\n# EOF\n',
    'a{x="1"} 1\nb 1\na{x="2"} 1\n# EOF\n',
  ];
  for (const body of bodies) {
    assert.doesNotThrow(() => parseOpenMetrics(body), body);
    assert.throws(() => parseOpenMetrics(body, { strict: true }), ExpositionParseError, body);
  }
});
