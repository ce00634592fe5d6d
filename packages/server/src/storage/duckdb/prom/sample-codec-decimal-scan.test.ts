import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ANY_EXPONENT,
  coarsestExponent,
  decimalValue,
  mantissaAt,
  NOT_DECIMAL,
  scanExponents,
} from './sample-codec-decimal-scan.ts';

test('coarsestExponent finds the fewest digits that give a value back (within one ulp)', () => {
  const cases: [number, number][] = [
    [45, 0],
    [40, 1],
    [-1500, 2],
    [0.95, -2],
    [0.123456789, -9],
    [12.3, -1],
    [0.30000000000000004, -1], // 3 * 0.1: one ulp above 0.3
    [999.9000000000001, -1], // 9999 * 0.1: one ulp above 999.9
    [1e22, 22],
    [1.5e20, 19],
    [2 ** 60, 3], // 1152921504606846976 is 1152921504606847 × 10^3 rounded
    [1 / 3, -16],
    [5e-324, 22], // 0 plus one ulp, at any exponent
    [0, ANY_EXPONENT],
    [-0, NOT_DECIMAL],
    [Number.NaN, NOT_DECIMAL],
    [Infinity, NOT_DECIMAL],
    [-Infinity, NOT_DECIMAL],
    [1.5e-30, NOT_DECIMAL], // 10^30 is not an exact double
    [Math.PI * 1e10, -5], // 16 significant digits
    [Math.PI * 2 ** -80, NOT_DECIMAL], // 2.6e-24 with 16 digits needs 10^-40
  ];
  for (const [value, expected] of cases) {
    for (const start of [0, -5, 5])
      assert.equal(coarsestExponent(value, start), expected, `${value} from ${start}`);
  }
});

test('a value is its decimal, or one ulp from it, at its coarsest exponent and finer ones', () => {
  for (const value of [45, 0.95, 999.9000000000001, 1.5e20, -0.123456789]) {
    const coarsest = coarsestExponent(value, 0);
    for (const exponent of [coarsest, coarsest - 1, coarsest - 3]) {
      const decimal = decimalValue(mantissaAt(value, exponent), exponent);
      assert.ok(Math.abs(decimal - value) <= Math.abs(value) * 2.3e-16, `${value} at ${exponent}`);
    }
  }
});

test('scanExponents offers the finest exponent and coarser ones that cost few exceptions', () => {
  const tenths = Float64Array.from({ length: 100 }, (_, i) => i / 10);
  const cases: [string, Float64Array, number[]][] = [
    ['tenths', tenths, [-1]],
    [
      'integers, one in ten a tenth',
      Float64Array.from({ length: 100 }, (_, i) => (i % 10 === 1 ? i / 10 : i)),
      [-1, 0],
    ],
    [
      'integers, half of them tenths',
      Float64Array.from({ length: 100 }, (_, i) => (i % 2 ? i : i / 10 + 0.1)),
      [-1],
    ],
    ['tenths with one thousandth', Float64Array.from(tenths).fill(0.123, 50, 51), [-3, -1]],
    ['zeros', new Float64Array(10), [0]],
    ['NaNs', new Float64Array(10).fill(Number.NaN), []],
  ];
  for (const [name, values, candidates] of cases) {
    assert.deepEqual(scanExponents(values, values.length).candidates, candidates, name);
  }
});
