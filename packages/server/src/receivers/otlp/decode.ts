import type { Signal, SignalBatch } from '../../model/signal.ts';
import { decodeLogsJson, decodeTracesJson } from './decode-json.ts';
import { decodeMetricsJson } from './decode-json-metrics.ts';
import { decodeLogsProto } from './decode-logs-proto.ts';
import { decodeMetricsProto } from './decode-metrics-proto.ts';
import { decodeTracesProto } from './decode-traces-proto.ts';

export type OtlpEncoding = 'protobuf' | 'json';

/**
 * The result of decoding one OTLP Export*ServiceRequest. Records that were individually invalid
 * (for example a span with a trace id that is not 16 bytes) are left out and counted in
 * `rejected`, with one `errorMessage` for the client: OTLP partial success
 * (otlp-specification.md, "Partial Success").
 */
export interface DecodeResult<S extends Signal> {
  records: SignalBatch[S];
  rejected: number;
  errorMessage: string;
}

export { OtlpDecodeError } from './decode-error.ts';

type Decoders = { [S in Signal]: (body: Uint8Array) => DecodeResult<S> };

const PROTOBUF_DECODERS: Decoders = {
  traces: decodeTracesProto,
  metrics: decodeMetricsProto,
  logs: decodeLogsProto,
};

const JSON_DECODERS: Decoders = {
  traces: decodeTracesJson,
  metrics: decodeMetricsJson,
  logs: decodeLogsJson,
};

/**
 * Decodes one OTLP Export*ServiceRequest body (already decompressed) of `signal`, in binary protobuf
 * or OTLP/JSON. Throws OtlpDecodeError when the request as a whole cannot be decoded; individually
 * invalid records are left out and counted in the result instead.
 *
 * @example
 * const { records, rejected, errorMessage } = decodeOtlp('traces', 'protobuf', body);
 * // records: Span[] with lowercase hex ids and exact bigint nanosecond timestamps
 */
export function decodeOtlp<S extends Signal>(
  signal: S,
  encoding: OtlpEncoding,
  body: Uint8Array,
): DecodeResult<S> {
  const decoders = encoding === 'protobuf' ? PROTOBUF_DECODERS : JSON_DECODERS;
  const decode = decoders[signal] as (body: Uint8Array) => DecodeResult<S>;
  return decode(body);
}
