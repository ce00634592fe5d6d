import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { parseScrapeConfigs, ScrapeConfigError } from '../receivers/prometheus/scrape/scrape-config.ts';
import { expandEnvInDocument } from './collector/env-substitution.ts';
import { readCollectorGraph } from './collector/graph-config.ts';
import { formatProblem, ProblemCollector } from './collector/problem.ts';
import { parseSloSpecs } from '../rules/slo/parse-slo-spec.ts';
import { SloSpecError } from '../rules/slo/spec-fields.ts';
import { parseDurationMillis, parseSizeBytes } from './duration.ts';
import { parseMlSettings } from '../ml/ml-settings.ts';
import { SettingsError } from '../pipeline/graph/component.ts';
import { defaultConfig, parseEndpoint, type VigilConfig } from './vigil-config.ts';

/** A config problem with the place it was found, so users can fix the file. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Reads a Vigil config file. Its shape follows the OpenTelemetry Collector's where the Collector has
 * the concept (`receivers.otlp.protocols.{grpc,http}.endpoint`, `http.cors.allowed_origins`,
 * `max_request_body_size`), plus a `vigil:` section for what is Vigil's own (data dir, API, retention).
 */
export function loadConfigFile(path: string, base: VigilConfig = defaultConfig()): VigilConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error: unknown) {
    throw new ConfigError(
      `cannot read config file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const first = doc.errors[0];
  if (first) {
    const { line, col } = lineCounter.linePos(first.pos[0]);
    throw new ConfigError(`${path}:${line}:${col}: invalid YAML: ${first.code}`);
  }
  // The Collector's ${env:NAME} references, expanded in the parsed values so lines stay right.
  const envProblems = new ProblemCollector(lineCounter);
  expandEnvInDocument(doc, process.env, envProblems);
  const envError = envProblems.result().errors[0];
  if (envError) throw new ConfigError(formatProblem(envError, path));
  const root: unknown = doc.toJS() ?? {};
  const config = applyConfigObject(root, base, dirname(resolve(path)), (msg, keyPath) => {
    const node = doc.getIn(keyPath, true) as { range?: [number, number, number] } | undefined;
    const where = node?.range ? lineCounter.linePos(node.range[0]) : undefined;
    return new ConfigError(
      `${path}${where ? `:${where.line}:${where.col}` : ''}: ${keyPath.join('.')}: ${msg}`,
    );
  });
  config.collector = readCollectorGraph(doc, lineCounter, root, path);
  return config;
}

type ErrorAt = (message: string, keyPath: string[]) => ConfigError;

/** `baseDir` anchors relative paths in the config (rule files), as Prometheus resolves them. */
export function applyConfigObject(
  root: unknown,
  base: VigilConfig,
  baseDir: string,
  errorAt: ErrorAt,
): VigilConfig {
  const config = structuredClone(base);
  const read = new ConfigReader(root, errorAt);
  const grpc = ['receivers', 'otlp', 'protocols', 'grpc'];
  const http = ['receivers', 'otlp', 'protocols', 'http'];
  read.with([...grpc, 'endpoint'], (v) =>
    Object.assign(config.otlpGrpc, read.endpoint(v, [...grpc, 'endpoint'])),
  );
  read.with([...http, 'endpoint'], (v) =>
    Object.assign(config.otlpHttp, read.endpoint(v, [...http, 'endpoint'])),
  );
  read.with(
    [...http, 'max_request_body_size'],
    (v) => (config.maxRequestBodyBytes = read.size(v, [...http, 'max_request_body_size'])),
  );
  read.with(
    [...http, 'cors', 'allowed_origins'],
    (v) => (config.otlpHttp.corsAllowedOrigins = read.strings(v, [...http, 'cors', 'allowed_origins'])),
  );
  read.with(
    [...http, 'cors', 'allowed_headers'],
    (v) => (config.otlpHttp.corsAllowedHeaders = read.strings(v, [...http, 'cors', 'allowed_headers'])),
  );
  read.with(['vigil', 'data_dir'], (v) => (config.dataDir = read.string(v, ['vigil', 'data_dir'])));
  read.with(
    ['vigil', 'api', 'endpoint'],
    (v) => (config.api = read.endpoint(v, ['vigil', 'api', 'endpoint'])),
  );
  read.with(
    ['vigil', 'max_pending_records'],
    (v) => (config.maxPendingRecords = read.positiveInt(v, ['vigil', 'max_pending_records'])),
  );
  for (const signal of ['traces', 'metrics', 'logs'] as const) {
    const at = ['vigil', 'retention', signal];
    read.with(at, (v) => (config.retention.maxAgeMillis[signal] = read.duration(v, at)));
  }
  read.with(
    ['vigil', 'limits', 'max_series'],
    (v) => (config.seriesLimits.maxSeries = read.positiveInt(v, ['vigil', 'limits', 'max_series'])),
  );
  read.with(
    ['vigil', 'limits', 'max_series_per_metric'],
    (v) =>
      (config.seriesLimits.maxSeriesPerMetric = read.positiveInt(v, [
        'vigil',
        'limits',
        'max_series_per_metric',
      ])),
  );
  read.with(
    ['vigil', 'retention', 'max_size'],
    (v) => (config.retention.maxSizeBytes = read.size(v, ['vigil', 'retention', 'max_size'])),
  );
  const scrape = ['receivers', 'prometheus', 'config'];
  read.with(scrape, (v) => (config.prometheusScrapeConfigs = read.scrapeConfigs(v, scrape)));
  applyAlertingConfig(read, config, baseDir);
  applyApdexConfig(read, config);
  applyImplicitConnectors(read, config);
  read.with(['vigil', 'ml'], (v) => {
    try {
      config.ml = parseMlSettings(v);
    } catch (error: unknown) {
      if (!(error instanceof SettingsError)) throw error;
      throw read.errorAt(error.message, ['vigil', 'ml', ...error.keyPath.map(String)]);
    }
  });
  return config;
}

function applyAlertingConfig(read: ConfigReader, config: VigilConfig, baseDir: string): void {
  const at = (key: string): string[] => ['vigil', 'alerting', key];
  const alerting = config.alerting;
  read.with(at('rule_files'), (v) => {
    alerting.ruleFiles = read.strings(v, at('rule_files')).map((file) => resolve(baseDir, file));
  });
  read.with(at('evaluation_interval'), (v) => {
    alerting.evaluationIntervalMs = read.duration(v, at('evaluation_interval'));
    if (alerting.evaluationIntervalMs <= 0) throw read.errorAt('must be positive', at('evaluation_interval'));
  });
  read.with(
    at('external_labels'),
    (v) => (alerting.externalLabels = read.stringMap(v, at('external_labels'))),
  );
  read.with(at('external_url'), (v) => (alerting.externalUrl = read.string(v, at('external_url'))));
  read.with(at('notifications_file'), (v) => {
    alerting.notificationConfigFile = resolve(baseDir, read.string(v, at('notifications_file')));
  });
  read.with(['vigil', 'slos'], (v) => {
    try {
      config.slos = parseSloSpecs(v, ['vigil', 'slos']);
    } catch (error: unknown) {
      if (error instanceof SloSpecError) throw read.errorAt(error.reason, [...error.keyPath]);
      throw error;
    }
  });
}

function applyApdexConfig(read: ConfigReader, config: VigilConfig): void {
  const at = (key: string): string[] => ['vigil', 'apdex', key];
  read.with(at('threshold'), (v) => (config.apdex.defaultMs = read.positiveDuration(v, at('threshold'))));
  read.with(at('services'), (v) => {
    if (typeof v !== 'object' || Array.isArray(v))
      throw read.errorAt('expected a map of service to T', at('services'));
    const byService: Record<string, number> = {};
    for (const [service, text] of Object.entries(v as Record<string, unknown>))
      byService[service] = read.positiveDuration(typeof text === 'number' ? String(text) : text, [
        ...at('services'),
        service,
      ]);
    config.apdex.byServiceMs = byService;
  });
}

/** `vigil.span_metrics: {enabled: false}` or connector settings such as `dimensions: […]`. */
function applyImplicitConnectors(read: ConfigReader, config: VigilConfig): void {
  const keys = { spanMetrics: 'span_metrics', serviceGraph: 'service_graph' } as const;
  for (const [field, key] of Object.entries(keys) as [keyof typeof keys, string][]) {
    read.with(['vigil', key], (v) => {
      if (typeof v !== 'object' || Array.isArray(v)) throw read.errorAt('expected a mapping', ['vigil', key]);
      const { enabled, ...settings } = v as Record<string, unknown>;
      if (enabled !== undefined && typeof enabled !== 'boolean')
        throw read.errorAt('expected true or false', ['vigil', key, 'enabled']);
      config.implicitConnectors[field] = { enabled: enabled ?? true, settings };
    });
  }
}

class ConfigReader {
  constructor(
    private readonly root: unknown,
    readonly errorAt: ErrorAt,
  ) {}

  with(keyPath: string[], apply: (value: unknown) => void): void {
    let node: unknown = this.root;
    for (const key of keyPath) {
      if (node === null || typeof node !== 'object' || !(key in node)) return;
      node = (node as Record<string, unknown>)[key];
    }
    if (node !== null && node !== undefined) apply(node);
  }

  string(value: unknown, at: string[]): string {
    if (typeof value !== 'string' || value === '') throw this.errorAt('expected a non-empty string', at);
    return value;
  }
  strings(value: unknown, at: string[]): string[] {
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
      throw this.errorAt('expected a list of strings', at);
    }
    return value;
  }
  stringMap(value: unknown, at: string[]): Record<string, string> {
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      throw this.errorAt('expected a map of names to strings', at);
    const entries = Object.entries(value as Record<string, unknown>);
    if (!entries.every(([, v]) => typeof v === 'string')) throw this.errorAt('expected string values', at);
    return Object.fromEntries(entries) as Record<string, string>;
  }
  positiveDuration(value: unknown, at: string[]): number {
    const millis = this.duration(value, at);
    if (millis <= 0) throw this.errorAt('must be a positive duration', at);
    return millis;
  }
  positiveInt(value: unknown, at: string[]): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
      throw this.errorAt('expected a positive integer', at);
    }
    return value;
  }
  endpoint(value: unknown, at: string[]): { host: string; port: number } {
    return this.convert(() => parseEndpoint(this.string(value, at)), at);
  }
  duration(value: unknown, at: string[]): number {
    return this.convert(() => parseDurationMillis(this.string(value, at)), at);
  }
  size(value: unknown, at: string[]): number {
    return this.convert(
      () => parseSizeBytes(typeof value === 'number' ? String(value) : this.string(value, at)),
      at,
    );
  }
  /** The OTel Collector prometheus receiver's `config:`, a Prometheus config (scrape-config.ts). */
  scrapeConfigs(value: unknown, at: string[]): ReturnType<typeof parseScrapeConfigs> {
    try {
      return parseScrapeConfigs(value);
    } catch (error: unknown) {
      if (error instanceof ScrapeConfigError) throw this.errorAt(error.message, [...at, ...error.keyPath]);
      throw error;
    }
  }
  private convert<T>(parse: () => T, at: string[]): T {
    try {
      return parse();
    } catch (error: unknown) {
      if (error instanceof ConfigError) throw error;
      throw this.errorAt((error as Error).message, at);
    }
  }
}
