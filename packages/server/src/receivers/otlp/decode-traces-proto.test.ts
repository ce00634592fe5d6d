import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { OtlpDecodeError, decodeOtlp } from './decode.ts';
import { sdkSpans } from './otel-sdk-fixtures.ts';
import { ProtoTestWriter, hexBytes, keyValue } from './proto-test-writer.ts';

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const SPAN_ID = 'eee19b7ec3c1b174';

interface SpanOptions {
  traceId?: number[];
  spanId?: number[];
  parentSpanId?: number[];
  unknown?: boolean;
}

function spanMessage(options: SpanOptions = {}): ProtoTestWriter {
  const span = new ProtoTestWriter()
    .bytesField(1, options.traceId ?? hexBytes(TRACE_ID))
    .bytesField(2, options.spanId ?? hexBytes(SPAN_ID));
  if (options.parentSpanId) span.bytesField(4, options.parentSpanId);
  if (options.unknown) span.unknownFields(100);
  span.stringField(5, 'inference.predict').varintField(6, 2);
  span.fixed64Field(7, 1_760_000_000_123_456_789n).fixed64Field(8, 18_446_744_073_709_551_615n);
  span.messageField(9, keyValue('huge', new ProtoTestWriter().varintField(3, 2n ** 62n + 1n)));
  span.messageField(9, keyValue('negative', new ProtoTestWriter().varintField(3, -42n)));
  span.messageField(9, keyValue('unset', new ProtoTestWriter()));
  return span.messageField(
    15,
    new ProtoTestWriter().varintField(1, 9).stringField(2, 'boom').varintField(3, 2),
  );
}

function request(spans: ProtoTestWriter[], unknown = false): Uint8Array {
  const scopeSpans = new ProtoTestWriter().messageField(1, new ProtoTestWriter().stringField(1, 'lib'));
  for (const span of spans) scopeSpans.messageField(2, span);
  if (unknown) scopeSpans.unknownFields(50);
  const resource = new ProtoTestWriter().messageField(
    1,
    keyValue('service.name', new ProtoTestWriter().stringField(1, 'svc')),
  );
  if (unknown) resource.unknownFields(20);
  const resourceSpans = new ProtoTestWriter()
    .messageField(2, scopeSpans)
    .messageField(1, resource)
    .stringField(3, 'https://schema/1');
  if (unknown) resourceSpans.unknownFields(60);
  const body = new ProtoTestWriter().messageField(1, resourceSpans);
  if (unknown) body.unknownFields(2);
  return body.finish();
}

void test('unknown fields of every wire type are skipped at every level', () => {
  const { records, rejected } = decodeOtlp(
    'traces',
    'protobuf',
    request([spanMessage({ unknown: true })], true),
  );
  assert.equal(rejected, 0);
  const span = records[0];
  assert.ok(span);
  assert.equal(span.traceId, TRACE_ID);
  assert.equal(span.spanId, SPAN_ID);
  assert.equal(span.name, 'inference.predict');
  assert.equal(span.statusCode, 2);
  assert.equal(span.statusMessage, 'boom');
  // The resource arrives after scope_spans on the wire yet reaches the span (shared by reference).
  assert.equal(span.resource.serviceName, 'svc');
  assert.equal(span.resource.schemaUrl, 'https://schema/1');
});

void test('int64 attributes beyond 2^53 and negative ones are exact; fixed64 up to 2^64-1 is exact', () => {
  const [span] = decodeOtlp('traces', 'protobuf', request([spanMessage()])).records;
  assert.equal(span?.attributes.huge, 2n ** 62n + 1n);
  assert.equal(span?.attributes.negative, -42n);
  assert.equal(span?.attributes.unset, null);
  assert.equal(span?.startTimeUnixNano, 1_760_000_000_123_456_789n);
  assert.equal(span?.endTimeUnixNano, 2n ** 64n - 1n);
});

void test('an empty request decodes to zero records', () => {
  assert.deepEqual(decodeOtlp('traces', 'protobuf', new Uint8Array(0)), {
    records: [],
    rejected: 0,
    errorMessage: '',
  });
  assert.equal(decodeOtlp('metrics', 'protobuf', new Uint8Array(0)).records.length, 0);
  assert.equal(decodeOtlp('logs', 'protobuf', new Uint8Array(0)).records.length, 0);
});

void test('spans with invalid ids are rejected and counted; the rest are kept', () => {
  const zeros16 = new Array<number>(16).fill(0);
  const body = request([
    spanMessage(),
    spanMessage({ traceId: zeros16 }),
    spanMessage({ traceId: hexBytes(TRACE_ID).slice(0, 15) }),
    spanMessage({ traceId: [] }),
    spanMessage({ spanId: new Array<number>(8).fill(0) }),
    spanMessage({ spanId: hexBytes(TRACE_ID) }),
    spanMessage({ parentSpanId: [1, 2, 3] }),
    spanMessage({ parentSpanId: hexBytes('00f067aa0ba902b7') }),
  ]);
  const { records, rejected, errorMessage } = decodeOtlp('traces', 'protobuf', body);
  assert.equal(records.length, 2);
  assert.equal(records[1]?.parentSpanId, '00f067aa0ba902b7');
  assert.equal(rejected, 6);
  assert.equal(
    errorMessage,
    'rejected 6 spans: 3 with invalid trace_id, 2 with invalid span_id, 1 with invalid parent_span_id',
  );
  assert.ok(!errorMessage.includes(TRACE_ID.slice(0, 8)), 'no payload in the message');
});

void test('a known field with the wrong wire type is an OtlpDecodeError', () => {
  const wrongName = new ProtoTestWriter().bytesField(1, hexBytes(TRACE_ID)).varintField(5, 7);
  assert.throws(() => decodeOtlp('traces', 'protobuf', request([wrongName])), OtlpDecodeError);
  const topLevel = new ProtoTestWriter().varintField(1, 3).finish();
  assert.throws(() => decodeOtlp('traces', 'protobuf', topLevel), /wire type 0 for field 1/);
  assert.throws(() => decodeOtlp('traces', 'protobuf', Uint8Array.of(0x0f)), /wire type 7/);
  assert.throws(() => decodeOtlp('traces', 'protobuf', Uint8Array.of(0x00)), /field number 0/);
});

void test('a request cut at any byte either throws OtlpDecodeError or decodes cleanly', async () => {
  const body = ProtobufTraceSerializer.serializeRequest(await sdkSpans());
  assert.ok(body);
  let threw = 0;
  for (let cut = 0; cut < body.length; cut++) {
    try {
      decodeOtlp('traces', 'protobuf', body.subarray(0, cut));
    } catch (error) {
      assert.ok(error instanceof OtlpDecodeError, `cut at ${cut}: ${String(error)}`);
      threw++;
    }
  }
  assert.ok(threw > body.length / 2, 'almost every cut is detected');
  // Flipped bytes too: never a RangeError or TypeError.
  for (let i = 0; i < body.length; i += 3) {
    const corrupt = Uint8Array.from(body);
    corrupt[i] = corrupt[i]! ^ 0xff;
    try {
      decodeOtlp('traces', 'protobuf', corrupt);
    } catch (error) {
      assert.ok(error instanceof OtlpDecodeError, `flip at ${i}: ${String(error)}`);
    }
  }
});

void test('hostile nesting of array values is refused, not a stack overflow', () => {
  let value = new ProtoTestWriter().stringField(1, 'leaf');
  for (let i = 0; i < 100; i++)
    value = new ProtoTestWriter().messageField(5, new ProtoTestWriter().messageField(1, value));
  const span = spanMessage().messageField(9, keyValue('deep', value));
  assert.throws(() => decodeOtlp('traces', 'protobuf', request([span])), /nested deeper/);
});
