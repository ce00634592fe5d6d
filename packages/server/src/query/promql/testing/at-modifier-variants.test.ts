import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { atModifierVariants } from './at-modifier-variants.ts';

describe('atModifierVariants (promqltest atModifierTestCases)', () => {
  test('pins selectors at the eval time and runs at -10t, 0, t/5, t and 10t', () => {
    const variants = atModifierVariants('rate(x[5m])', 100_000);
    assert.deepEqual(
      variants.map((variant) => variant.timeMs),
      [-1_000_000, 0, 20_000, 100_000, 1_000_000],
    );
    assert.ok(
      variants.every((variant) => variant.expr === 'rate(x[5m] @ 100.000)'),
      variants[0]?.expr,
    );
  });

  test('at time 0 the times are -1s, 0 and 1s', () => {
    assert.deepEqual(
      atModifierVariants('x', 0).map((variant) => variant.timeMs),
      [-1000, 0, 1000],
    );
  });

  test('selectors with a fixed @ keep it; @ start() is overwritten', () => {
    const [variant] = atModifierVariants('x @ 50 + y @ start()', 10_000);
    assert.equal(variant?.expr, 'x @ 50.000 + y @ 10.000');
  });

  test('only the outermost subquery is pinned', () => {
    const [variant] = atModifierVariants('max_over_time(rate(x[1m])[5m:1m])', 60_000);
    assert.equal(variant?.expr, 'max_over_time(rate(x[1m])[5m:1m] @ 60.000)');
  });

  test('expressions with time-dependent functions, or that do not parse, get no variants', () => {
    for (const expr of [
      'time() - x',
      'timestamp(x)',
      'hour(x)',
      'predict_linear(x[5m], 60)',
      'start()',
      'vector(step())',
      'sum(',
    ]) {
      assert.deepEqual(atModifierVariants(expr, 60_000), [], expr);
    }
  });
});
