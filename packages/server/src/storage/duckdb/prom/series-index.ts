import type { SeriesMatcher } from '../../../model/prom-series.ts';
import { seriesMatcherPredicate } from '../../../model/prom-series.ts';

/** A series' labels as `[name, value, name, value, …]`, sorted by name, no empty values. */
export type FlatLabels = readonly string[];

/** The value of `name` in flat labels; '' when absent (Prometheus: a missing label matches as ''). */
export function labelValue(labels: FlatLabels, name: string): string {
  for (let i = 0; i < labels.length; i += 2) if (labels[i] === name) return labels[i + 1] ?? '';
  return '';
}

/**
 * The identity key of a label set: the strings joined with NUL, 2–3× cheaper than JSON. Labels
 * holding a NUL take a JSON key after a leading NUL instead, which no joined key has (the first
 * label name is never empty), so keys stay unambiguous whatever the labels hold.
 */
export function labelsKey(labels: FlatLabels): string {
  for (const text of labels) if (text.includes('\u0000')) return `\u0000${JSON.stringify(labels)}`;
  return labels.join('\u0000');
}

/** A 32-bit FNV-1a hash of a label set; equal sets hash equal, and a NUL ends each string. */
export function labelsHash(labels: FlatLabels): number {
  let hash = 0x811c9dc5;
  for (const text of labels) {
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function sameLabels(a: FlatLabels, b: FlatLabels): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

interface CompiledMatcher {
  name: string;
  test: (value: string) => boolean;
  exact: string | null;
  matchesEmpty: boolean;
}

function compile(matcher: SeriesMatcher): CompiledMatcher {
  const test = seriesMatcherPredicate(matcher);
  return {
    name: matcher.name,
    test,
    exact: matcher.type === '=' ? matcher.value : null,
    matchesEmpty: test(''),
  };
}

function grown(array: Float64Array, length: number, fill: number): Float64Array {
  if (array.length >= length) return array;
  const next = new Float64Array(Math.max(length, array.length * 2)).fill(fill);
  next.set(array);
  return next;
}

/**
 * The worker's in-memory index of Prometheus series (docs/adr/0003-prometheus-series.md):
 * labels by dense ref, postings (label name → value → refs, ascending) for matcher resolution,
 * and each series' first/last sample time and last value. Loaded at open from `prom_series` and
 * `prom_samples`; changed only after a commit, so it never holds what DuckDB does not.
 */
export class SeriesIndex {
  private readonly labelsByRef: (FlatLabels | undefined)[] = [];
  /**
   * Refs by labelsHash: one ref, or the refs whose label sets share the hash. A key string per
   * series (all labels joined) cost ~80 bytes a series at 100k bench series; the labels are kept
   * anyway.
   */
  private readonly refsByHash = new Map<number, number | number[]>();
  private seriesCount = 0;
  private postings = new Map<string, Map<string, number[]>>();
  /**
   * One instance of each label string. Labels arrive as fresh strings with every write (structured
   * clone), and most (names, metric names, jobs, instances) repeat across series: sharing them took
   * the index from ~570 to ~430 bytes a series at 100k bench series.
   */
  private strings = new Map<string, string>();
  private firstMs: Float64Array = new Float64Array(1024).fill(Infinity);
  private lastMs: Float64Array = new Float64Array(1024).fill(-Infinity);
  private lastValues: Float64Array = new Float64Array(1024);
  private allRefsCache: number[] | null = null;
  /** The next unused ref; refs are never reused, so deleted series cannot alias new ones. */
  nextRef = 0;
  /**
   * Retention deletes whole chunk rows (a series' 2 h window); samples before the last cutoff
   * that share a row with newer ones stay on disk, and reads start here so they stay invisible.
   */
  retentionFloorMs = -Infinity;

  get size(): number {
    return this.seriesCount;
  }

  /** The ref of the series with exactly these labels. */
  refOf(labels: FlatLabels): number | undefined {
    const found = this.refsByHash.get(labelsHash(labels));
    if (found === undefined) return undefined;
    if (typeof found === 'number')
      return sameLabels(this.labelsByRef[found] ?? [], labels) ? found : undefined;
    return found.find((ref) => sameLabels(this.labelsByRef[ref] ?? [], labels));
  }

  labelsOf(ref: number): FlatLabels | undefined {
    return this.labelsByRef[ref];
  }

  /** Registers a series; refs arrive in ascending order (new ones, or sorted at load). */
  add(ref: number, fresh: FlatLabels): void {
    const labels = fresh.map((text) => this.intern(text));
    const previous = this.labelsByRef[ref];
    if (previous) this.forgetHash(labelsHash(previous), ref);
    else this.seriesCount++;
    this.labelsByRef[ref] = labels;
    const hash = labelsHash(labels);
    const found = this.refsByHash.get(hash);
    if (found === undefined) this.refsByHash.set(hash, ref);
    else if (typeof found === 'number') this.refsByHash.set(hash, [found, ref]);
    else found.push(ref);
    this.nextRef = Math.max(this.nextRef, ref + 1);
    this.firstMs = grown(this.firstMs, this.nextRef, Infinity);
    this.lastMs = grown(this.lastMs, this.nextRef, -Infinity);
    this.lastValues = grown(this.lastValues, this.nextRef, 0);
    for (let i = 0; i < labels.length; i += 2) this.post(labels[i] ?? '', labels[i + 1] ?? '', ref);
    this.allRefsCache = null;
  }

  /** Makes refs below `nextRef` unusable for new series (refs of deleted series seen in the sample WAL). */
  reserveRefs(nextRef: number): void {
    if (nextRef <= this.nextRef) return;
    this.nextRef = nextRef;
    this.firstMs = grown(this.firstMs, nextRef, Infinity);
    this.lastMs = grown(this.lastMs, nextRef, -Infinity);
    this.lastValues = grown(this.lastValues, nextRef, 0);
  }

  /** Forgets series (retention); postings are rebuilt, which is rare enough to be simple. */
  remove(refs: ReadonlySet<number>): void {
    for (const ref of refs) {
      const labels = this.labelsByRef[ref];
      if (!labels) continue;
      this.forgetHash(labelsHash(labels), ref);
      this.seriesCount--;
      this.labelsByRef[ref] = undefined;
      this.firstMs[ref] = Infinity;
      this.lastMs[ref] = -Infinity;
    }
    this.allRefsCache = null;
    this.postings = new Map();
    // Interned anew, so strings only the removed series used are let go.
    this.strings = new Map();
    this.allRefs().forEach((ref) => {
      const labels = this.labelsByRef[ref] ?? [];
      // Already the shared instances (wire ids may hold these arrays too): only registered again.
      for (const text of labels) this.intern(text);
      for (let i = 0; i < labels.length; i += 2) this.post(labels[i] ?? '', labels[i + 1] ?? '', ref);
    });
  }

  lastTimeMs(ref: number): number {
    return this.lastMs[ref] ?? -Infinity;
  }

  lastValue(ref: number): number {
    return this.lastValues[ref] ?? 0;
  }

  /** The last values by ref, to compare against without a JS number in between. */
  lastValueArray(): Float64Array {
    return this.lastValues;
  }

  /** Records an accepted sample (in time order per series). */
  noteSample(ref: number, timeMs: number, value: number): void {
    if (timeMs < (this.firstMs[ref] ?? Infinity)) this.firstMs[ref] = timeMs;
    if (timeMs >= (this.lastMs[ref] ?? -Infinity)) {
      this.lastMs[ref] = timeMs;
      this.lastValues[ref] = value;
    }
  }

  /** A series' sample bounds as read from disk at open. */
  setBounds(ref: number, firstMs: number, lastMs: number, lastValue: number): void {
    this.firstMs[ref] = firstMs;
    this.lastMs[ref] = lastMs;
    this.lastValues[ref] = lastValue;
  }

  /** After retention deleted everything before `cutoffMs`. */
  clampFirst(ref: number, cutoffMs: number): void {
    this.firstMs[ref] = Math.max(this.firstMs[ref] ?? Infinity, cutoffMs);
  }

  /** Whether the series has samples that may lie in [minMs, maxMs]. */
  overlaps(ref: number, minMs: number, maxMs: number): boolean {
    return (this.firstMs[ref] ?? Infinity) <= maxMs && (this.lastMs[ref] ?? -Infinity) >= minMs;
  }

  /** Postings of one label name: value → refs (read-only; for the cardinality report). */
  postingsOf(name: string): ReadonlyMap<string, readonly number[]> | undefined {
    return this.postings.get(name);
  }

  /** Every label name of any indexed series. */
  labelNames(): string[] {
    return [...this.postings.keys()];
  }

  /** How many series a metric has (its `__name__` postings). */
  seriesCountOf(metricName: string): number {
    return this.postings.get('__name__')?.get(metricName)?.length ?? 0;
  }

  allRefs(): readonly number[] {
    if (!this.allRefsCache) {
      const refs: number[] = [];
      this.labelsByRef.forEach((labels, ref) => {
        if (labels) refs.push(ref);
      });
      this.allRefsCache = refs;
    }
    return this.allRefsCache;
  }

  /**
   * Refs (ascending) of the series matching every matcher. Candidates come from the postings of
   * the most selective matcher that cannot match an absent label; the other matchers are checked
   * on each candidate's labels (regexes run once per distinct value, memoised).
   */
  resolve(matchers: readonly SeriesMatcher[]): readonly number[] {
    const compiled = matchers.map(compile);
    let candidates: readonly number[] | null = null;
    let chosen: CompiledMatcher | null = null;
    for (const matcher of compiled) {
      if (matcher.matchesEmpty) continue;
      const refs = this.postingsMatching(matcher);
      if (candidates === null || refs.length < candidates.length) {
        candidates = refs;
        chosen = matcher;
      }
    }
    const rest = compiled.filter((matcher) => matcher !== chosen);
    const pool = candidates ?? this.allRefs();
    if (rest.length === 0) return pool;
    return pool.filter((ref) => {
      const labels = this.labelsByRef[ref] ?? [];
      return rest.every((matcher) => matcher.test(labelValue(labels, matcher.name)));
    });
  }

  private postingsMatching(matcher: CompiledMatcher): readonly number[] {
    const values = this.postings.get(matcher.name);
    if (!values) return [];
    if (matcher.exact !== null) return values.get(matcher.exact) ?? [];
    const lists: number[][] = [];
    for (const [value, refs] of values) if (matcher.test(value)) lists.push(refs);
    if (lists.length <= 1) return lists[0] ?? [];
    return Array.from(Uint32Array.from(lists.flat()).sort());
  }

  private forgetHash(hash: number, ref: number): void {
    const found = this.refsByHash.get(hash);
    if (typeof found === 'number') this.refsByHash.delete(hash);
    else if (found) {
      const rest = found.filter((other) => other !== ref);
      if (rest.length === 1) this.refsByHash.set(hash, rest[0] ?? ref);
      else this.refsByHash.set(hash, rest);
    }
  }

  private intern(text: string): string {
    const known = this.strings.get(text);
    if (known !== undefined) return known;
    this.strings.set(text, text);
    return text;
  }

  private post(name: string, value: string, ref: number): void {
    let values = this.postings.get(name);
    if (!values) {
      values = new Map();
      this.postings.set(name, values);
    }
    const refs = values.get(value);
    if (refs) refs.push(ref);
    else values.set(value, [ref]);
  }
}
