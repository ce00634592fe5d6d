import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidParameterError } from '../traces/invalid-parameter-error.ts';
import { parseLogSearch, parseMinSeverity } from './log-search-request.ts';

const NOW = 1_732_880_000_000_000_000n;

void test('log search: every parameter', () => {
  const query = parseLogSearch(
    new URLSearchParams(
      'service=ranker&severity=WARN&q=timeout&traceId=4BF92F3577B34DA6A3CE929D0E0E4736&spanId=00F067AA0BA902B7&start=1&end=2&limit=7',
    ),
    NOW,
  );
  assert.deepEqual(query, {
    limit: 7,
    range: { startUnixNano: 1n, endUnixNano: 2n },
    service: 'ranker',
    minSeverityNumber: 13,
    bodyContains: 'timeout',
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: '00f067aa0ba902b7',
  });
});

void test('log search defaults: 100 records from the last hour', () => {
  const query = parseLogSearch(new URLSearchParams(), NOW);
  assert.equal(query.limit, 100);
  assert.equal(query.range?.endUnixNano, NOW);
  assert.equal(query.range?.startUnixNano, NOW - 3_600_000_000_000n);
});

const severities: [text: string, expected: number | undefined][] = [
  ['trace', 1],
  ['debug', 5],
  ['Info', 9],
  ['warning', 13],
  ['error', 17],
  ['FATAL', 21],
  ['24', 24],
  ['0', undefined],
  ['25', undefined],
  ['loud', undefined],
];

for (const [text, expected] of severities) {
  void test(`parseMinSeverity(${text}) → ${expected ?? 'error'}`, () => {
    if (expected === undefined) assert.throws(() => parseMinSeverity(text), InvalidParameterError);
    else assert.equal(parseMinSeverity(text), expected);
  });
}

void test('log search rejects bad ids and limits', () => {
  for (const [query, parameter] of [
    ['traceId=xyz', 'traceId'],
    ['spanId=123', 'spanId'],
    ['limit=5001', 'limit'],
  ] as const) {
    assert.throws(
      () => parseLogSearch(new URLSearchParams(query), NOW),
      (error: unknown) => error instanceof InvalidParameterError && error.parameter === parameter,
    );
  }
});
