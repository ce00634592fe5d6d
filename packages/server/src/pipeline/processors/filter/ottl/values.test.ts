import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attrs } from '../../../../storage/contract-fixtures.ts';
import type { CompareOp } from './ast.ts';
import { OttlRuntimeError } from './parse-error.ts';
import type { OttlValue } from './values.ts';
import { applyMath, compareValues, stringLike } from './values.ts';

const OPS: CompareOp[] = ['==', '!=', '<', '<=', '>', '>='];

/** Expected results in OPS order: == != < <= > >= (pkg/ottl/compare_test.go shapes). */
const rows: { name: string; left: OttlValue; right: OttlValue; expected: boolean[] }[] = [
  { name: 'nil vs nil', left: null, right: null, expected: [true, false, false, true, false, true] },
  { name: 'nil vs string', left: null, right: 'a', expected: [false, true, false, false, false, false] },
  { name: 'string vs nil', left: 'a', right: null, expected: [false, true, false, false, false, false] },
  { name: 'equal strings', left: 'a', right: 'a', expected: [true, false, false, true, false, true] },
  { name: 'ordered strings', left: 'a', right: 'b', expected: [false, true, true, true, false, false] },
  { name: 'int vs int', left: 1n, right: 2n, expected: [false, true, true, true, false, false] },
  { name: 'int vs equal float', left: 3n, right: 3.0, expected: [true, false, false, true, false, true] },
  { name: 'float vs int', left: 2.5, right: 2n, expected: [false, true, false, false, true, true] },
  {
    name: 'string vs int (mismatched)',
    left: '1',
    right: 1n,
    expected: [false, true, false, false, false, false],
  },
  {
    name: 'bool vs string (mismatched)',
    left: true,
    right: 'true',
    expected: [false, true, false, false, false, false],
  },
  {
    name: 'bools: false < true',
    left: false,
    right: true,
    expected: [false, true, true, true, false, false],
  },
  {
    name: 'bytes',
    left: new Uint8Array([1, 2]),
    right: new Uint8Array([1, 3]),
    expected: [false, true, true, true, false, false],
  },
  {
    name: 'equal lists',
    left: ['a', 1n],
    right: ['a', 1n],
    expected: [true, false, false, false, false, false],
  },
  {
    name: 'list int vs double differ',
    left: [1n],
    right: [1],
    expected: [false, true, false, false, false, false],
  },
  {
    name: 'attribute map vs kvlist',
    left: attrs({ k: 'v' }),
    right: new Map([['k', 'v']]),
    expected: [true, false, false, false, false, false],
  },
  { name: 'NaN equals nothing', left: NaN, right: NaN, expected: [false, true, false, false, false, false] },
];

describe('compareValues', () => {
  for (const { name, left, right, expected } of rows) {
    it(name, () => {
      assert.deepEqual(
        OPS.map((op) => compareValues(left, right, op)),
        expected,
      );
    });
  }
  it('compares int64 values beyond 2^53 exactly', () => {
    assert.equal(compareValues(9_007_199_254_740_993n, 9_007_199_254_740_992n, '>'), true);
  });
});

describe('applyMath', () => {
  const cases: { left: OttlValue; op: '+' | '-' | '*' | '/'; right: OttlValue; expected: OttlValue }[] = [
    { left: 7n, op: '/', right: 2n, expected: 3n },
    { left: 7n, op: '-', right: 10n, expected: -3n },
    { left: 7n, op: '*', right: 0.5, expected: 3.5 },
    { left: 1.5, op: '+', right: 1n, expected: 2.5 },
    { left: 2n ** 63n - 1n, op: '+', right: 1n, expected: -(2n ** 63n) },
  ];
  for (const [index, { left, op, right, expected }] of cases.entries()) {
    it(`case ${index}: ${op}`, () => assert.equal(applyMath(left, right, op), expected));
  }
  it('refuses division by zero and non-numbers', () => {
    assert.throws(() => applyMath(1n, 0n, '/'), OttlRuntimeError);
    assert.throws(() => applyMath('a', 1n, '+'), OttlRuntimeError);
  });
});

describe('stringLike', () => {
  it('formats non-strings the way IsMatch sees them', () => {
    assert.equal(stringLike(null), null);
    assert.equal(stringLike(12n), '12');
    assert.equal(stringLike(true), 'true');
    assert.equal(stringLike(new Uint8Array([0xab, 1])), 'ab01');
    assert.equal(stringLike(new Map([['a', 1n]])), '{"a":1}');
  });
});
