import type { Signal } from '../../model/signal.ts';
import { OverloadedError, UnavailableError } from '../../pipeline/errors.ts';
import type { Pipeline } from '../../pipeline/pipeline.ts';
import { ingestMetrics } from '../../telemetry/self-metrics.ts';
import { decodeOtlp, OtlpDecodeError, type OtlpEncoding } from './decode.ts';

export type Transport = 'http' | 'grpc';

/**
 * How one Export request ended, in transport-neutral words; the HTTP and gRPC servers map these
 * to status codes (otlp-specification.md, "Failures" for each transport).
 */
export type ExportOutcome =
  | { kind: 'accepted'; accepted: number; rejected: number; errorMessage: string }
  | { kind: 'bad_data'; message: string }
  | { kind: 'overloaded'; message: string; retryAfterSeconds: number }
  | { kind: 'unavailable'; message: string; retryAfterSeconds: number }
  | { kind: 'internal'; message: string };

/** Refusals decided by a transport before any decoding (body limit, media type). */
export type TransportRefusal = 'too_large' | 'unsupported_media_type' | 'bad_compression';

/**
 * Decodes one Export*ServiceRequest and hands its records to the pipeline; resolves only after
 * the pipeline has made them durable (DESIGN.md, "Acknowledged means durable"). Never rejects:
 * every failure becomes an outcome, and is counted in ingestMetrics.
 *
 * @example
 * const outcome = await exportToPipeline(pipeline, 'traces', 'protobuf', body, 'http');
 * if (outcome.kind === 'overloaded') res.setHeader('Retry-After', outcome.retryAfterSeconds);
 */
export async function exportToPipeline(
  pipeline: Pipeline,
  signal: Signal,
  encoding: OtlpEncoding,
  body: Uint8Array,
  transport: Transport,
): Promise<ExportOutcome> {
  const outcome = await decodeAndConsume(pipeline, signal, encoding, body);
  countOutcome(signal, transport, outcome);
  return outcome;
}

async function decodeAndConsume(
  pipeline: Pipeline,
  signal: Signal,
  encoding: OtlpEncoding,
  body: Uint8Array,
): Promise<ExportOutcome> {
  try {
    const decoded = decodeOtlp(signal, encoding, body);
    // An empty request is a success with nothing to store (otlp-specification.md, "Full Success").
    if (decoded.records.length > 0) await pipeline.consume(signal, decoded.records);
    return {
      kind: 'accepted',
      accepted: decoded.records.length,
      rejected: decoded.rejected,
      errorMessage: decoded.errorMessage,
    };
  } catch (error: unknown) {
    return failureOutcome(error);
  }
}

function failureOutcome(error: unknown): ExportOutcome {
  if (error instanceof OtlpDecodeError) return { kind: 'bad_data', message: error.message };
  if (error instanceof OverloadedError) {
    return {
      kind: 'overloaded',
      message: error.message,
      retryAfterSeconds: retryDelay(error.retryAfterSeconds),
    };
  }
  if (error instanceof UnavailableError) {
    return {
      kind: 'unavailable',
      message: error.message,
      retryAfterSeconds: retryDelay(error.retryAfterSeconds),
    };
  }
  reportInternalError(error);
  // Internal details (stack, store messages) may quote payload contents: the client gets none.
  return { kind: 'internal', message: 'internal error while processing the export request' };
}

/** Retry-After is a whole number of seconds (RFC 9110 §10.2.3); never tell a client "retry now". */
function retryDelay(seconds: number): number {
  return Number.isFinite(seconds) && seconds >= 1 ? Math.ceil(seconds) : 1;
}

function countOutcome(signal: Signal, transport: Transport, outcome: ExportOutcome): void {
  if (outcome.kind !== 'accepted') {
    ingestMetrics.requests.inc({ signal, transport, outcome: outcome.kind });
    // Overload and unavailability are counted per record by the pipeline that refused them.
    if (outcome.kind === 'bad_data') ingestMetrics.rejected.inc({ signal, reason: 'decode_error' });
    return;
  }
  const partial = outcome.rejected > 0;
  ingestMetrics.requests.inc({ signal, transport, outcome: partial ? 'partial' : 'success' });
  ingestMetrics.accepted.inc({ signal, transport }, outcome.accepted);
  if (partial) ingestMetrics.rejected.inc({ signal, reason: 'partial' }, outcome.rejected);
}

/** Counts a request a transport refused before decoding it. */
export function countRefusal(signal: Signal, transport: Transport, reason: TransportRefusal): void {
  ingestMetrics.requests.inc({ signal, transport, outcome: reason });
  ingestMetrics.rejected.inc({ signal, reason });
}

const reportedInternalErrors = new Set<string>();

/** Logs each kind of unexpected failure once, by class name only (STYLE.md, "Errors"). */
function reportInternalError(error: unknown): void {
  const name = error instanceof Error ? error.name : typeof error;
  if (reportedInternalErrors.has(name)) return;
  reportedInternalErrors.add(name);
  console.error(`vigil: OTLP export failed with an unexpected ${name}; further ones are only counted`);
}
