/**
 * Prometheus label sets. A series is identified by its labels, the metric name included as
 * `__name__`. Labels are immutable maps; functions that change labels build a new map.
 */
export type Labels = ReadonlyMap<string, string>;

export const METRIC_NAME = '__name__';

export const EMPTY_LABELS: Labels = new Map();

/** Builds labels from a plain record (test and API convenience). */
export function labelsFrom(record: Readonly<Record<string, string>>): Labels {
  return new Map(Object.entries(record));
}

/** Label names in Prometheus order (sorted by byte value of the name); do not mutate the result. */
export function sortedLabelNames(labels: Labels): readonly string[] {
  // Sorting and grouping ask for the names of the same (immutable) label set many times.
  const cached = namesCache.get(labels);
  if (cached) return cached;
  const names = [...labels.keys()].sort(compareStrings);
  namesCache.set(labels, names);
  return names;
}

const namesCache = new WeakMap<Labels, readonly string[]>();

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A string that identifies a label set: equal labels give equal keys. Used to group and match
 * series; `\xff` cannot appear in valid UTF-8 label text, so the join is unambiguous.
 */
export function labelsKey(labels: Labels): string {
  // Label maps are immutable and shared by every step of a series: compute each key once.
  const cached = keyCache.get(labels);
  if (cached !== undefined) return cached;
  let key = '';
  for (const name of sortedLabelNames(labels)) key += name + '\xfe' + (labels.get(name) ?? '') + '\xff';
  keyCache.set(labels, key);
  return key;
}

const keyCache = new WeakMap<Labels, string>();

/** Key of only the given label names (`on(...)`, `by(...)`); absent labels count as empty. */
export function labelsKeyOf(labels: Labels, names: readonly string[]): string {
  let key = '';
  for (const name of names) key += name + '\xfe' + (labels.get(name) ?? '') + '\xff';
  return key;
}

/** Key of all labels except the given names (`ignoring(...)`, `without(...)`). */
export function labelsKeyWithout(labels: Labels, excluded: ReadonlySet<string>): string {
  let key = '';
  for (const name of sortedLabelNames(labels)) {
    if (!excluded.has(name)) key += name + '\xfe' + (labels.get(name) ?? '') + '\xff';
  }
  return key;
}

export function dropMetricName(labels: Labels): Labels {
  if (!labels.has(METRIC_NAME)) return labels;
  const copy = new Map(labels);
  copy.delete(METRIC_NAME);
  return copy;
}

/** Only the given names; empty values are not labels in Prometheus and are left out. */
export function keepLabels(labels: Labels, names: readonly string[]): Labels {
  const kept = new Map<string, string>();
  for (const name of names) {
    const value = labels.get(name);
    if (value !== undefined && value !== '') kept.set(name, value);
  }
  return kept;
}

export function removeLabels(labels: Labels, names: ReadonlySet<string>): Labels {
  const kept = new Map<string, string>();
  for (const [name, value] of labels) if (!names.has(name)) kept.set(name, value);
  return kept;
}

/** Sets (or with an empty value, removes) one label, returning a new map. */
export function withLabel(labels: Labels, name: string, value: string): Labels {
  const copy = new Map(labels);
  if (value === '') copy.delete(name);
  else copy.set(name, value);
  return copy;
}

/** Prometheus's text form: `name{a="b", c="d"}`, labels sorted, values escaped as Go %q does. */
export function formatLabels(labels: Labels): string {
  const name = labels.get(METRIC_NAME);
  const parts: string[] = [];
  for (const key of sortedLabelNames(labels)) {
    if (key !== METRIC_NAME) parts.push(`${key}=${JSON.stringify(labels.get(key))}`);
  }
  if (name !== undefined && parts.length === 0) return name;
  return `${name ?? ''}{${parts.join(', ')}}`;
}

/** Plain object for JSON responses (Prometheus API `metric` fields). */
export function labelsToRecord(labels: Labels): Record<string, string> {
  const record: Record<string, string> = {};
  for (const name of sortedLabelNames(labels)) record[name] = labels.get(name) ?? '';
  return record;
}

/** Prometheus's labels.Compare: pairwise by name, then value, in sorted name order; shorter first. */
export function compareLabels(a: Labels, b: Labels): number {
  const aNames = sortedLabelNames(a);
  const bNames = sortedLabelNames(b);
  const length = Math.min(aNames.length, bNames.length);
  for (let i = 0; i < length; i++) {
    const aName = aNames[i] ?? '';
    const bName = bNames[i] ?? '';
    if (aName !== bName) return compareStrings(aName, bName);
    const byValue = compareStrings(a.get(aName) ?? '', b.get(bName) ?? '');
    if (byValue !== 0) return byValue;
  }
  return aNames.length - bNames.length;
}
