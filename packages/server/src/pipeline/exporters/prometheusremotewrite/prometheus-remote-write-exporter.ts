/**
 * The `prometheusremotewrite` exporter (contrib exporter/prometheusremotewriteexporter): metric
 * points translated with Vigil's OTLP→Prometheus mapping, sent as remote-write 1.0 requests
 * (remote_write_spec: protobuf WriteRequest, snappy block format, the version header) through the
 * shared sending queue with retries.
 */
import { compressSync } from 'snappy';
import type { MetricPoint } from '../../../model/metric-point.ts';
import type { PromSkipReason } from '../../../model/prom-mapping.ts';
import type { Signal } from '../../../model/signal.ts';
import type { ComponentContext, Consumer, ExporterFactory, Stoppable } from '../../graph/component.ts';
import { SettingsError } from '../../graph/component.ts';
import type { EncodedRequest, RequestCodec } from '../exporter-helper.ts';
import { createHttpSender } from '../helper/http-sender.ts';
import { createQueuedExporter } from '../helper/queued-exporter.ts';
import { withFixedHeaders } from '../helper/http-client-settings.ts';
import { readPrwSettings, type PrwSettings } from './prw-settings.ts';
import { translateForRemoteWrite } from './prw-translate.ts';
import { encodeWriteRequests } from './write-request-encoder.ts';

/** remote_write_spec "Protocol": these four are fixed; user `headers` cannot change them. */
export const REMOTE_WRITE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Encoding': 'snappy',
  'Content-Type': 'application/x-protobuf',
  'X-Prometheus-Remote-Write-Version': '0.1.0',
  'User-Agent': 'Vigil/0.1 (prometheusremotewrite exporter)',
};

const SKIP_WORDS: Readonly<Record<PromSkipReason, string>> = {
  delta_temporality: 'delta sums/histograms (Prometheus needs cumulative)',
  exponential_histogram: 'exponential histograms (native histograms are not sent)',
  invalid_name: 'metrics whose name leaves no valid Prometheus name',
};

/**
 * Spreads a batch's points over its requests in proportion to their samples, so the sent and
 * failed counters add up to the points exported (a point becomes several samples and series).
 */
function apportion(points: number, samplesPerRequest: readonly number[]): number[] {
  const totalSamples = samplesPerRequest.reduce((a, b) => a + b, 0);
  if (totalSamples === 0) return samplesPerRequest.map((_, i) => (i === 0 ? points : 0));
  let given = 0;
  return samplesPerRequest.map((samples, i) => {
    const share =
      i === samplesPerRequest.length - 1 ? points - given : Math.floor((points * samples) / totalSamples);
    given += share;
    return share;
  });
}

/**
 * The codec: points → snappy-compressed WriteRequests. Dropped points (delta, exponential
 * histograms) are logged once per reason, as the Collector logs "dropped" errors, never per point.
 */
export function createRemoteWriteCodec(
  settings: PrwSettings,
  log: (line: string) => void,
): RequestCodec<'metrics'> {
  const logged = new Set<PromSkipReason>();
  return {
    encode(points: MetricPoint[]): EncodedRequest[] {
      const { series, metadata, skippedPoints } = translateForRemoteWrite(points, settings.translate);
      let skipped = 0;
      for (const [reason, count] of Object.entries(skippedPoints) as [PromSkipReason, number][]) {
        skipped += count;
        if (count > 0 && !logged.has(reason)) {
          logged.add(reason);
          log(`prometheusremotewrite: dropping ${SKIP_WORDS[reason]}; further drops are not logged`);
        }
      }
      const bodies = encodeWriteRequests(
        series,
        settings.sendMetadata ? metadata : [],
        settings.maxBatchSizeBytes,
      );
      const items = apportion(
        points.length - skipped,
        bodies.map((b) => b.samples),
      );
      return bodies.map((body, i) => ({ body: compressSync(body.protobuf), items: items[i] ?? 0 }));
    },
  };
}

/**
 * The exporter factory, for the pipeline's component registry.
 *
 * @example
 * // exporters: { prometheusremotewrite: { endpoint: 'http://prometheus:9090/api/v1/write' } }
 * const exporter = prometheusRemoteWriteFactory.create('metrics', settings, context);
 */
export const prometheusRemoteWriteFactory: ExporterFactory = {
  type: 'prometheusremotewrite',
  signals: ['metrics'],
  create<S extends Signal>(
    signal: S,
    rawSettings: unknown,
    context: ComponentContext,
  ): Consumer<S> & Stoppable {
    if (signal !== 'metrics')
      throw new SettingsError(`the prometheusremotewrite exporter does not export ${signal}`);
    const settings = readPrwSettings(rawSettings, context);
    const send = createHttpSender({
      url: settings.http.url,
      headers: withFixedHeaders(settings.http.headers, REMOTE_WRITE_HEADERS),
      timeoutMs: settings.sending.timeoutMs,
      ...(settings.http.tls ? { tls: settings.http.tls } : {}),
    });
    const codec = createRemoteWriteCodec(settings, (line) => context.log(line));
    // The signal was checked above: this exporter's codec is the metrics codec.
    return createQueuedExporter('metrics', codec, send, settings.sending, context) as unknown as Consumer<S> &
      Stoppable;
  },
};
