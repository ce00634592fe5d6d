import type { Signal, SignalBatch } from '../../model/signal.ts';

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

/** A request that could not be decoded at all; answered with HTTP 400 / gRPC INVALID_ARGUMENT. */
export class OtlpDecodeError extends Error {
  override readonly name = 'OtlpDecodeError';
}
