import type { Signal } from '../model/signal.ts';
import type { ScrapeConfig } from '../receivers/prometheus/scrape/scrape-config.ts';
import { DEFAULT_SERIES_LIMITS, type SeriesLimits } from '../storage/store.ts';

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
