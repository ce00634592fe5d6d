import assert from 'node:assert/strict';
import { test } from 'node:test';
import { vectorValue } from './verify.ts';

test('vectorValue reads a one-element vector or says what went wrong', () => {
  const cases: [unknown, number | string][] = [
    [
      { status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1, '4800000'] }] } },
      4_800_000,
    ],
    [{ status: 'success', data: { resultType: 'vector', result: [] } }, 'empty'],
    [{ status: 'error', errorType: 'bad_data', error: 'parse error' }, 'error: parse error'],
    [{}, 'error: no status'],
  ];
  for (const [body, expected] of cases) assert.equal(vectorValue(body), expected);
});
