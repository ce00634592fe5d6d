import type { Signal } from '../model/signal.ts';
import type { CollectorGraphConfig } from '../pipeline/graph/collector-graph-config.ts';
import type { ScrapeConfig } from '../receivers/prometheus/scrape/scrape-config.ts';
import { DEFAULT_APDEX_THRESHOLDS, type ApdexThresholds } from '../query/traces/apdex.ts';
import type { SloSpec } from '../rules/slo/slo-spec.ts';
import { DEFAULT_SERIES_LIMITS, type SeriesLimits } from '../storage/store.ts';
import { DEFAULT_ML_SETTINGS, type MlSettings } from '../ml/ml-settings.ts';

/** Where something listens: host and port, written "host:port" in configs and flags. */
export interface Endpoint {
  host: string;
  port: number;
}

/** Everything `vigil serve` needs, with units in the names. Built by loadConfig() from defaults, file and flags. */
export interface VigilConfig {
  dataDir: string;
  otlpGrpc: Endpoint & { enabled: boolean };
  otlpHttp: Endpoint & { enabled: boolean; corsAllowedOrigins: string[]; corsAllowedHeaders: string[] };
  api: Endpoint;
  maxRequestBodyBytes: number;
  /** Records accepted but not yet durable before receivers answer 429 / RESOURCE_EXHAUSTED. */
  maxPendingRecords: number;
  retryAfterSeconds: number;
  retention: {
    maxAgeMillis: Record<Signal, number>;
    /** 0 disables the size cap. */
    maxSizeBytes: number;
    checkIntervalMillis: number;
  };
  /** `receivers.prometheus.config.scrape_configs`; empty when the prometheus receiver is not configured. */
  prometheusScrapeConfigs: ScrapeConfig[];
  /** `vigil.limits`: new Prometheus series past these are refused and counted. */
  seriesLimits: SeriesLimits;
  /** `vigil.alerting`: Prometheus rule files, SLOs and where alerts go. */
  alerting: AlertingConfig;
  /** `vigil.slos`: service level objectives (rules/slo/slo-spec.ts), each turned into burn-rate rules. */
  slos: SloSpec[];
  /** `vigil.apdex`: T per service for GET /api/vigil/v1/apdex. */
  apdex: ApdexThresholds;
  /** `processors`, `exporters`, `connectors` and `service.pipelines`; undefined without pipelines. */
  collector: CollectorGraphConfig | undefined;
  /**
   * `vigil.span_metrics` / `vigil.service_graph`: Vigil's own spanmetrics and servicegraph connectors
   * on every received span, unless the config has connectors of those types. Their other keys are the
   * connectors' settings.
   */
  implicitConnectors: { spanMetrics: ImplicitConnectorConfig; serviceGraph: ImplicitConnectorConfig };
  /** `vigil.ml`: model versions, canary analysis, drift, GPU correlation (docs/ml-analytics.md). */
  ml: MlSettings;
}

export interface ImplicitConnectorConfig {
  enabled: boolean;
  settings: Record<string, unknown>;
}

export interface AlertingConfig {
  /** Prometheus rule files (globs allowed), resolved against the config file's directory. */
  ruleFiles: string[];
  /** Prometheus's global evaluation_interval (1m) for groups without `interval:`. */
  evaluationIntervalMs: number;
  /** Added to every alert sent (Prometheus's global external_labels). */
  externalLabels: Record<string, string>;
  /** Base of alert generator URLs; empty means the API's own address. */
  externalUrl: string;
  /** An Alertmanager-format config (route, receivers, inhibit_rules); none means alerts are only listed. */
  notificationConfigFile: string | undefined;
}

const DAY_MILLIS = 86_400_000;

export function defaultConfig(): VigilConfig {
  return {
    dataDir: './data',
    otlpGrpc: { enabled: true, host: '127.0.0.1', port: 4317 },
    otlpHttp: {
      enabled: true,
      host: '127.0.0.1',
      port: 4318,
      corsAllowedOrigins: [],
      corsAllowedHeaders: [],
    },
    api: { host: '127.0.0.1', port: 16700 },
    // The Collector's confighttp default is 20 MiB; OTLP SDK batches are far below it.
    maxRequestBodyBytes: 20 * 1024 * 1024,
    maxPendingRecords: 200_000,
    retryAfterSeconds: 2,
    retention: {
      maxAgeMillis: { traces: 7 * DAY_MILLIS, metrics: 30 * DAY_MILLIS, logs: 7 * DAY_MILLIS },
      maxSizeBytes: 0,
      checkIntervalMillis: 60_000,
    },
    prometheusScrapeConfigs: [],
    seriesLimits: { ...DEFAULT_SERIES_LIMITS },
    alerting: {
      ruleFiles: [],
      evaluationIntervalMs: 60_000,
      externalLabels: {},
      externalUrl: '',
      notificationConfigFile: undefined,
    },
    slos: [],
    apdex: { defaultMs: DEFAULT_APDEX_THRESHOLDS.defaultMs, byServiceMs: {} },
    collector: undefined,
    implicitConnectors: {
      spanMetrics: { enabled: true, settings: {} },
      serviceGraph: { enabled: true, settings: {} },
    },
    ml: structuredClone(DEFAULT_ML_SETTINGS),
  };
}

/** Parses "host:port", ":port" or "port"; an empty host means 127.0.0.1 (bind loopback by default). */
export function parseEndpoint(text: string): Endpoint {
  const match = /^(?:(\[[^\]]+\]|[^:]*):)?(\d{1,5})$/.exec(text.trim());
  const port = Number(match?.[2]);
  if (!match || port > 65535) throw new Error('not an endpoint (expected host:port, e.g. 127.0.0.1:4318)');
  const host = match[1] ? match[1].replace(/^\[|\]$/g, '') : '127.0.0.1';
  return { host, port };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
