import type { Store } from '../../../storage/store.ts';
import { OtlpDecodeError } from '../../otlp/decode-error.ts';
import { negotiate } from './content-negotiation.ts';
import { decodeWriteRequestV1 } from './decode-v1.ts';
import { decodeWriteRequestV2 } from './decode-v2.ts';
import { remoteWriteMetrics } from './remote-write-metrics.ts';
import { uncompressSnappyBlock } from './snappy-block.ts';
import {
  RemoteWriteDecodeError,
  type DecodedWriteRequest,
  type RemoteWriteProtocol,
} from './write-request.ts';

/** A remote-write request as the HTTP layer hands it over: two headers and the raw body. */
export interface RemoteWriteInput {
  contentType: string | undefined;
  contentEncoding: string | undefined;
  body: Buffer;
}

/** The answer, as Prometheus writes it: 204, or a plain-text error (net/http's http.Error). */
export interface RemoteWriteAnswer {
  status: number;
  headers: Record<string, string>;
  /** Error text; empty for 204. */
  text: string;
  protocol?: RemoteWriteProtocol;
}

export interface RemoteWriteOptions {
  /** Largest decoded (uncompressed) body accepted; larger ones get 413. */
  maxDecodedBytes: number;
  nowMs?: () => number;
}

/** Prometheus refuses samples further ahead than this (write_handler.go, maxAheadTime). */
export const MAX_AHEAD_MS = 10 * 60 * 1000;

/** Response headers the 2.0 spec requires on every answer ("Required Written Response Headers"). */
export const WRITTEN_HEADERS = {
  samples: 'x-prometheus-remote-write-samples-written',
  histograms: 'x-prometheus-remote-write-histograms-written',
  exemplars: 'x-prometheus-remote-write-exemplars-written',
} as const;

/**
 * Handles one remote-write request (1.0 or 2.0) against the store, matching Prometheus's
 * storage/remote/write_handler.go: 415 for an unsupported Content-Type or Content-Encoding, 400
 * for a corrupt snappy or protobuf body, 204 when everything was written. Samples the store refuses
 * as out of order or duplicate, too far in the future, or native histograms (not stored yet) give a
 * 400 so that senders do not retry, and everything else in the request is still written (2.0's
 * "partial write"; Prometheus rolls 1.0 requests back instead, Vigil keeps what it can).
 * Store errors (overload, unavailable) propagate to the caller, which answers 429/503 so senders retry.
 *
 * @example
 * const answer = await handleRemoteWrite(store, { contentType, contentEncoding, body }, { maxDecodedBytes: 32 << 20 });
 */
export async function handleRemoteWrite(
  store: Pick<Store, 'writeSampleColumns'>,
  input: RemoteWriteInput,
  options: RemoteWriteOptions,
): Promise<RemoteWriteAnswer> {
  const negotiation = negotiate(input.contentType, input.contentEncoding);
  if (!negotiation.ok) return count(errorAnswer(415, negotiation.message));
  const { protocol } = negotiation;
  const decoded = await decodeBody(input.body, protocol, options);
  if ('status' in decoded) {
    // Nothing was written; 2.0 senders still get the written-counts headers they require.
    const headers = protocol === 'io.prometheus.write.v2.Request' ? writtenHeaders(0) : {};
    return count({ ...decoded, headers, protocol });
  }
  const result = await store.writeSampleColumns(decoded.columns, decoded.metadata);
  return count(answerFor(protocol, decoded, result.samplesWritten, result.samplesRejected));
}

async function decodeBody(
  body: Buffer,
  protocol: RemoteWriteProtocol,
  options: RemoteWriteOptions,
): Promise<DecodedWriteRequest | RemoteWriteAnswer> {
  const snappy = await uncompressSnappyBlock(body, options.maxDecodedBytes);
  if (snappy.kind === 'too_large')
    return errorAnswer(
      413,
      `decoded request body of ${snappy.decodedBytes} bytes exceeds the limit of ${options.maxDecodedBytes}`,
    );
  if (snappy.kind === 'corrupt') return errorAnswer(400, snappy.message);
  const decodeOptions = { maxTimestampMs: (options.nowMs ?? Date.now)() + MAX_AHEAD_MS };
  try {
    return protocol === 'prometheus.WriteRequest'
      ? decodeWriteRequestV1(snappy.data, decodeOptions)
      : decodeWriteRequestV2(snappy.data, decodeOptions);
  } catch (error: unknown) {
    if (error instanceof RemoteWriteDecodeError || error instanceof OtlpDecodeError)
      return errorAnswer(400, `decoding ${protocol}: ${error.message}`);
    throw error;
  }
}

function answerFor(
  protocol: RemoteWriteProtocol,
  decoded: DecodedWriteRequest,
  samplesWritten: number,
  storeRejected: number,
): RemoteWriteAnswer {
  const { dropped } = decoded;
  recordSamples(protocol, decoded, samplesWritten, storeRejected);
  const problems = [...decoded.problems];
  if (storeRejected > 0)
    problems.push(`${storeRejected} samples rejected: out of order sample or duplicate sample for timestamp`);
  if (dropped.too_far_in_future > 0)
    problems.push(`${dropped.too_far_in_future} samples rejected: timestamp is too far in the future`);
  const headers = protocol === 'io.prometheus.write.v2.Request' ? writtenHeaders(samplesWritten) : {};
  // 1.0: series with invalid labels are skipped without failing the request (write_handler.go write()).
  const failed =
    storeRejected > 0 ||
    dropped.too_far_in_future > 0 ||
    dropped.native_histogram_unsupported > 0 ||
    (protocol === 'io.prometheus.write.v2.Request' && dropped.invalid_labels > 0);
  if (!failed) return { status: 204, headers, text: '', protocol };
  return { status: 400, headers, text: `${problems.join('\n')}\n`, protocol };
}

function recordSamples(
  protocol: RemoteWriteProtocol,
  decoded: DecodedWriteRequest,
  written: number,
  storeRejected: number,
): void {
  const metrics = remoteWriteMetrics;
  metrics.samplesReceived.inc({ protocol }, decoded.sampleCount);
  metrics.samplesWritten.inc({ protocol }, written);
  for (const [reason, samples] of Object.entries(decoded.dropped)) {
    if (samples > 0) metrics.samplesRejected.inc({ reason }, samples);
  }
  if (storeRejected > 0) metrics.samplesRejected.inc({ reason: 'out_of_order_or_duplicate' }, storeRejected);
  if (decoded.exemplarCount > 0) metrics.exemplarsDropped.inc({}, decoded.exemplarCount);
}

/** Histograms and exemplars are never written: Vigil stores neither from remote write yet. */
function writtenHeaders(samplesWritten: number): Record<string, string> {
  return {
    [WRITTEN_HEADERS.samples]: String(samplesWritten),
    [WRITTEN_HEADERS.histograms]: '0',
    [WRITTEN_HEADERS.exemplars]: '0',
  };
}

function errorAnswer(status: number, message: string): RemoteWriteAnswer {
  return { status, headers: {}, text: `${message}\n` };
}

function count(answer: RemoteWriteAnswer): RemoteWriteAnswer {
  remoteWriteMetrics.requests.inc({ protocol: answer.protocol ?? 'unknown', code: String(answer.status) });
  return answer;
}
