import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatGoFixed, formatGoG, formatOpenMetricsFloat, goQuote, parseGoFloat } from './go-text.ts';

describe('formatGoG (fmt %g)', () => {
  // prettier-ignore
  for (const [value, expected] of [
    [0, '0'],
    [-0, '-0'],
    [2, '2'],
    [-0.1, '-0.1'],
    [1.01, '1.01'],
    [123456, '123456'],
    [1e6, '1e+06'],
    [1234567, '1.234567e+06'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1.5e-7, '1.5e-07'],
    [1e100, '1e+100'],
    [9.223372036854776e18, '9.223372036854776e+18'],
    [NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
  ] as const) {
    test(`${value} → ${expected}`, () => assert.equal(formatGoG(value), expected));
  }
});

describe('formatGoFixed (fmt %f)', () => {
  // prettier-ignore
  for (const [value, expected] of [
    [0, '0.000000'],
    [1.5, '1.500000'],
    [-0.1234567, '-0.123457'],
    [1e21, '1000000000000000000000.000000'],
    [NaN, 'NaN'],
    [-Infinity, '-Inf'],
  ] as const) {
    test(`${value} → ${expected}`, () => assert.equal(formatGoFixed(value), expected));
  }
});

describe('goQuote (fmt %q)', () => {
  // prettier-ignore
  for (const [text, expected] of [
    ['series', '"series"'],
    ['a"b\\c', '"a\\"b\\\\c"'],
    ['tab\there\n', '"tab\\there\\n"'],
    ['\x01\x7f', '"\\x01\\x7f"'],
    ['läbel ✓', '"läbel ✓"'],
    ['\u00ad', '"\\u00ad"'],
  ] as const) {
    test(`${JSON.stringify(text)} → ${expected}`, () => assert.equal(goQuote(text), expected));
  }
});

describe('parseGoFloat (strconv.ParseFloat)', () => {
  // prettier-ignore
  for (const [text, expected] of [
    ['0.1', 0.1],
    ['.2', 0.2],
    ['-.2', -0.2],
    ['1e0', 1],
    ['2.0e-1', 0.2],
    ['+Inf', Infinity],
    ['+inf', Infinity],
    ['-Infinity', -Infinity],
    ['inf', Infinity],
    ['NaN', NaN],
    ['nan', NaN],
    ['0x1p-2', 0.25],
    ['0x1.8p1', 3],
    ['5.', 5],
    ['', undefined],
    ['Hello World', undefined],
    [' 1', undefined],
    ['1_000', undefined],
    ['0x10', undefined],
    ['1e400', undefined],
    ['+nan', undefined],
    ['infinit', undefined],
  ] as const) {
    test(`${JSON.stringify(text)} → ${expected}`, () => {
      const actual = parseGoFloat(text);
      if (expected === undefined) assert.equal(actual, undefined);
      else assert.ok(Object.is(actual, expected), `${actual}`);
    });
  }
});

describe('formatOpenMetricsFloat', () => {
  // prettier-ignore
  for (const [value, expected] of [
    [0, '0.0'],
    [-0, '0.0'],
    [1, '1.0'],
    [-1, '-1.0'],
    [0.25, '0.25'],
    [2, '2.0'],
    [1e6, '1e+06'],
    [NaN, 'NaN'],
    [Infinity, '+Inf'],
  ] as const) {
    test(`${value} → ${expected}`, () => assert.equal(formatOpenMetricsFloat(value), expected));
  }
});
