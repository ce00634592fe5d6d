/**
 * Test doubles and builders for the rule manager's tests: an in-memory store that behaves like the
 * real one (out-of-order samples rejected), recording sinks, and a small rule-file reader standing
 * in for rules/rulefmt (which validates much more).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseDurationMillis } from '../../config/duration.ts';
import { labelsKey, labelsFrom, type Labels } from '../../query/promql/labels.ts';
import { compileMatcher, matchesAll, type LabelMatcher } from '../../query/promql/matchers.ts';
import type { SeriesSource, StoredSeries } from '../../query/promql/series-source.ts';
import { PromQLEngine } from '../../query/promql/engine.ts';
import { StoreSeriesSource } from '../../query/promql/store-series-source.ts';
import { openDuckDbStore, type DuckDbStore } from '../../storage/duckdb/duckdb-store.ts';
import type { PromSeriesSamples } from '../../model/prom-series.ts';
import type { SampleWriteResult } from '../../storage/store.ts';
import type { AlertTransition, NotifierAlert, RuleGroupSpec, RuleSpec } from '../rule-types.ts';
import { RuleManager, type RuleManagerOptions } from './rule-manager.ts';

export const MINUTE_MS = 60_000;

/**
 * Store.writeSamples kept in memory and readable as a PromQL SeriesSource; like the real store it
 * rejects samples not newer than a series' newest. Values live in typed arrays so stale markers
 * keep their NaN payload.
 */
export class MemoryRuleStore implements SeriesSource {
  readonly writes: PromSeriesSamples[][] = [];
  private readonly series = new Map<string, { labels: Labels; timestampsMs: number[] }>();

  writeSamples(batch: PromSeriesSamples[]): Promise<SampleWriteResult> {
    this.writes.push(batch);
    let samplesWritten = 0;
    let samplesRejected = 0;
    for (const { labels, timestampsMs, values } of batch) {
      const key = labelsKey(labels);
      const stored = this.series.get(key) ?? { labels, timestampsMs: [] };
      this.series.set(key, stored);
      for (let i = 0; i < timestampsMs.length; i++) {
        const timeMs = timestampsMs[i] ?? 0;
        if (timeMs <= (stored.timestampsMs.at(-1) ?? -Infinity)) {
          samplesRejected++;
          continue;
        }
        stored.timestampsMs.push(timeMs);
        this.valuesOf(key).push(values[i] ?? NaN);
        samplesWritten++;
      }
    }
    return Promise.resolve({ samplesWritten, samplesRejected });
  }

  select(matchers: readonly LabelMatcher[], minTimeMs: number, maxTimeMs: number): Promise<StoredSeries[]> {
    const compiled = matchers.map(compileMatcher);
    const found: StoredSeries[] = [];
    for (const [key, stored] of this.series) {
      if (!matchesAll(stored.labels, compiled)) continue;
      const values = this.valuesOf(key);
      const kept = stored.timestampsMs.flatMap((timeMs, i) =>
        timeMs >= minTimeMs && timeMs <= maxTimeMs ? [i] : [],
      );
      if (kept.length === 0) continue;
      found.push({
        labels: stored.labels,
        timestampsMs: Float64Array.from(kept, (i) => stored.timestampsMs[i] ?? 0),
        values: Float64Array.from(kept, (i) => values.at(i) ?? NaN),
      });
    }
    return Promise.resolve(found);
  }

  private readonly typedValues = new Map<string, TypedValues>();

  private valuesOf(key: string): TypedValues {
    let values = this.typedValues.get(key);
    if (!values) {
      values = new TypedValues();
      this.typedValues.set(key, values);
    }
    return values;
  }

  /** Input data: one sample. */
  add(labels: Record<string, string>, timeMs: number, value: number): void {
    void this.writeSamples([
      { labels: labelsFrom(labels), timestampsMs: Float64Array.of(timeMs), values: Float64Array.of(value) },
    ]);
  }

  /** Every sample written for series with exactly these labels, as [timeMs, value] pairs. */
  samplesOf(labels: Record<string, string>): [number, number][] {
    const key = labelsKey(labelsFrom(labels));
    const found: [number, number][] = [];
    for (const batch of this.writes)
      for (const series of batch)
        if (labelsKey(series.labels) === key)
          series.timestampsMs.forEach((timeMs, i) => found.push([timeMs, series.values[i] ?? NaN]));
    return found;
  }
}

/** A growable Float64Array: plain arrays may lose a stale marker's NaN payload. */
class TypedValues {
  private data = new Float64Array(16);
  private length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
  at(index: number): number | undefined {
    return index < this.length ? this.data[index] : undefined;
  }
}

export class RecordingSink {
  readonly batches: NotifierAlert[][] = [];
  send(alerts: readonly NotifierAlert[]): void {
    this.batches.push([...alerts]);
  }
}

export class RecordingHistory {
  readonly transitions: AlertTransition[] = [];
  record(transition: AlertTransition): void {
    this.transitions.push(transition);
  }
}

export interface TestManager {
  manager: RuleManager;
  store: MemoryRuleStore;
  sink: RecordingSink;
  history: RecordingHistory;
  logs: string[];
}

/** A manager over an in-memory store and the real PromQL engine. */
export function memoryManager(
  options: Partial<RuleManagerOptions> = {},
  store = new MemoryRuleStore(),
): TestManager {
  const sink = new RecordingSink();
  const history = new RecordingHistory();
  const logs: string[] = [];
  const manager = new RuleManager({
    engine: new PromQLEngine(store),
    store,
    sinks: [sink],
    history,
    evaluationIntervalMs: MINUTE_MS,
    externalLabels: {},
    externalURL: 'http://vigil.test:16700',
    log: (line) => logs.push(line),
    ...options,
  });
  return { manager, store, sink, history, logs };
}

/** A rule with defaults for the fields a test does not care about. */
export function rule(fields: Partial<RuleSpec> & { expr: string }): RuleSpec {
  return { forMs: 0, keepFiringForMs: 0, labels: {}, annotations: {}, line: 0, ...fields };
}

export function group(name: string, rules: RuleSpec[], fields: Partial<RuleGroupSpec> = {}): RuleGroupSpec {
  return { name, file: 'test.yaml', queryOffsetMs: 0, limit: 0, labels: {}, rules, ...fields };
}

/** A Prometheus rule file read just well enough for tests (the real loader is rules/rulefmt). */
export function parseRuleFile(text: string, file: string): RuleGroupSpec[] {
  const document = parse(text) as { groups?: Record<string, unknown>[] };
  return (document.groups ?? []).map((raw) => ({
    name: String(raw.name),
    file,
    intervalMs: typeof raw.interval === 'string' ? parseDurationMillis(raw.interval) : undefined,
    queryOffsetMs: typeof raw.query_offset === 'string' ? parseDurationMillis(raw.query_offset) : 0,
    limit: typeof raw.limit === 'number' ? raw.limit : 0,
    labels: stringMap(raw.labels),
    rules: ((raw.rules ?? []) as Record<string, unknown>[]).map((entry) =>
      rule({
        alert: typeof entry.alert === 'string' ? entry.alert : undefined,
        record: typeof entry.record === 'string' ? entry.record : undefined,
        expr: String(entry.expr),
        forMs: typeof entry.for === 'string' ? parseDurationMillis(entry.for) : 0,
        keepFiringForMs:
          typeof entry.keep_firing_for === 'string' ? parseDurationMillis(entry.keep_firing_for) : 0,
        labels: stringMap(entry.labels),
        annotations: stringMap(entry.annotations),
      }),
    ),
  }));
}

function stringMap(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(Object.entries(value).map(([name, text]) => [name, String(text)]));
}

/** A DuckDB store in a temporary directory, and the real engine over it. */
export async function openTestStore(): Promise<{
  store: DuckDbStore;
  engine: PromQLEngine;
  close(): Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-rules-'));
  const store = await openDuckDbStore({ path: join(dir, 'vigil.duckdb') });
  return {
    store,
    engine: new PromQLEngine(new StoreSeriesSource(store)),
    close: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** One series' samples every `stepMs` over [fromMs, toMs], values from a function of time. */
export function sampled(
  labels: Record<string, string>,
  fromMs: number,
  toMs: number,
  stepMs: number,
  valueAt: (timeMs: number) => number,
): PromSeriesSamples {
  const times: number[] = [];
  for (let timeMs = fromMs; timeMs <= toMs; timeMs += stepMs) times.push(timeMs);
  return {
    labels: labelsFrom(labels),
    timestampsMs: Float64Array.from(times),
    values: Float64Array.from(times, valueAt),
  };
}
