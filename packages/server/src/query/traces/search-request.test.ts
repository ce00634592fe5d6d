import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpanKind, StatusCode } from '../../model/span.ts';
import { InvalidParameterError } from './invalid-parameter-error.ts';
import { parseJaegerTraceSearch } from './jaeger-search-request.ts';
import { parseTraceId } from './search-params.ts';
import { DEFAULT_LOOKBACK_NANOS, parseTraceSearch } from './trace-search-request.ts';

const NOW = 1_732_880_000_000_000_000n;

void test('Vigil trace search: every parameter', () => {
  const params = new URLSearchParams(
    'service=ranker&operation=inference.predict&kind=SERVER&status=error&minDuration=250ms&maxDuration=2s' +
      '&start=2024-11-29T10:00:00Z&end=1732880000000000000&attr=ml.model.version=3&attr=resource.host.name=~gpu-.*&limit=50',
  );
  assert.deepEqual(parseTraceSearch(params, NOW), {
    limit: 50,
    range: { startUnixNano: 1_732_874_400_000_000_000n, endUnixNano: NOW },
    service: 'ranker',
    operation: 'inference.predict',
    kind: SpanKind.SERVER,
    statusCode: StatusCode.ERROR,
    minDurationNanos: 250_000_000n,
    maxDurationNanos: 2_000_000_000n,
    attributes: [
      { scope: 'span', key: 'ml.model.version', op: '=', value: 3n },
      { scope: 'resource', key: 'host.name', op: '=~', value: 'gpu-.*' },
    ],
  });
});

void test('Vigil trace search defaults: limit 20, the last hour, plain durations in ns', () => {
  const query = parseTraceSearch(new URLSearchParams('minDuration=1500'), NOW);
  assert.equal(query.limit, 20);
  assert.deepEqual(query.range, { startUnixNano: NOW - DEFAULT_LOOKBACK_NANOS, endUnixNano: NOW });
  assert.equal(query.minDurationNanos, 1500n);
});

const badVigil: [query: string, parameter: string][] = [
  ['limit=0', 'limit'],
  ['limit=1501', 'limit'],
  ['limit=ten', 'limit'],
  ['kind=sideways', 'kind'],
  ['status=bad', 'status'],
  ['minDuration=fast', 'minDuration'],
  ['minDuration=2s&maxDuration=1s', 'maxDuration'],
  ['start=tomorrow', 'start'],
  ['start=2000&end=1000', 'end'],
  ['attr=nope', 'attr[0]'],
  ['attr=a=1&attr=b', 'attr[1]'],
];

for (const [query, parameter] of badVigil) {
  void test(`Vigil trace search rejects ${query} naming '${parameter}'`, () => {
    assert.throws(
      () => parseTraceSearch(new URLSearchParams(query), NOW),
      (error: unknown) => error instanceof InvalidParameterError && error.parameter === parameter,
    );
  });
}

void test('Jaeger trace search: µs times, plain durations in µs, tags JSON and tag=k:v', () => {
  const params = new URLSearchParams({
    service: 'ranker',
    operation: 'inference.predict',
    tags: '{"error":"true","http.status_code":"500"}',
    tag: 'ml.model.name:resnet:v2',
    minDuration: '1.2s',
    maxDuration: '5000000',
    start: '1732870000000000',
    end: '1732880000000000',
    limit: '0',
    lookback: 'custom',
  });
  const search = parseJaegerTraceSearch(params, NOW);
  assert.deepEqual(search.query, {
    limit: 20,
    range: { startUnixNano: 1_732_870_000_000_000_000n, endUnixNano: NOW },
    service: 'ranker',
    operation: 'inference.predict',
    minDurationNanos: 1_200_000_000n,
    maxDurationNanos: 5_000_000_000n,
  });
  assert.deepEqual(search.tags, [
    { key: 'error', value: 'true' },
    { key: 'http.status_code', value: '500' },
    { key: 'ml.model.name', value: 'resnet:v2' },
  ]);
  assert.deepEqual(search.traceIds, []);
});

void test('Jaeger trace search: lookback applies when start is absent; traceID makes service optional', () => {
  const search = parseJaegerTraceSearch(new URLSearchParams('traceID=ABC&lookback=1h'), NOW);
  assert.deepEqual(search.traceIds, ['00000000000000000000000000000abc']);
  assert.equal(search.query.range?.startUnixNano, NOW - 3_600_000_000_000n);
});

const badJaeger: [query: string, parameter: string][] = [
  ['operation=x', 'service'],
  ['service=a&tags=notjson', 'tags'],
  ['service=a&tags=["x"]', 'tags'],
  ['service=a&tags={"k":{"nested":1}}', 'tags'],
  ['service=a&tag=novalue', 'tag'],
  ['service=a&start=2024-01-01T00:00:00Z', 'start'],
  ['service=a&minDuration=1.5', 'minDuration'],
  ['traceID=xyz', 'traceID'],
];

for (const [query, parameter] of badJaeger) {
  void test(`Jaeger trace search rejects ${query} naming '${parameter}'`, () => {
    assert.throws(
      () => parseJaegerTraceSearch(new URLSearchParams(query), NOW),
      (error: unknown) => error instanceof InvalidParameterError && error.parameter === parameter,
    );
  });
}

void test('parseTraceId pads short ids and rejects all-zero ones', () => {
  assert.equal(parseTraceId('id', 'FF'), '000000000000000000000000000000ff');
  assert.throws(() => parseTraceId('id', '0'.repeat(32)), InvalidParameterError);
  assert.throws(() => parseTraceId('id', 'f'.repeat(33)), InvalidParameterError);
});
