import { SIGNALS } from '../../../model/signal.ts';
import type { Signal } from '../../../model/signal.ts';
import type { ComponentContext, Consumer, ExporterFactory, Stoppable } from '../../graph/component.ts';
import { SettingsReader } from '../../graph/settings-reader.ts';
import { createHttpSender } from '../helper/http-sender.ts';
import type { HttpTlsOptions } from '../helper/http-sender.ts';
import {
  createQueuedExporter,
  EXPORTER_HELPER_KEYS,
  readExporterHelperSettings,
} from '../helper/queued-exporter.ts';
import { readPartialSuccess } from './otlp-answers.ts';
import { partialSuccessReporter, readCompression, readHeaders, readTls } from './otlp-client-settings.ts';
import { createOtlpCodec } from './otlp-codec.ts';
import type { OtlpEncoding } from './otlp-codec.ts';

/** otlphttp's default timeout (exporter/otlphttpexporter factory.go: 30s, not exporterhelper's 5s). */
const DEFAULT_TIMEOUT_MS = 30_000;

const SIGNAL_PATH: Record<Signal, string> = { traces: 'v1/traces', metrics: 'v1/metrics', logs: 'v1/logs' };
const SIGNAL_ENDPOINT_KEY: Record<Signal, string> = {
  traces: 'traces_endpoint',
  metrics: 'metrics_endpoint',
  logs: 'logs_endpoint',
};
const CONTENT_TYPE: Record<OtlpEncoding, string> = {
  proto: 'application/x-protobuf',
  json: 'application/json',
};

/**
 * The `otlphttp` exporter: OTLP/HTTP (the Collector's exporter/otlphttpexporter). Settings:
 * endpoint (base URL; /v1/traces etc. appended) or traces_endpoint / metrics_endpoint /
 * logs_endpoint (used as written), encoding (proto | json), compression (gzip | none), headers,
 * tls, timeout (30s), sending_queue, retry_on_failure.
 *
 * @example
 * exporters:
 *   otlphttp/vendor:
 *     endpoint: https://otlp.example.com
 *     headers: { authorization: Bearer ${env:TOKEN} }
 */
export const otlpHttpExporterFactory: ExporterFactory = {
  type: 'otlphttp',
  signals: SIGNALS,
  create<S extends Signal>(signal: S, settings: unknown, context: ComponentContext): Consumer<S> & Stoppable {
    const s = SettingsReader.of(settings);
    s.allowOnly([
      'endpoint',
      ...Object.values(SIGNAL_ENDPOINT_KEY),
      'encoding',
      'compression',
      'headers',
      'tls',
      ...EXPORTER_HELPER_KEYS,
    ]);
    const url = signalUrl(s, signal);
    const encoding = readEncoding(s);
    const gzip = readCompression(s) === 'gzip';
    const helper = readExporterHelperSettings(s, context, { timeoutMs: DEFAULT_TIMEOUT_MS });
    const headers: Record<string, string> = {
      ...readHeaders(s),
      'content-type': CONTENT_TYPE[encoding],
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    };
    const report = partialSuccessReporter(signal, context);
    const send = createHttpSender({
      url,
      headers,
      timeoutMs: helper.timeoutMs,
      tls: httpTls(s, url),
      onResponse: (body, contentType) => report(readPartialSuccess(body, contentType)),
    });
    return createQueuedExporter(signal, createOtlpCodec(signal, { encoding, gzip }), send, helper, context);
  },
};

/**
 * The URL for one signal: its own `<signal>_endpoint` as written, else `endpoint` + "/v1/<signal>"
 * (otlphttpexporter composeSignalURL). The Collector's Config.Validate wants at least one.
 */
function signalUrl(s: SettingsReader, signal: Signal): string {
  const key = SIGNAL_ENDPOINT_KEY[signal];
  const anyEndpoint = ['endpoint', ...Object.values(SIGNAL_ENDPOINT_KEY)].some((k) => s.has(k));
  if (!anyEndpoint) throw s.error('at least one endpoint must be specified');
  const own = s.string(key, '');
  const base = s.string('endpoint', '');
  const url = own !== '' ? own : base === '' ? '' : `${base.replace(/\/$/, '')}/${SIGNAL_PATH[signal]}`;
  if (url === '') throw s.error(`no endpoint for ${signal}: set "endpoint" or "${key}"`, key);
  const keyOfUrl = own !== '' ? key : 'endpoint';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw s.error(`invalid endpoint URL "${url}"`, keyOfUrl);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw s.error(`endpoint must be an http:// or https:// URL`, keyOfUrl);
  return url;
}

/** `encoding`: proto (default) or json (otlphttpexporter EncodingProto / EncodingJSON). */
function readEncoding(s: SettingsReader): OtlpEncoding {
  const value = s.string('encoding', 'proto');
  if (value !== 'proto' && value !== 'json')
    throw s.error(`invalid encoding "${value}": use proto or json`, 'encoding');
  return value;
}

function httpTls(s: SettingsReader, url: string): HttpTlsOptions | undefined {
  const tls = readTls(s);
  if (!url.startsWith('https:')) return undefined;
  return {
    ...(tls.ca === undefined ? {} : { ca: tls.ca }),
    ...(tls.cert === undefined ? {} : { cert: tls.cert }),
    ...(tls.key === undefined ? {} : { key: tls.key }),
    rejectUnauthorized: !tls.insecureSkipVerify,
  };
}
