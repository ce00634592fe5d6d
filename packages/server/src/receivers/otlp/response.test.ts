import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  JsonLogsSerializer,
  JsonMetricsSerializer,
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import protobuf from 'protobufjs';
import { encodeExportResponse, encodeRpcStatus } from './response.ts';

/** google/rpc/status.proto, error_details.proto (RetryInfo) and duration.proto, for protobufjs as the oracle. */
const RPC_SCHEMA = `
syntax = "proto3";
message Any { string type_url = 1; bytes value = 2; }
message Status { int32 code = 1; string message = 2; repeated Any details = 3; }
message Duration { int64 seconds = 1; int32 nanos = 2; }
message RetryInfo { Duration retry_delay = 1; }
`;
const rpc = protobuf.parse(RPC_SCHEMA, { keepCase: true }).root;
const toObject = (type: string, bytes: Uint8Array): Record<string, unknown> =>
  rpc.lookupType(type).toObject(rpc.lookupType(type).decode(bytes), { longs: Number, defaults: true });

void test('full success is an empty message: zero protobuf bytes, {} in JSON', () => {
  assert.equal(encodeExportResponse('traces', 'protobuf', 0, '').length, 0);
  assert.equal(new TextDecoder().decode(encodeExportResponse('logs', 'json', 0, '')), '{}');
});

void test('partial success reads back through the OpenTelemetry JS response deserializers', () => {
  const message = 'rejected 3 spans: 3 with invalid trace_id';
  const cases = [
    ['traces', ProtobufTraceSerializer, JsonTraceSerializer, 'rejectedSpans'],
    ['metrics', ProtobufMetricsSerializer, JsonMetricsSerializer, 'rejectedDataPoints'],
    ['logs', ProtobufLogsSerializer, JsonLogsSerializer, 'rejectedLogRecords'],
  ] as const;
  for (const [signal, protoSerializer, jsonSerializer, field] of cases) {
    const fromProto = protoSerializer.deserializeResponse(
      encodeExportResponse(signal, 'protobuf', 3, message),
    );
    const fromJson = jsonSerializer.deserializeResponse(encodeExportResponse(signal, 'json', 3, message));
    for (const response of [fromProto, fromJson]) {
      const partial = response.partialSuccess as Record<string, unknown> | undefined;
      assert.equal(Number(partial?.[field]), 3, `${signal} ${field}`);
      assert.equal(partial?.errorMessage, message);
    }
  }
  const json = JSON.parse(
    new TextDecoder().decode(encodeExportResponse('metrics', 'json', 2 ** 40, '')),
  ) as unknown;
  assert.deepEqual(
    json,
    { partialSuccess: { rejectedDataPoints: '1099511627776' } },
    'int64 as a JSON string',
  );
});

void test('a warning without rejections is still a partial success', () => {
  const response = ProtobufTraceSerializer.deserializeResponse(
    encodeExportResponse('traces', 'protobuf', 0, 'slow down'),
  );
  assert.equal(response.partialSuccess?.errorMessage, 'slow down');
});

void test('google.rpc.Status with RetryInfo, protobuf form, decoded by protobufjs', () => {
  const status = toObject('Status', encodeRpcStatus('protobuf', 8, 'ingest queue full', 2.5));
  assert.equal(status.code, 8);
  assert.equal(status.message, 'ingest queue full');
  const details = status.details as { type_url: string; value: Uint8Array }[];
  assert.equal(details.length, 1);
  assert.equal(details[0]?.type_url, 'type.googleapis.com/google.rpc.RetryInfo');
  const retryInfo = toObject('RetryInfo', details[0]?.value ?? new Uint8Array());
  assert.deepEqual(retryInfo.retry_delay, { seconds: 2, nanos: 500_000_000 });
});

void test('google.rpc.Status without a delay has no details; JSON form follows the proto3 mapping', () => {
  const status = toObject('Status', encodeRpcStatus('protobuf', 3, 'bad request'));
  assert.deepEqual(status, { code: 3, message: 'bad request', details: [] });
  const json = JSON.parse(
    new TextDecoder().decode(encodeRpcStatus('json', 14, 'unavailable', 30)),
  ) as unknown;
  assert.deepEqual(json, {
    code: 14,
    message: 'unavailable',
    details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '30s' }],
  });
  const fractional = JSON.parse(new TextDecoder().decode(encodeRpcStatus('json', 8, 'x', 0.25))) as {
    details: { retryDelay: string }[];
  };
  assert.equal(fractional.details[0]?.retryDelay, '0.25s');
});
