import type { Signal } from '../../model/signal.ts';
import type { OtlpEncoding } from './decode.ts';

/**
 * Encoders for what an OTLP receiver answers: Export*ServiceResponse with partial success
 * (otlp-specification.md, "Partial Success") and google.rpc.Status for failures ("Failures",
 * "OTLP/HTTP Throttling"), with RetryInfo when the client should wait before retrying. Both come
 * in binary protobuf and in the proto3 JSON mapping. These messages are tiny and rare next to the
 * requests, so a minimal writer over a number[] is enough.
 */

/** The `rejected_*` field name of each signal's ExportXxxPartialSuccess (field 1, int64). */
const REJECTED_FIELD: Readonly<Record<Signal, string>> = {
  traces: 'rejectedSpans',
  metrics: 'rejectedDataPoints',
  logs: 'rejectedLogRecords',
};

const RETRY_INFO_TYPE_URL = 'type.googleapis.com/google.rpc.RetryInfo';
const utf8 = new TextEncoder();

class ProtoWriter {
  readonly bytes: number[] = [];

  varint(value: number | bigint): void {
    // Negative int32/int64 values are sent as their 64-bit two's complement (10 bytes).
    let n = BigInt.asUintN(64, BigInt(value));
    while (n >= 0x80n) {
      this.bytes.push(Number(n & 0x7fn) | 0x80);
      n >>= 7n;
    }
    this.bytes.push(Number(n));
  }

  tag(fieldNumber: number, wireType: number): void {
    this.varint((fieldNumber << 3) | wireType);
  }

  lengthDelimited(fieldNumber: number, content: Uint8Array | readonly number[]): void {
    this.tag(fieldNumber, 2);
    this.varint(content.length);
    for (const byte of content) this.bytes.push(byte);
  }

  /** proto3 omits fields holding their default value. */
  varintField(fieldNumber: number, value: number | bigint): void {
    if (value === 0 || value === 0n) return;
    this.tag(fieldNumber, 0);
    this.varint(value);
  }

  stringField(fieldNumber: number, value: string): void {
    if (value !== '') this.lengthDelimited(fieldNumber, utf8.encode(value));
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/**
 * Export{Trace,Metrics,Logs}ServiceResponse: `partial_success` (field 1) when records were rejected
 * or there is a message for the client, otherwise the empty message that means full success.
 *
 * @example
 * encodeExportResponse('traces', 'json', 2, 'rejected 2 spans: 2 with invalid trace_id');
 * // {"partialSuccess":{"rejectedSpans":"2","errorMessage":"rejected 2 spans: 2 with invalid trace_id"}}
 */
export function encodeExportResponse(
  signal: Signal,
  encoding: OtlpEncoding,
  rejected: number,
  errorMessage: string,
): Uint8Array {
  const partial = rejected > 0 || errorMessage !== '';
  if (encoding === 'json') {
    if (!partial) return utf8.encode('{}');
    const partialSuccess: Record<string, string> = {};
    // int64 is a decimal string in the proto3 JSON mapping.
    if (rejected > 0) partialSuccess[REJECTED_FIELD[signal]] = String(rejected);
    if (errorMessage !== '') partialSuccess.errorMessage = errorMessage;
    return utf8.encode(JSON.stringify({ partialSuccess }));
  }
  const response = new ProtoWriter();
  if (partial) {
    // ExportXxxPartialSuccess: rejected_<records>=1 (int64), error_message=2.
    const partialSuccess = new ProtoWriter();
    partialSuccess.varintField(1, rejected);
    partialSuccess.stringField(2, errorMessage);
    response.lengthDelimited(1, partialSuccess.bytes);
  }
  return response.finish();
}

/**
 * google.rpc.Status {code=1, message=2, details=3 (repeated Any)}. With a retry delay it carries one
 * Any {type_url=1, value=2} holding google.rpc.RetryInfo {retry_delay=1: Duration {seconds=1, nanos=2}},
 * which OTLP clients read to pace retries (otlp-specification.md, "OTLP/gRPC Throttling"). Used as
 * the OTLP/HTTP error body and as the gRPC `grpc-status-details-bin` trailer.
 *
 * @example
 * encodeRpcStatus('json', 8, 'ingest queue full', 2);
 * // {"code":8,"message":"ingest queue full","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"2s"}]}
 */
export function encodeRpcStatus(
  encoding: OtlpEncoding,
  grpcCode: number,
  message: string,
  retryDelaySeconds?: number,
): Uint8Array {
  const delay = retryDelaySeconds === undefined ? undefined : durationOf(retryDelaySeconds);
  if (encoding === 'json') {
    const status: Record<string, unknown> = { code: grpcCode, message };
    if (delay !== undefined)
      status.details = [{ '@type': RETRY_INFO_TYPE_URL, retryDelay: durationJson(delay) }];
    return utf8.encode(JSON.stringify(status));
  }
  const status = new ProtoWriter();
  status.varintField(1, grpcCode);
  status.stringField(2, message);
  if (delay !== undefined) {
    const duration = new ProtoWriter();
    duration.varintField(1, delay.seconds);
    duration.varintField(2, delay.nanos);
    const retryInfo = new ProtoWriter();
    retryInfo.lengthDelimited(1, duration.bytes);
    const any = new ProtoWriter();
    any.stringField(1, RETRY_INFO_TYPE_URL);
    any.lengthDelimited(2, retryInfo.bytes);
    status.lengthDelimited(3, any.bytes);
  }
  return status.finish();
}

interface Duration {
  seconds: number;
  nanos: number;
}

/** google.protobuf.Duration from seconds; negative or non-finite delays become zero. */
function durationOf(delaySeconds: number): Duration {
  const safe = Number.isFinite(delaySeconds) && delaySeconds > 0 ? delaySeconds : 0;
  const totalNanos = Math.round(safe * 1e9);
  return { seconds: Math.floor(totalNanos / 1e9), nanos: totalNanos % 1e9 };
}

/** The proto3 JSON form of Duration: seconds with an "s" suffix, fractional digits only when needed. */
function durationJson(duration: Duration): string {
  if (duration.nanos === 0) return `${duration.seconds}s`;
  return `${duration.seconds}.${String(duration.nanos).padStart(9, '0').replace(/0+$/, '')}s`;
}
