/**
 * The prometheus receiver's `config:` block (a Prometheus config: `global` + `scrape_configs`),
 * parsed with Prometheus's defaults (config/config.go DefaultGlobalConfig / DefaultScrapeConfig).
 */
import { parseDurationMillis, parseSizeBytes } from '../../../config/duration.ts';
import { parseRelabelConfigs, RelabelConfigError, type RelabelConfig } from '../relabel/relabel-config.ts';

/** Targets sharing labels, as `static_configs` entries and file_sd files write them. */
export interface TargetGroup {
  targets: string[];
  labels: Record<string, string>;
  /** Where the group came from, for messages: "static", or the file path. */
  source: string;
}

export interface FileSdConfig {
  /** Paths; the file name part may hold `*` / `?` wildcards, as Prometheus allows. */
  files: string[];
  refreshIntervalMs: number;
}

export type ScrapeAuth =
  | { type: 'basic'; username: string; password?: string; passwordFile?: string }
  | { type: 'bearer'; credentials?: string; credentialsFile?: string };

/** One `scrape_configs` entry with every default applied. */
export interface ScrapeConfig {
  jobName: string;
  scrapeIntervalMs: number;
  scrapeTimeoutMs: number;
  metricsPath: string;
  params: Record<string, string[]>;
  scheme: 'http' | 'https';
  auth?: ScrapeAuth;
  honorLabels: boolean;
  honorTimestamps: boolean;
  staticConfigs: TargetGroup[];
  fileSdConfigs: FileSdConfig[];
  relabelConfigs: RelabelConfig[];
  metricRelabelConfigs: RelabelConfig[];
  /** 0 means no limit, as in Prometheus. */
  sampleLimit: number;
  labelLimit: number;
  labelNameLengthLimit: number;
  labelValueLengthLimit: number;
  bodySizeLimitBytes: number;
}

/** A config problem; `keyPath` is relative to the receiver's `config:` block. */
export class ScrapeConfigError extends Error {
  override readonly name = 'ScrapeConfigError';
  constructor(
    message: string,
    readonly keyPath: string[],
  ) {
    super(message);
  }
}

const DEFAULT_INTERVAL_MS = 60_000;
const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_FILE_SD_REFRESH_MS = 300_000;

type Fields = Record<string, unknown>;

/**
 * Parses the receiver's `config:` object.
 *
 * @example
 * parseScrapeConfigs({ scrape_configs: [{ job_name: 'node', static_configs: [{ targets: ['localhost:9100'] }] }] });
 */
export function parseScrapeConfigs(raw: unknown): ScrapeConfig[] {
  const root = mapping(raw ?? {}, []);
  const global = mapping(root.global ?? {}, ['global']);
  const globalIntervalMs = duration(global.scrape_interval, ['global', 'scrape_interval']) ?? DEFAULT_INTERVAL_MS;
  const globalTimeoutMs = duration(global.scrape_timeout, ['global', 'scrape_timeout']) ?? DEFAULT_TIMEOUT_MS;
  if (globalTimeoutMs > globalIntervalMs) throw new ScrapeConfigError('global scrape timeout greater than scrape interval', ['global']);
  const list = root.scrape_configs ?? [];
  if (!Array.isArray(list)) throw new ScrapeConfigError('expected a list', ['scrape_configs']);
  const jobs = list.map((entry, index) => parseJob(entry, ['scrape_configs', String(index)], globalIntervalMs, globalTimeoutMs));
  const seen = new Set<string>();
  jobs.forEach((job, index) => {
    if (seen.has(job.jobName)) throw new ScrapeConfigError(`found multiple scrape configs with job name "${job.jobName}"`, ['scrape_configs', String(index)]);
    seen.add(job.jobName);
  });
  return jobs;
}

function parseJob(raw: unknown, at: string[], globalIntervalMs: number, globalTimeoutMs: number): ScrapeConfig {
  const job = mapping(raw, at);
  const jobName = job.job_name;
  if (typeof jobName !== 'string' || jobName === '') throw new ScrapeConfigError('job_name is empty', [...at, 'job_name']);
  const scrapeIntervalMs = duration(job.scrape_interval, [...at, 'scrape_interval']) ?? globalIntervalMs;
  // config.go: an unset timeout is the global one, capped at the job's interval.
  let scrapeTimeoutMs = duration(job.scrape_timeout, [...at, 'scrape_timeout']);
  if (scrapeTimeoutMs === undefined) scrapeTimeoutMs = Math.min(globalTimeoutMs, scrapeIntervalMs);
  if (scrapeTimeoutMs > scrapeIntervalMs) {
    throw new ScrapeConfigError(`scrape timeout greater than scrape interval for scrape config with job name "${jobName}"`, at);
  }
  const scheme = job.scheme ?? 'http';
  if (scheme !== 'http' && scheme !== 'https') throw new ScrapeConfigError('scheme must be http or https', [...at, 'scheme']);
  return {
    jobName,
    scrapeIntervalMs,
    scrapeTimeoutMs,
    metricsPath: optionalString(job.metrics_path, [...at, 'metrics_path']) ?? '/metrics',
    params: params(job.params, [...at, 'params']),
    scheme,
    auth: auth(job, at),
    honorLabels: bool(job.honor_labels, [...at, 'honor_labels']) ?? false,
    honorTimestamps: bool(job.honor_timestamps, [...at, 'honor_timestamps']) ?? true,
    staticConfigs: list(job.static_configs, [...at, 'static_configs']).map((g, i) => targetGroup(g, [...at, 'static_configs', String(i)], 'static')),
    fileSdConfigs: list(job.file_sd_configs, [...at, 'file_sd_configs']).map((f, i) => fileSd(f, [...at, 'file_sd_configs', String(i)])),
    relabelConfigs: relabelRules(job.relabel_configs, [...at, 'relabel_configs']),
    metricRelabelConfigs: relabelRules(job.metric_relabel_configs, [...at, 'metric_relabel_configs']),
    sampleLimit: limit(job.sample_limit, [...at, 'sample_limit']),
    labelLimit: limit(job.label_limit, [...at, 'label_limit']),
    labelNameLengthLimit: limit(job.label_name_length_limit, [...at, 'label_name_length_limit']),
    labelValueLengthLimit: limit(job.label_value_length_limit, [...at, 'label_value_length_limit']),
    bodySizeLimitBytes: bodySize(job.body_size_limit, [...at, 'body_size_limit']),
  };
}

/** Reads the shapes of a target group: `{ targets: [...], labels: {...} }`. Shared with file SD. */
export function targetGroup(raw: unknown, at: string[], source: string): TargetGroup {
  const group = mapping(raw, at);
  const targets = list(group.targets, [...at, 'targets']);
  if (!targets.every((t): t is string => typeof t === 'string')) throw new ScrapeConfigError('targets must be strings', [...at, 'targets']);
  const labels = mapping(group.labels ?? {}, [...at, 'labels']);
  for (const [name, value] of Object.entries(labels)) {
    if (typeof value !== 'string') throw new ScrapeConfigError(`label ${name} must be a string`, [...at, 'labels', name]);
  }
  return { targets, labels: labels as Record<string, string>, source };
}

function fileSd(raw: unknown, at: string[]): FileSdConfig {
  const config = mapping(raw, at);
  const files = list(config.files, [...at, 'files']);
  if (files.length === 0 || !files.every((f): f is string => typeof f === 'string' && /\.(json|ya?ml)$/.test(f))) {
    throw new ScrapeConfigError('files must be paths ending in .json, .yml or .yaml', [...at, 'files']);
  }
  return { files, refreshIntervalMs: duration(config.refresh_interval, [...at, 'refresh_interval']) ?? DEFAULT_FILE_SD_REFRESH_MS };
}

function auth(job: Fields, at: string[]): ScrapeAuth | undefined {
  const kinds = ['basic_auth', 'authorization', 'bearer_token', 'bearer_token_file'].filter((k) => job[k] !== undefined);
  if (kinds.length > 1) throw new ScrapeConfigError(`at most one of ${kinds.join(', ')} may be configured`, at);
  if (job.basic_auth !== undefined) {
    const basic = mapping(job.basic_auth, [...at, 'basic_auth']);
    const username = optionalString(basic.username, [...at, 'basic_auth', 'username']) ?? '';
    const password = optionalString(basic.password, [...at, 'basic_auth', 'password']);
    const passwordFile = optionalString(basic.password_file, [...at, 'basic_auth', 'password_file']);
    if (password !== undefined && passwordFile !== undefined) throw new ScrapeConfigError('at most one of password and password_file', [...at, 'basic_auth']);
    return { type: 'basic', username, password, passwordFile };
  }
  if (job.authorization !== undefined) {
    const authorization = mapping(job.authorization, [...at, 'authorization']);
    const type = optionalString(authorization.type, [...at, 'authorization', 'type']) ?? 'Bearer';
    if (type.toLowerCase() !== 'bearer') throw new ScrapeConfigError('only the Bearer authorization type is supported', [...at, 'authorization', 'type']);
    return {
      type: 'bearer',
      credentials: optionalString(authorization.credentials, [...at, 'authorization', 'credentials']),
      credentialsFile: optionalString(authorization.credentials_file, [...at, 'authorization', 'credentials_file']),
    };
  }
  const token = optionalString(job.bearer_token, [...at, 'bearer_token']);
  const tokenFile = optionalString(job.bearer_token_file, [...at, 'bearer_token_file']);
  return token !== undefined || tokenFile !== undefined ? { type: 'bearer', credentials: token, credentialsFile: tokenFile } : undefined;
}

function relabelRules(raw: unknown, at: string[]): RelabelConfig[] {
  try {
    return parseRelabelConfigs(raw);
  } catch (error: unknown) {
    if (error instanceof RelabelConfigError) throw new ScrapeConfigError(error.message, at);
    throw error;
  }
}

function params(raw: unknown, at: string[]): Record<string, string[]> {
  const fields = mapping(raw ?? {}, at);
  const result: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(fields)) {
    if (!Array.isArray(values) || !values.every((v) => typeof v === 'string')) throw new ScrapeConfigError('expected a list of strings', [...at, name]);
    result[name] = values;
  }
  return result;
}

function mapping(raw: unknown, at: string[]): Fields {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new ScrapeConfigError('expected a mapping', at);
  return raw as Fields;
}

function list(raw: unknown, at: string[]): unknown[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new ScrapeConfigError('expected a list', at);
  return raw;
}

function optionalString(raw: unknown, at: string[]): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string') throw new ScrapeConfigError('expected a string', at);
  return raw;
}

function bool(raw: unknown, at: string[]): boolean | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'boolean') throw new ScrapeConfigError('expected true or false', at);
  return raw;
}

function duration(raw: unknown, at: string[]): number | undefined {
  if (raw === undefined || raw === null) return undefined;
  const text = typeof raw === 'string' ? raw : '';
  try {
    const ms = parseDurationMillis(text);
    if (ms <= 0) throw new Error('duration must be positive');
    return ms;
  } catch (error: unknown) {
    throw new ScrapeConfigError((error as Error).message, at);
  }
}

function limit(raw: unknown, at: string[]): number {
  if (raw === undefined || raw === null) return 0;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 0) throw new ScrapeConfigError('expected a non-negative integer', at);
  return raw;
}

function bodySize(raw: unknown, at: string[]): number {
  if (raw === undefined || raw === null) return 0;
  try {
    if (typeof raw !== 'string' && typeof raw !== 'number') throw new Error('expected a size such as 10MB');
    return parseSizeBytes(String(raw));
  } catch (error: unknown) {
    throw new ScrapeConfigError((error as Error).message, at);
  }
}
