/**
 * The `loki` exporter (contrib exporter/lokiexporter): log records as Loki streams (labels and
 * lines by the Collector's rules, loki-labels.ts and loki-line.ts), pushed to
 * `POST /loki/api/v1/push` through the shared sending queue with retries.
 *
 * Settings: `endpoint` (required), `headers`, `tls`, `default_labels_enabled`, `timeout`,
 * `sending_queue`, `retry_on_failure`, and Vigil's own `format: protobuf | json` (default
 * protobuf: snappy-compressed logproto.PushRequest, as upstream sends). The `loki.tenant` hint
 * labels the tenant attribute as upstream does, but every request goes to the one tenant of the
 * configured headers (set `headers: {X-Scope-OrgID: …}`): Vigil sends no per-tenant requests.
 */
import { compressSync } from 'snappy';
import type { LogRecord } from '../../../model/log-record.ts';
import type { Signal } from '../../../model/signal.ts';
import { NANOS_PER_MILLI } from '../../../model/units.ts';
import type { ComponentContext, Consumer, ExporterFactory, Stoppable } from '../../graph/component.ts';
import { SettingsError } from '../../graph/component.ts';
import { SettingsReader } from '../../graph/settings-reader.ts';
import type { EncodedRequest, RequestCodec } from '../exporter-helper.ts';
import { createHttpSender } from '../helper/http-sender.ts';
import {
  createQueuedExporter,
  EXPORTER_HELPER_KEYS,
  readExporterHelperSettings,
  type QueuedExporterSettings,
} from '../helper/queued-exporter.ts';
import {
  HTTP_CLIENT_KEYS,
  readHttpClientSettings,
  withFixedHeaders,
  type HttpClientSettings,
} from '../helper/http-client-settings.ts';
import type { DefaultLabel, DefaultLabelsEnabled } from './loki-labels.ts';
import { toLokiStreams, type LokiDropReason } from './loki-streams.ts';
import { encodePushRequestJson, encodePushRequestProto } from './push-request-encoder.ts';

export type LokiPushFormat = 'protobuf' | 'json';

export interface LokiSettings {
  http: HttpClientSettings;
  defaultLabelsEnabled: DefaultLabelsEnabled;
  format: LokiPushFormat;
  sending: QueuedExporterSettings;
}

const USER_AGENT = 'Vigil/0.1 (loki exporter)';
const DEFAULT_LABELS: readonly DefaultLabel[] = ['exporter', 'job', 'instance', 'level'];

/** A map of label name → bool; names other than the four defaults are ignored, as upstream's map does. */
function readDefaultLabels(settings: SettingsReader): DefaultLabelsEnabled {
  const block = settings.child('default_labels_enabled') ?? SettingsReader.of({});
  const [exporter, job, instance, level] = DEFAULT_LABELS.map((name) => block.boolean(name, true));
  return { exporter: exporter ?? true, job: job ?? true, instance: instance ?? true, level: level ?? true };
}

/**
 * Parses the exporter's settings (lokiexporter config.go Validate: `"endpoint" must be a valid URL`).
 *
 * @example
 * readLokiSettings({ endpoint: 'http://loki:3100/loki/api/v1/push', format: 'json' }, context);
 */
export function readLokiSettings(raw: unknown, context: ComponentContext): LokiSettings {
  const settings = SettingsReader.of(raw);
  settings.allowOnly([...HTTP_CLIENT_KEYS, ...EXPORTER_HELPER_KEYS, 'default_labels_enabled', 'format']);
  const http = readHttpClientSettings(settings);
  const format = settings.string('format', 'protobuf');
  if (format !== 'protobuf' && format !== 'json')
    throw settings.error('format must be "protobuf" or "json"', 'format');
  return {
    http,
    defaultLabelsEnabled: readDefaultLabels(settings),
    format,
    sending: readExporterHelperSettings(settings, context),
  };
}

const DROP_WORDS: Readonly<Record<LokiDropReason, string>> = {
  missing_labels: 'log records without any label (Loki needs one per stream)',
  unencodable: 'log records holding NaN or ±Inf, which JSON cannot carry',
  unsupported_format: 'log records with a loki.format hint other than json or raw',
};

/** The codec: one push request per batch; drops are logged once per reason. */
export function createLokiCodec(
  settings: LokiSettings,
  context: Pick<ComponentContext, 'log' | 'nowMs'>,
): RequestCodec<'logs'> {
  const logged = new Set<LokiDropReason>();
  const now = (): bigint => BigInt(Math.round(context.nowMs())) * NANOS_PER_MILLI;
  return {
    encode(records: LogRecord[]): EncodedRequest[] {
      const {
        streams,
        records: placed,
        dropped,
      } = toLokiStreams(records, settings.defaultLabelsEnabled, now);
      for (const [reason, count] of Object.entries(dropped) as [LokiDropReason, number][]) {
        if (count > 0 && !logged.has(reason)) {
          logged.add(reason);
          context.log(`loki: dropping ${DROP_WORDS[reason]}; further drops are not logged`);
        }
      }
      if (streams.length === 0) return [];
      const body =
        settings.format === 'json'
          ? encodePushRequestJson(streams)
          : compressSync(encodePushRequestProto(streams));
      return [{ body, items: placed }];
    },
  };
}

/** Loki reads protobuf pushes as snappy blocks without a Content-Encoding (Promtail sends none). */
function pushHeaders(format: LokiPushFormat): Record<string, string> {
  return format === 'json'
    ? { 'Content-Type': 'application/json', 'User-Agent': USER_AGENT }
    : { 'Content-Type': 'application/x-protobuf', 'User-Agent': USER_AGENT };
}

/**
 * The exporter factory, for the pipeline's component registry.
 *
 * @example
 * // exporters: { loki: { endpoint: 'http://loki:3100/loki/api/v1/push' } }
 * const exporter = lokiExporterFactory.create('logs', settings, context);
 */
export const lokiExporterFactory: ExporterFactory = {
  type: 'loki',
  signals: ['logs'],
  create<S extends Signal>(
    signal: S,
    rawSettings: unknown,
    context: ComponentContext,
  ): Consumer<S> & Stoppable {
    if (signal !== 'logs') throw new SettingsError(`the loki exporter does not export ${signal}`);
    const settings = readLokiSettings(rawSettings, context);
    const send = createHttpSender({
      url: settings.http.url,
      headers: withFixedHeaders(settings.http.headers, pushHeaders(settings.format)),
      timeoutMs: settings.sending.timeoutMs,
      ...(settings.http.tls ? { tls: settings.http.tls } : {}),
    });
    // The signal was checked above: this exporter's codec is the logs codec.
    return createQueuedExporter(
      'logs',
      createLokiCodec(settings, context),
      send,
      settings.sending,
      context,
    ) as unknown as Consumer<S> & Stoppable;
  },
};
