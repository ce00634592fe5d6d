import assert from 'node:assert/strict';
import { test } from 'node:test';
import { valueTypeOf } from './ast.ts';
import { PromQLError } from './errors.ts';
import { parseExpr } from './parser.ts';

const VALID: { expr: string; type: string }[] = [
  {
    expr: 'histogram_quantile(0.99, sum by (le, model_version) (rate(ml_inference_latency_seconds_bucket[5m])))',
    type: 'vector',
  },
  { expr: 'DCGM_FI_DEV_FB_USED / (DCGM_FI_DEV_FB_USED + DCGM_FI_DEV_FB_FREE) > 0.9', type: 'vector' },
  { expr: 'foo[5m:1m] offset 1m', type: 'matrix' },
  { expr: 'foo @ start()', type: 'vector' },
  { expr: '1 + 2 * 3', type: 'scalar' },
  { expr: '"a string"', type: 'string' },
  { expr: 'time()', type: 'scalar' },
  { expr: '{__name__=~"ml_.*", job!=""}', type: 'vector' },
  { expr: 'a + on(x) group_left(y) b', type: 'vector' },
  { expr: 'count_values("v", x)', type: 'vector' },
];

for (const { expr, type } of VALID) {
  test(`parses ${expr}`, () => {
    assert.equal(valueTypeOf(parseExpr(expr)), type);
  });
}

test('offset and @ attach to the selector inside a range', () => {
  const expr = parseExpr('rate(foo[5m] offset 1m @ 100)');
  assert.equal(expr.kind, 'call');
  const arg = expr.args[0];
  assert.equal(arg?.kind, 'matrix_selector');
  const selector = arg.selector;
  assert.equal(selector.offsetMs, 60_000);
  assert.deepEqual(selector.at, { timestampMs: 100_000 });
});

test('unary minus binds looser than ^ as in Prometheus', () => {
  const expr = parseExpr('-2 ^ 2');
  assert.equal(expr.kind, 'unary');
});

test('durations, hex and Inf literals', () => {
  const sum = parseExpr('0x10 + 1m');
  assert.equal(sum.kind, 'binary');
  const { lhs, rhs } = sum;
  assert.deepEqual([lhs.kind === 'number' && lhs.value, rhs.kind === 'number' && rhs.value], [16, 60]);
});

const INVALID: { expr: string; message: RegExp }[] = [
  { expr: 'sum(', message: /parse error/ },
  { expr: 'rate(foo)', message: /expected type range vector in call to function "rate", got instant vector/ },
  { expr: '{}', message: /vector selector must contain at least one non-empty matcher/ },
  { expr: '{job=~".*"}', message: /at least one non-empty matcher/ },
  { expr: '1 > 2', message: /comparisons between scalars must use BOOL modifier/ },
  { expr: '1 and 2', message: /set operator "and" not allowed in binary scalar expression/ },
  { expr: 'a and on(x) group_left b', message: /no grouping allowed for "and" operation/ },
  {
    expr: 'sum(foo[5m])',
    message: /expected type instant vector in aggregation expression, got range vector/,
  },
  { expr: 'foo offset 1m offset 2m', message: /offset may not be set multiple times/ },
  {
    expr: 'rate(foo[5m]) offset 1m',
    message: /offset modifier must be preceded by an instant vector selector/,
  },
  { expr: 'nonexistent_function(foo)', message: /parse error/ },
  { expr: 'round(foo, 1, 2)', message: /expected at most 2 argument\(s\) in call to "round", got 3/ },
  { expr: 'a + on(x) group_left(x) b', message: /label "x" must not occur in ON and GROUP clause at once/ },
  { expr: '', message: /no expression found in input/ },
];

for (const { expr, message } of INVALID) {
  test(`rejects ${JSON.stringify(expr)}`, () => {
    assert.throws(
      () => parseExpr(expr),
      (error: unknown) =>
        error instanceof PromQLError && error.type === 'bad_data' && message.test(error.message),
    );
  });
}
