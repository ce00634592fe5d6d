import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProtobufLogsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { OtlpDecodeError, decodeOtlp } from './decode.ts';
import { sdkLogRecords, sdkMetrics } from './otel-sdk-fixtures.ts';
import { ProtoTestWriter, hexBytes, keyValue } from './proto-test-writer.ts';

const T0 = 1_760_000_000_000_000_001n;
const T1 = 1_760_000_060_000_000_002n;

function metricsRequest(metrics: ProtoTestWriter[]): Uint8Array {
  const scopeMetrics = new ProtoTestWriter();
  for (const metric of metrics) scopeMetrics.messageField(2, metric);
  return new ProtoTestWriter().messageField(1, new ProtoTestWriter().messageField(2, scopeMetrics)).finish();
}

function exemplar(): ProtoTestWriter {
  return new ProtoTestWriter()
    .fixed64Field(2, T1)

    .fixed64Field(6, -(2n ** 40n))
    .bytesField(4, hexBytes('b7ad6b7169203331'))
    .bytesField(5, hexBytes('0af7651916cd43dd8448eb211c80319c'))
    .messageField(7, keyValue('user', new ProtoTestWriter().stringField(1, 'u1')));
}

void test('summary points with quantiles, and exemplars with ids and int values', () => {
  const quantile = (q: number, v: number): ProtoTestWriter =>
    new ProtoTestWriter().doubleField(1, q).doubleField(2, v);
  const summaryPoint = new ProtoTestWriter()
    .fixed64Field(2, T0)
    .fixed64Field(3, T1)
    .fixed64Field(4, 1234n)
    .doubleField(5, 98.5)
    .messageField(6, quantile(0.5, 0.07))
    .messageField(6, quantile(0.99, 1.9))
    .messageField(7, keyValue('model', new ProtoTestWriter().stringField(1, 'm')))
    .varintField(8, 1)
    .unknownFields(30);
  const summary = new ProtoTestWriter()
    .stringField(1, 'ml_latency')
    .stringField(3, 's')
    .messageField(11, new ProtoTestWriter().messageField(1, summaryPoint));
  const gaugePoint = new ProtoTestWriter()
    .fixed64Field(3, T1)
    .doubleField(4, 0.5)
    .messageField(5, exemplar());
  const gauge = new ProtoTestWriter()
    .stringField(1, 'gpu_util')
    .messageField(5, new ProtoTestWriter().messageField(1, gaugePoint));
  const { records, rejected } = decodeOtlp('metrics', 'protobuf', metricsRequest([summary, gauge]));
  assert.equal(rejected, 0);
  const [s, g] = records;
  assert.equal(s?.metric.type, 'summary');
  assert.deepEqual(
    [s?.startTimeUnixNano, s?.timeUnixNano, s?.count, s?.sum, s?.flags],
    [T0, T1, 1234, 98.5, 1],
  );
  assert.deepEqual(s?.quantiles, [
    { quantile: 0.5, value: 0.07 },
    { quantile: 0.99, value: 1.9 },
  ]);
  assert.equal(s?.attributes.model, 'm');
  assert.equal(g?.value, 0.5);
  assert.equal(g?.exemplars.length, 1);
  const e = g?.exemplars[0];
  assert.deepEqual(
    [e?.timeUnixNano, e?.value, e?.traceId, e?.spanId],
    [T1, -(2 ** 40), '0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331'],
  );
  assert.equal(e?.filteredAttributes.user, 'u1');
});

void test('exponential histogram with negative buckets, and unpacked repeated fields', () => {
  const buckets = (offset: number, counts: number[]): ProtoTestWriter => {
    const b = new ProtoTestWriter().sintField(1, offset);
    for (const count of counts) b.varintField(2, count); // unpacked on purpose
    return b;
  };
  const expPoint = new ProtoTestWriter()
    .fixed64Field(4, 9n)
    .sintField(6, -3)
    .fixed64Field(7, 2n)
    .messageField(8, buckets(-2, [1, 2]))
    .messageField(9, buckets(5, [3, 0, 1]))
    .doubleField(14, 1e-9);
  const exp = new ProtoTestWriter()
    .stringField(1, 'tok')
    .messageField(10, new ProtoTestWriter().messageField(1, expPoint).varintField(2, 1));
  const histPoint = new ProtoTestWriter()
    .fixed64Field(4, 3n)
    .fixed64Field(6, 1n)
    .fixed64Field(6, 2n)
    .doubleField(7, 0.5);
  const hist = new ProtoTestWriter()
    .stringField(1, 'lat')
    .messageField(9, new ProtoTestWriter().messageField(1, histPoint).varintField(2, 2));
  const [e, h] = decodeOtlp('metrics', 'protobuf', metricsRequest([exp, hist])).records;
  assert.deepEqual(
    [e?.count, e?.scale, e?.zeroCount, e?.zeroThreshold, e?.metric.temporality],
    [9, -3, 2, 1e-9, 1],
  );
  assert.deepEqual(e?.positive, { offset: -2, bucketCounts: [1, 2] });
  assert.deepEqual(e?.negative, { offset: 5, bucketCounts: [3, 0, 1] });
  assert.equal(e?.sum, undefined, 'optional sum absent stays absent');
  assert.deepEqual([h?.bucketCounts, h?.explicitBounds, h?.metric.temporality], [[1, 2], [0.5], 2]);
});

void test('points of a metric without a name are rejected and counted', () => {
  const point = new ProtoTestWriter().fixed64Field(3, T1).fixed64Field(6, 5n);
  const unnamed = new ProtoTestWriter().messageField(
    7,
    new ProtoTestWriter().messageField(1, point).messageField(1, point),
  );
  const named = new ProtoTestWriter()
    .stringField(1, 'ok')
    .messageField(7, new ProtoTestWriter().messageField(1, point).varintField(3, 1));
  const { records, rejected, errorMessage } = decodeOtlp(
    'metrics',
    'protobuf',
    metricsRequest([unnamed, named]),
  );
  assert.equal(records.length, 1);
  assert.deepEqual(
    [records[0]?.value, records[0]?.valueIsInt, records[0]?.metric.isMonotonic],
    [5, true, true],
  );
  assert.equal(rejected, 2);
  assert.equal(errorMessage, 'rejected 2 data points: 2 with no metric name');
});

void test('logs: a bad non-empty trace id rejects the record; all-zero ids mean no trace', () => {
  const log = (traceId: number[]): ProtoTestWriter =>
    new ProtoTestWriter()
      .fixed64Field(1, T0)
      .bytesField(9, traceId)
      .messageField(5, new ProtoTestWriter().stringField(1, 'hello'))
      .stringField(12, 'ev');
  const scopeLogs = new ProtoTestWriter()
    .messageField(2, log(hexBytes('0af7651916cd43dd8448eb211c80319c')))
    .messageField(2, log([1, 2, 3]))
    .messageField(2, log(new Array<number>(16).fill(0)))
    .messageField(2, log([]));
  const body = new ProtoTestWriter()
    .messageField(1, new ProtoTestWriter().messageField(2, scopeLogs))
    .finish();
  const { records, rejected, errorMessage } = decodeOtlp('logs', 'protobuf', body);
  assert.deepEqual(
    records.map((l) => l.traceId),
    ['0af7651916cd43dd8448eb211c80319c', '', ''],
  );
  assert.deepEqual([records[0]?.body, records[0]?.eventName, records[0]?.timeUnixNano], ['hello', 'ev', T0]);
  assert.equal(rejected, 1);
  assert.equal(errorMessage, 'rejected 1 log records: 1 with invalid trace_id');
});

void test('metrics and logs cut at any byte throw only OtlpDecodeError', async () => {
  const bodies = [
    ['metrics', ProtobufMetricsSerializer.serializeRequest(await sdkMetrics())],
    ['logs', ProtobufLogsSerializer.serializeRequest(await sdkLogRecords())],
  ] as const;
  for (const [signal, body] of bodies) {
    assert.ok(body);
    for (let cut = 0; cut < body.length; cut++) {
      try {
        decodeOtlp(signal, 'protobuf', body.subarray(0, cut));
      } catch (error) {
        assert.ok(error instanceof OtlpDecodeError, `${signal} cut at ${cut}: ${String(error)}`);
      }
    }
  }
});
