import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { labelsFrom } from '../labels.ts';
import { STALE_NAN } from '../values.ts';
import { almostEqual, compareLabelSets } from './result-compare.ts';

describe('almostEqual (util/almost.Equal, epsilon 1e-6)', () => {
  const cases: [number, number, boolean][] = [
    [1, 1, true],
    [1, 1 + 1e-7, true],
    [1, 1 + 1e-5, false],
    [1e300, 1.0000001e300, true],
    [-5, 5, false],
    [0, 0, true],
    [0, 1e-300, false],
    [0, 5e-324, true],
    [NaN, NaN, true],
    [NaN, STALE_NAN, true],
    [NaN, 0, false],
    [Infinity, Infinity, true],
    [Infinity, -Infinity, false],
    [Infinity, Number.MAX_VALUE, false],
  ];
  for (const [a, b, equal] of cases) {
    test(`${a} vs ${b}`, () => {
      assert.equal(almostEqual(a, b), equal);
      assert.equal(almostEqual(b, a), equal);
    });
  }
});

describe('compareLabelSets (labels.Compare)', () => {
  const cases: [Record<string, string>, Record<string, string>, number][] = [
    [{ a: 'a' }, { a: 'aa' }, -1],
    [{ a: 'a', b: 'abb' }, { a: 'aa', b: 'bb' }, -1],
    [{ a: 'x' }, { b: 'a' }, -1],
    [{ a: 'x' }, { a: 'x', b: 'y' }, -1],
    [{ __name__: 'm', a: 'x' }, { __name__: 'm', a: 'x' }, 0],
  ];
  for (const [a, b, sign] of cases) {
    test(`${JSON.stringify(a)} vs ${JSON.stringify(b)}`, () => {
      assert.equal(Math.sign(compareLabelSets(labelsFrom(a), labelsFrom(b))), sign);
      assert.equal(Math.sign(compareLabelSets(labelsFrom(b), labelsFrom(a))), sign === 0 ? 0 : -sign);
    });
  }
});
