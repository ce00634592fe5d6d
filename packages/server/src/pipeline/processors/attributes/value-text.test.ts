import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AttributeValue } from '../../../model/attributes.ts';
import { attributeAsString, goPlainFloat } from './value-text.ts';

describe('goPlainFloat (strconv.FormatFloat(f, \'f\', -1, 64))', () => {
  const ROWS: [number, string][] = [
    [0, '0'], [-0, '-0'], [1.5, '1.5'], [200, '200'], [1e21, '1000000000000000000000'],
    [1.25e25, '12500000000000000000000000'], [1e-7, '0.0000001'], [-2.5e-8, '-0.000000025'],
    [123.456e-10, '0.0000000123456'], [NaN, 'NaN'], [-Infinity, '-Inf'],
  ];
  for (const [input, expected] of ROWS) it(`${input} → ${expected}`, () => assert.equal(goPlainFloat(input), expected));
});

describe('attributeAsString (pdata Value.AsString)', () => {
  const ROWS: [string, AttributeValue, string][] = [
    ['empty', null, ''],
    ['int beyond 2^53', 9_007_199_254_740_993n, '9007199254740993'],
    ['small double uses an exponent', 1e-7, '1e-7'],
    ['infinite double', Infinity, 'json: unsupported value: +Inf'],
    ['array', ['a', 1n, 2.5, true, null], '["a",1,2.5,true,null]'],
    ['array with bytes', [new Uint8Array([255])], '["/w=="]'],
    ['map with NaN cannot be marshalled', new Map<string, AttributeValue>([['x', NaN]]), ''],
  ];
  for (const [name, input, expected] of ROWS) it(name, () => assert.equal(attributeAsString(input), expected));
});
