import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { OtlpDecodeError, decodeOtlp } from './decode.ts';

const EXAMPLES = new URL('../../../../../../shared/conformance/otlp-examples/', import.meta.url);
const example = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, EXAMPLES)));
const json = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));

void test('conformance example trace.json', () => {
  const { records, rejected } = decodeOtlp('traces', 'json', example('trace.json'));
  assert.equal(rejected, 0);
  const [span] = records;
  assert.equal(records.length, 1);
  assert.equal(
    span?.traceId,
    '5b8efff798038103d269b633813fc60c',
    'hex ids are case-insensitive, stored lowercase',
  );
  assert.equal(span?.spanId, 'eee19b7ec3c1b174');
  assert.equal(span?.parentSpanId, 'eee19b7ec3c1b173');
  assert.equal(span?.name, "I'm a server span");
  assert.equal(span?.kind, 2);
  assert.equal(span?.startTimeUnixNano, 1544712660000000000n);
  assert.equal(span?.endTimeUnixNano, 1544712661000000000n);
  assert.equal(span?.attributes['my.span.attr'], 'some value');
  assert.equal(span?.resource.serviceName, 'my.service');
  assert.deepEqual(
    [span?.scope.name, span?.scope.version, span?.scope.attributes['my.scope.attribute']],
    ['my.library', '1.0.0', 'some scope attribute'],
  );
});

void test('conformance example metrics.json', () => {
  const { records, rejected } = decodeOtlp('metrics', 'json', example('metrics.json'));
  assert.equal(rejected, 0);
  const byName = new Map(records.map((p) => [p.metric.name, p]));
  const counter = byName.get('my.counter');
  assert.deepEqual(
    [counter?.metric.type, counter?.metric.isMonotonic, counter?.metric.temporality, counter?.value],
    ['sum', true, 1, 5],
  );
  assert.equal(counter?.startTimeUnixNano, 1544712660300000000n);
  assert.equal(byName.get('my.gauge')?.value, 10);
  const histogram = byName.get('my.histogram');
  assert.deepEqual(
    [histogram?.count, histogram?.sum, histogram?.bucketCounts, histogram?.explicitBounds, histogram?.max],
    [2, 2, [1, 1], [1], 2],
  );
  const exp = byName.get('my.exponential.histogram');
  assert.deepEqual(
    [exp?.count, exp?.zeroCount, exp?.positive, exp?.max],
    [3, 1, { offset: 1, bucketCounts: [0, 2] }, 5],
  );
  assert.equal(exp?.attributes['my.exponential.histogram.attr'], 'some value');
});

void test('conformance example logs.json', () => {
  const { records } = decodeOtlp('logs', 'json', example('logs.json'));
  const [log] = records;
  assert.deepEqual(
    [log?.severityNumber, log?.severityText, log?.body],
    [10, 'Information', 'Example log record'],
  );
  assert.deepEqual([log?.traceId, log?.spanId], ['5b8efff798038103d269b633813fc60c', 'eee19b7ec3c1b174']);
  assert.equal(log?.attributes['int.attribute'], 10n);
  assert.equal(log?.attributes['double.attribute'], 637.704);
  assert.equal(log?.attributes['boolean.attribute'], true);
  assert.deepEqual(log?.attributes['array.attribute'], ['many', 'values']);
  assert.deepEqual(log?.attributes['map.attribute'], new Map([['some.map.key', 'some value']]));
});

void test('conformance example events.json (a logs request with an event name)', () => {
  const { records } = decodeOtlp('logs', 'json', example('events.json'));
  const [event] = records;
  assert.equal(event?.eventName, 'browser.page_view');
  assert.equal(event?.timeUnixNano, 1544712660300000000n);
  assert.ok(event?.body instanceof Map);
  assert.equal(event.body.get('type'), 0n);
  assert.equal(event.body.get('title'), 'Free Online GUID Generator');
});

void test('snake_case keys, enum names, numeric int64s and base64 bytes are accepted', () => {
  const body = json({
    resource_spans: [
      {
        scope_spans: [
          {
            spans: [
              {
                trace_id: '0AF7651916CD43DD8448EB211C80319C',
                span_id: 'b7ad6b7169203331',
                kind: 'SPAN_KIND_CLIENT',
                start_time_unix_nano: 1700000000000000,
                status: { code: 'STATUS_CODE_ERROR' },
                attributes: [
                  { key: 'b', value: { bytes_value: 'AAH+/w==' } },
                  { key: 'n', value: { int_value: 7 } },
                  { key: 'nan', value: { doubleValue: 'NaN' } },
                ],
                unknownField: { anything: [1, 2] },
              },
            ],
          },
        ],
      },
    ],
  });
  const [span] = decodeOtlp('traces', 'json', body).records;
  assert.equal(span?.traceId, '0af7651916cd43dd8448eb211c80319c');
  assert.deepEqual([span?.kind, span?.statusCode, span?.startTimeUnixNano], [3, 2, 1700000000000000n]);
  assert.deepEqual(span?.attributes.b, Uint8Array.of(0, 1, 254, 255));
  assert.equal(span?.attributes.n, 7n);
  assert.ok(Number.isNaN(span?.attributes.nan));
});

void test('invalid JSON and wrong JSON types are OtlpDecodeError without payload contents', () => {
  const secret = 'sk-live-SECRET';
  const cases: [string, Uint8Array][] = [
    ['invalid JSON', new TextEncoder().encode(`{"resourceSpans": [${secret}`)],
    ['array request', json([])],
    ['number for an object', json({ resourceSpans: [{ scopeSpans: [{ spans: [5] }] }] })],
    ['string for an array', json({ resourceSpans: 'x' })],
    ['bad int64', json({ resourceSpans: [{ scopeSpans: [{ spans: [{ startTimeUnixNano: secret }] }] }] })],
    ['number id', json({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 12 }] }] }] })],
    [
      'bad base64',
      json({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { bytesValue: '***' } }] }] }] }),
    ],
  ];
  for (const [name, body] of cases) {
    const signal = name === 'bad base64' ? 'logs' : 'traces';
    assert.throws(
      () => decodeOtlp(signal, 'json', body),
      (error: unknown) => error instanceof OtlpDecodeError && !error.message.includes(secret),
      name,
    );
  }
});

void test('bad hex ids reject the record, as in protobuf', () => {
  const span = (traceId: string, spanId = 'b7ad6b7169203331'): object => ({ traceId, spanId, name: 's' });
  const body = json({
    resourceSpans: [
      {
        scopeSpans: [
          {
            spans: [
              span('0af7651916cd43dd8448eb211c80319c'),
              span('zzf7651916cd43dd8448eb211c80319c'),
              span('0af7651916cd43dd'),
              span('00000000000000000000000000000000'),
              span('0af7651916cd43dd8448eb211c80319c', '0000000000000000'),
            ],
          },
        ],
      },
    ],
  });
  const { records, rejected, errorMessage } = decodeOtlp('traces', 'json', body);
  assert.equal(records.length, 1);
  assert.equal(rejected, 4);
  assert.equal(errorMessage, 'rejected 4 spans: 3 with invalid trace_id, 1 with invalid span_id');
});
