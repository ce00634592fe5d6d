import { gzipSync } from 'node:zlib';
import type { Signal, SignalBatch } from '../../../model/signal.ts';
import type { EncodedRequest, RequestCodec } from '../exporter-helper.ts';
import { encodeMetricsJson } from './encode-json-metrics.ts';
import { encodeLogsJson, encodeTracesJson } from './encode-json.ts';
import { encodeLogsProto } from './encode-logs-proto.ts';
import { encodeMetricsProto } from './encode-metrics-proto.ts';
import { encodeTracesProto } from './encode-traces-proto.ts';

export type OtlpEncoding = 'proto' | 'json';

/**
 * Records per request. The Collector's otlp exporters send whatever batch they are given; Vigil
 * caps requests at the batch processor's default send_batch_size (8192) so one huge consume call
 * cannot produce a request over a receiver's 4 MiB gRPC message limit as easily.
 */
export const DEFAULT_MAX_ITEMS_PER_REQUEST = 8192;

type Encoder<S extends Signal> = (records: SignalBatch[S]) => Uint8Array;

const ENCODERS: { [E in OtlpEncoding]: { [S in Signal]: Encoder<S> } } = {
  proto: { traces: encodeTracesProto, metrics: encodeMetricsProto, logs: encodeLogsProto },
  json: { traces: encodeTracesJson, metrics: encodeMetricsJson, logs: encodeLogsJson },
};

/** The encoders by signal, for callers that encode without the queue (tests, tools). */
export function otlpEncoder<S extends Signal>(signal: S, encoding: OtlpEncoding): Encoder<S> {
  return ENCODERS[encoding][signal];
}

/**
 * A RequestCodec producing Export*ServiceRequest bodies, gzipped when asked (OTLP/HTTP sends
 * `Content-Encoding: gzip`; the queue then holds compressed bodies, so the on-disk queue is small).
 *
 * @example
 * const codec = createOtlpCodec('traces', { encoding: 'proto', gzip: true });
 * const [request] = codec.encode(spans); // request.body: gzipped ExportTraceServiceRequest
 */
export function createOtlpCodec<S extends Signal>(
  signal: S,
  options: { encoding: OtlpEncoding; gzip: boolean; maxItems?: number },
): RequestCodec<S> {
  const encode = otlpEncoder(signal, options.encoding);
  const maxItems = Math.max(1, options.maxItems ?? DEFAULT_MAX_ITEMS_PER_REQUEST);
  return {
    encode(records: SignalBatch[S]): EncodedRequest[] {
      const requests: EncodedRequest[] = [];
      for (let start = 0; start < records.length; start += maxItems) {
        const chunk = records.slice(start, start + maxItems) as SignalBatch[S];
        const body = encode(chunk);
        requests.push({ body: options.gzip ? gzipSync(body) : body, items: chunk.length });
      }
      return requests;
    },
  };
}
