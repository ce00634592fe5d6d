/**
 * Turns one parsed exposition into the series to store, as Prometheus's scrape loop append path
 * (scrape/scrape.go mutateSampleLabels, verifyLabelLimits, the sample_limit appender): target
 * labels attached (honor_labels), metric_relabel_configs applied, limits enforced for the whole
 * scrape.
 */
import { relabel } from '../relabel/relabel.ts';
import type { RelabelConfig } from '../relabel/relabel-config.ts';
import type { ExposedSample } from '../exposition.ts';

export interface SampleRules {
  honorLabels: boolean;
  honorTimestamps: boolean;
  metricRelabelConfigs: readonly RelabelConfig[];
  sampleLimit: number;
  labelLimit: number;
  labelNameLengthLimit: number;
  labelValueLengthLimit: number;
}

/** One sample ready to store. `explicitTimestamp` samples are not tracked for staleness (as Prometheus). */
export interface ScrapedSample {
  key: string;
  labels: Map<string, string>;
  timestampMs: number;
  value: number;
  explicitTimestamp: boolean;
}

export type ProcessedScrape = { ok: true; samples: ScrapedSample[] } | { ok: false; error: string };

/**
 * Processes every sample of one scrape; any limit violation fails the whole scrape, as
 * Prometheus rolls back its appender then.
 */
export function processSamples(
  exposed: readonly ExposedSample[],
  targetLabels: ReadonlyMap<string, string>,
  rules: SampleRules,
  scrapeTimeMs: number,
): ProcessedScrape {
  const byKey = new Map<string, ScrapedSample>();
  for (const sample of exposed) {
    const labels = mutateSampleLabels(sample.labels, targetLabels, rules);
    if (!labels) continue;
    const problem = labelLimitProblem(labels, rules);
    if (problem) return { ok: false, error: problem };
    const key = seriesKey(labels);
    // A repeated series within one exposition: Prometheus keeps the first and counts a duplicate.
    if (byKey.has(key)) continue;
    const explicitTimestamp = rules.honorTimestamps && sample.timestampMs !== undefined;
    byKey.set(key, {
      key,
      labels,
      timestampMs: explicitTimestamp ? (sample.timestampMs ?? scrapeTimeMs) : scrapeTimeMs,
      value: sample.value,
      explicitTimestamp,
    });
  }
  if (rules.sampleLimit > 0 && byKey.size > rules.sampleLimit) {
    return { ok: false, error: `sample_limit exceeded (limit ${rules.sampleLimit})` };
  }
  return { ok: true, samples: [...byKey.values()] };
}

/** scrape.go mutateSampleLabels; undefined when metric relabeling drops the sample. */
export function mutateSampleLabels(
  exposed: ReadonlyMap<string, string>,
  targetLabels: ReadonlyMap<string, string>,
  rules: Pick<SampleRules, 'honorLabels' | 'metricRelabelConfigs'>,
): Map<string, string> | undefined {
  const builder = new Map([...exposed].filter(([, value]) => value !== ''));
  if (rules.honorLabels) {
    for (const [name, value] of targetLabels) if (!builder.has(name)) builder.set(name, value);
  } else {
    const conflicts: [string, string][] = [];
    for (const [name, value] of targetLabels) {
      const existing = builder.get(name);
      if (existing) conflicts.push([name, existing]);
      builder.set(name, value);
    }
    resolveConflicts(builder, conflicts);
  }
  const relabeled = relabel(builder, rules.metricRelabelConfigs);
  return relabeled && relabeled.size > 0 ? relabeled : undefined;
}

/** scrape.go resolveConflictingExposedLabels: `exported_` prefixes until the name is free, shortest first. */
function resolveConflicts(builder: Map<string, string>, conflicts: [string, string][]): void {
  conflicts.sort(([a], [b]) => a.length - b.length);
  for (const [name, value] of conflicts) {
    let exported = name;
    do exported = `exported_${exported}`;
    while (builder.has(exported));
    builder.set(exported, value);
  }
}

/** scrape.go verifyLabelLimits: messages as Prometheus's, without label values (they may be secrets). */
function labelLimitProblem(labels: ReadonlyMap<string, string>, rules: SampleRules): string | undefined {
  if (rules.labelLimit > 0 && labels.size > rules.labelLimit) {
    return `label_limit exceeded (metric: ${labels.get('__name__') ?? ''}, number of labels: ${labels.size}, limit: ${rules.labelLimit})`;
  }
  for (const [name, value] of labels) {
    if (rules.labelNameLengthLimit > 0 && byteLength(name) > rules.labelNameLengthLimit) {
      return `label_name_length_limit exceeded (metric: ${labels.get('__name__') ?? ''}, label name length: ${byteLength(name)}, limit: ${rules.labelNameLengthLimit})`;
    }
    if (rules.labelValueLengthLimit > 0 && byteLength(value) > rules.labelValueLengthLimit) {
      return `label_value_length_limit exceeded (metric: ${labels.get('__name__') ?? ''}, label: ${name}, value length: ${byteLength(value)}, limit: ${rules.labelValueLengthLimit})`;
    }
  }
  return undefined;
}

// Go's len() counts bytes: limits are in UTF-8 bytes, as Prometheus's.
function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** A stable identity for a label set (names sorted). */
export function seriesKey(labels: ReadonlyMap<string, string>): string {
  return [...labels]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}\u0000${value}`)
    .join('\u0001');
}
