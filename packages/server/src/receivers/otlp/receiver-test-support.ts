/**
 * Shared by the receiver tests only (http-server.test.ts, grpc-server.test.ts): a real Pipeline
 * that keeps what it gets, an HTTP client that reports status, headers and body, and readers for
 * the google.rpc messages the receivers answer with.
 */
import { request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import protobuf from 'protobufjs';
import type { Signal, SignalBatch } from '../../model/signal.ts';
import type { Pipeline } from '../../pipeline/pipeline.ts';

/** A Pipeline that stores records in memory, or refuses them with the error it is told to throw. */
export class RecordingPipeline implements Pipeline {
  readonly received: { [S in Signal]: SignalBatch[S] } = { traces: [], metrics: [], logs: [] };
  consumeCalls = 0;
  /** Thrown by the next consume calls while set. */
  refusal: Error | undefined;

  consume<S extends Signal>(signal: S, records: SignalBatch[S]): Promise<void> {
    this.consumeCalls += 1;
    if (this.refusal) return Promise.reject(this.refusal);
    (this.received[signal] as unknown[]).push(...records);
    return Promise.resolve();
  }

  /** Resolves once `count` records of `signal` have arrived (SDK exporters send asynchronously). */
  async waitFor(signal: Signal, count: number, timeoutMillis = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMillis;
    while (this.received[signal].length < count) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} ${signal} records`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One HTTP request on a fresh connection; resolves with whatever the server answered. */
export function httpRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string | number>; body?: Uint8Array | string } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'POST', headers: options.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

export interface RpcStatus {
  code: number;
  message: string;
  /** RetryInfo.retry_delay in seconds, when a RetryInfo detail is present. */
  retryDelaySeconds: number | undefined;
}

const RETRY_INFO_TYPE_URL = 'type.googleapis.com/google.rpc.RetryInfo';

/** Decodes a binary google.rpc.Status (googleapis google/rpc/status.proto) by field number. */
export function decodeRpcStatus(bytes: Uint8Array): RpcStatus {
  const reader = protobuf.Reader.create(bytes);
  const status: RpcStatus = { code: 0, message: '', retryDelaySeconds: undefined };
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag >>> 3 === 1) status.code = reader.int32();
    else if (tag >>> 3 === 2) status.message = reader.string();
    else if (tag >>> 3 === 3) status.retryDelaySeconds ??= retryDelayFromAny(reader.bytes());
    else reader.skipType(tag & 7);
  }
  return status;
}

/** google.protobuf.Any { type_url = 1; value = 2 } holding RetryInfo { Duration retry_delay = 1 }. */
function retryDelayFromAny(any: Uint8Array): number | undefined {
  const reader = protobuf.Reader.create(any);
  let typeUrl = '';
  let value: Uint8Array = new Uint8Array();
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag >>> 3 === 1) typeUrl = reader.string();
    else if (tag >>> 3 === 2) value = reader.bytes();
    else reader.skipType(tag & 7);
  }
  if (typeUrl !== RETRY_INFO_TYPE_URL) return undefined;
  const retryInfo = protobuf.Reader.create(value);
  let seconds = 0;
  while (retryInfo.pos < retryInfo.len) {
    const tag = retryInfo.uint32();
    if (tag >>> 3 === 1) seconds = durationSeconds(retryInfo.bytes());
    else retryInfo.skipType(tag & 7);
  }
  return seconds;
}

function durationSeconds(duration: Uint8Array): number {
  const reader = protobuf.Reader.create(duration);
  let seconds = 0;
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag >>> 3 === 1) seconds = int64ToNumber(reader.int64());
    else reader.skipType(tag & 7);
  }
  return seconds;
}

function int64ToNumber(value: protobuf.Long | number): number {
  return typeof value === 'number' ? value : value.high * 2 ** 32 + (value.low >>> 0);
}

/**
 * Export*ServiceResponse { partial_success = 1 { rejected_<records> = 1; error_message = 2 } },
 * the same field numbers for all three signals; undefined when partial_success is unset.
 */
export function decodePartialSuccess(
  bytes: Uint8Array,
): { rejected: number; errorMessage: string } | undefined {
  const reader = protobuf.Reader.create(bytes);
  let partial: { rejected: number; errorMessage: string } | undefined;
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag >>> 3 !== 1) {
      reader.skipType(tag & 7);
      continue;
    }
    partial = { rejected: 0, errorMessage: '' };
    const inner = protobuf.Reader.create(reader.bytes());
    while (inner.pos < inner.len) {
      const innerTag = inner.uint32();
      if (innerTag >>> 3 === 1) partial.rejected = int64ToNumber(inner.int64());
      else if (innerTag >>> 3 === 2) partial.errorMessage = inner.string();
      else inner.skipType(innerTag & 7);
    }
  }
  return partial;
}

/** A minimal binary ExportTraceServiceRequest with `spanCount` spans of one resource and scope. */
export function encodeTraceRequest(spanCount: number, serviceName = 'checkout'): Uint8Array {
  const scopeSpans = protobuf.Writer.create();
  scopeSpans
    .uint32((1 << 3) | 2)
    .fork()
    .uint32((1 << 3) | 2)
    .string('test-scope')
    .ldelim();
  for (let i = 0; i < spanCount; i++) {
    const span = protobuf.Writer.create();
    span.uint32((1 << 3) | 2).bytes(Buffer.from('0af7651916cd43dd8448eb211c80319c', 'hex'));
    span.uint32((2 << 3) | 2).bytes(Buffer.from(`b7ad6b71692033${String(i % 100).padStart(2, '0')}`, 'hex'));
    span.uint32((5 << 3) | 2).string(`span-${i}`);
    span.uint32((6 << 3) | 0).int32(2);
    span.uint32((7 << 3) | 1).fixed64(1_700_000_000_000_000_000n.toString());
    span.uint32((8 << 3) | 1).fixed64(1_700_000_000_001_000_000n.toString());
    scopeSpans.uint32((2 << 3) | 2).bytes(span.finish());
  }
  const attribute = protobuf.Writer.create();
  attribute.uint32((1 << 3) | 2).string('service.name');
  attribute
    .uint32((2 << 3) | 2)
    .fork()
    .uint32((1 << 3) | 2)
    .string(serviceName)
    .ldelim();
  const resource = protobuf.Writer.create()
    .uint32((1 << 3) | 2)
    .bytes(attribute.finish());
  const resourceSpans = protobuf.Writer.create();
  resourceSpans.uint32((1 << 3) | 2).bytes(resource.finish());
  resourceSpans.uint32((2 << 3) | 2).bytes(scopeSpans.finish());
  return protobuf.Writer.create()
    .uint32((1 << 3) | 2)
    .bytes(resourceSpans.finish())
    .finish();
}
