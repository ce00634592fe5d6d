/**
 * Turns discovered targets into scrape targets, as Prometheus's scrape/target.go PopulateLabels:
 * defaults (`job`, `__address__`, `__scheme__`, `__metrics_path__`, `__param_*`, interval and
 * timeout) are added, `relabel_configs` run, `__`-prefixed labels are removed, and `instance`
 * defaults to `__address__`.
 */
import { parseDurationMillis } from '../../../config/duration.ts';
import { relabel } from '../relabel/relabel.ts';
import type { ScrapeConfig, TargetGroup } from './scrape-config.ts';

/** One target to scrape: where, how often, and the labels its series get. */
export interface ScrapeTarget {
  jobName: string;
  url: URL;
  /** Labels after target relabeling, `__` labels removed; `job` and `instance` always present. */
  labels: ReadonlyMap<string, string>;
  scrapeIntervalMs: number;
  scrapeTimeoutMs: number;
  /** Identity across SD refreshes: a target with the same key is the same loop. */
  key: string;
}

/** What discovery produced for one job: its targets, and why some were left out. */
export interface TargetSet {
  targets: ScrapeTarget[];
  /** One line per dropped target with a configuration problem (not relabel drops). */
  errors: string[];
}

/**
 * Builds the targets of `groups` for `config`; targets relabeled away are silently left out,
 * as Prometheus drops them.
 */
export function buildTargets(config: ScrapeConfig, groups: readonly TargetGroup[]): TargetSet {
  const targets = new Map<string, ScrapeTarget>();
  const errors: string[] = [];
  for (const group of groups) {
    for (const address of group.targets) {
      const discovered = new Map(Object.entries(group.labels));
      discovered.set('__address__', address);
      try {
        const target = populateTarget(config, discovered);
        if (target) targets.set(target.key, target);
      } catch (error: unknown) {
        errors.push(`job ${config.jobName}, ${group.source}: ${(error as Error).message}`);
      }
    }
  }
  return { targets: [...targets.values()], errors };
}

/** PopulateLabels for one discovered label set; undefined when relabeling drops it. Throws on bad labels. */
export function populateTarget(config: ScrapeConfig, discovered: ReadonlyMap<string, string>): ScrapeTarget | undefined {
  const withDefaults = new Map(discovered);
  const defaults: [string, string][] = [
    ['job', config.jobName],
    ['__scrape_interval__', formatDuration(config.scrapeIntervalMs)],
    ['__scrape_timeout__', formatDuration(config.scrapeTimeoutMs)],
    ['__metrics_path__', config.metricsPath],
    ['__scheme__', config.scheme],
  ];
  for (const [name, values] of Object.entries(config.params)) {
    if (values[0] !== undefined) defaults.push([`__param_${name}`, values[0]]);
  }
  for (const [name, value] of defaults) if (!withDefaults.has(name)) withDefaults.set(name, value);
  const labels = relabel(withDefaults, config.relabelConfigs);
  if (!labels) return undefined;
  const address = labels.get('__address__');
  if (!address) throw new Error('no address');
  if (/[/?#@\s]/.test(address)) throw new Error(`invalid address "${address}"`);
  const scrapeIntervalMs = parseDurationMillis(labels.get('__scrape_interval__') ?? '');
  const scrapeTimeoutMs = parseDurationMillis(labels.get('__scrape_timeout__') ?? '');
  if (scrapeIntervalMs <= 0 || scrapeTimeoutMs <= 0) throw new Error('scrape interval and timeout must be positive');
  if (scrapeTimeoutMs > scrapeIntervalMs) throw new Error('scrape timeout greater than scrape interval');
  const url = targetUrl(config, labels, address);
  const public_ = new Map([...labels].filter(([name]) => !name.startsWith('__')));
  if (!public_.has('instance')) public_.set('instance', address);
  const sorted = new Map([...public_].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const key = `${config.jobName}\u0000${url.href}\u0000${[...sorted].flat().join('\u0000')}`;
  return { jobName: config.jobName, url, labels: sorted, scrapeIntervalMs, scrapeTimeoutMs, key };
}

/** target.go URL(): scheme, address and path from labels; `__param_x` overrides the first `x` param. */
function targetUrl(config: ScrapeConfig, labels: ReadonlyMap<string, string>, address: string): URL {
  const scheme = labels.get('__scheme__') ?? config.scheme;
  const path = labels.get('__metrics_path__') ?? config.metricsPath;
  const url = new URL(`${scheme}://${address}${path.startsWith('/') ? '' : '/'}${path}`);
  const params = new Map(Object.entries(config.params).map(([name, values]) => [name, [...values]]));
  for (const [name, value] of labels) {
    if (!name.startsWith('__param_')) continue;
    const param = name.slice('__param_'.length);
    const values = params.get(param) ?? [];
    values[0] = value;
    params.set(param, values);
  }
  for (const [name, values] of params) for (const value of values) url.searchParams.append(name, value);
  return url;
}

/** Prometheus writes durations like "15s", "1m30s"; whole ms otherwise. */
function formatDuration(ms: number): string {
  if (ms % 1000 !== 0) return `${ms}ms`;
  const seconds = ms / 1000;
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  return `${hours ? `${hours}h` : ''}${minutes ? `${minutes}m` : ''}${rest || (!hours && !minutes) ? `${rest}s` : ''}`;
}
