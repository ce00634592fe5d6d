import type { AttributeValue } from '../../model/attributes.ts';
import { ADJUSTED_COUNT_ATTRIBUTE, type Span } from '../../model/span.ts';
import type { ClockSkewOptions } from '../../query/traces/clock-skew.ts';
import { assembleTrace, type AssembledTrace, type TraceSpanNode } from '../../query/traces/trace-tree.ts';
import type { Store, TraceSummary } from '../../storage/store.ts';
import type { RangeMs } from '../ml-types.ts';

/** One assembled trace and how many traces it stands for. */
export interface WeightedTrace {
  trace: AssembledTrace;
  /** The root's `sampling.adjusted_count` (1 when absent or not a positive number). */
  weight: number;
}

/** What the analyses need of a store. */
export type TraceSource = Pick<Store, 'searchTraces' | 'getTrace'>;

export const DEFAULT_MAX_TRACES = 1000;
/** A request can ask for more, never for an unbounded scan: each trace is one getTrace. */
export const MAX_TRACES_LIMIT = 20_000;

export interface TraceSampleOptions {
  range: RangeMs;
  /** Only traces with a span of this service. */
  service?: string;
  /** Only traces with a span of this name (e.g. `inference.predict`). */
  operation?: string;
  /** At most this many traces (default 1000, capped at 20 000). */
  maxTraces?: number;
  /** getTrace calls in flight at once (default 8). */
  fetchConcurrency?: number;
  /**
   * The range is cut into this many equal windows, each searched for its share of `maxTraces`
   * (default 10). The store returns the newest traces first, so one search over the whole range
   * would only ever analyse its end; windows spread a truncated sample over the range.
   */
  windows?: number;
  /** Clock-skew adjustment when assembling (default on; raw timestamps stay on each node). */
  clockSkew?: ClockSkewOptions | false;
}

export interface TraceSample {
  range: RangeMs;
  traces: WeightedTrace[];
  /** Some window had more matching traces than it was allowed: the sample is not every trace. */
  truncated: boolean;
}

/** What every store-facing analysis adds to its pure report. */
export interface SampleInfo {
  range: RangeMs;
  truncated: boolean;
}

/**
 * Fetches up to `maxTraces` whole traces with a span starting in the range, spread over the range,
 * assembled (tree, orphans, clock skew) and weighted by their root's adjusted count.
 *
 * @example
 * const sample = await sampleTraces(store, { range: { startMs, endMs }, service: 'fraud-model' });
 */
export async function sampleTraces(store: TraceSource, options: TraceSampleOptions): Promise<TraceSample> {
  const maxTraces = clampInt(options.maxTraces ?? DEFAULT_MAX_TRACES, 1, MAX_TRACES_LIMIT);
  const windows = splitRange(options.range, clampInt(options.windows ?? 10, 1, maxTraces), maxTraces);
  const concurrency = clampInt(options.fetchConcurrency ?? 8, 1, 64);
  const { traceIds, truncated } = await findTraceIds(store, options, windows, maxTraces, concurrency);
  const assembled = await mapConcurrently(traceIds, concurrency, async (traceId) => {
    const spans = await store.getTrace(traceId);
    return spans.length === 0 ? undefined : weighTrace(spans, options.clockSkew);
  });
  const traces = assembled.filter((trace): trace is WeightedTrace => trace !== undefined);
  return { range: options.range, traces, truncated };
}

interface Window {
  range: RangeMs;
  limit: number;
}

/**
 * Searches every window for its share; windows that filled their share while others left theirs
 * unused are searched again with the spare shared out (at most three passes, so a query is a
 * bounded number of searches).
 */
async function findTraceIds(
  store: TraceSource,
  options: TraceSampleOptions,
  windows: readonly Window[],
  maxTraces: number,
  concurrency: number,
): Promise<{ traceIds: string[]; truncated: boolean }> {
  const limits = windows.map((window) => window.limit);
  const found: TraceSummary[][] = windows.map(() => []);
  let pending = windows.map((_, index) => index);
  for (let pass = 0; pass < 3 && pending.length > 0; pass++) {
    const results = await mapConcurrently(pending, concurrency, (index) =>
      searchWindow(store, options, { range: windows[index]!.range, limit: limits[index]! }),
    );
    pending.forEach((index, position) => (found[index] = results[position]!));
    const full = pending.filter((index) => found[index]!.length >= limits[index]!);
    const spare = maxTraces - uniqueTraceIds(found.flat()).length;
    if (spare <= 0 || full.length === 0) break;
    for (const index of full) limits[index]! += Math.ceil(spare / full.length);
    pending = full;
  }
  const truncated = found.some((summaries, index) => summaries.length >= limits[index]!);
  return { traceIds: uniqueTraceIds(found.flat()).slice(0, maxTraces), truncated };
}

function searchWindow(store: TraceSource, options: TraceSampleOptions, window: Window): Promise<TraceSummary[]> {
  return store.searchTraces({
    range: { startUnixNano: msToNanos(window.range.startMs), endUnixNano: msToNanos(window.range.endMs) },
    ...(options.service === undefined ? {} : { service: options.service }),
    ...(options.operation === undefined ? {} : { operation: options.operation }),
    limit: window.limit,
  });
}

/** Assembles spans into a trace and weights it (see WeightedTrace). */
export function weighTrace(spans: readonly Span[], clockSkew: ClockSkewOptions | false = {}): WeightedTrace {
  const trace = assembleTrace(spans, { clockSkew });
  const root = requestRoot(trace);
  return { trace, weight: adjustedCount(root?.span.attributes[ADJUSTED_COUNT_ATTRIBUTE]) };
}

/** The trace's true root (a span without parent), else undefined: an orphan is no request. */
export function requestRoot(trace: AssembledTrace): TraceSpanNode | undefined {
  return trace.roots.find((node) => !node.orphan && node.span.parentSpanId === '');
}

/** `sampling.adjusted_count` as a weight: a positive finite double or int, else 1. */
export function adjustedCount(value: AttributeValue | undefined): number {
  const count = typeof value === 'bigint' ? Number(value) : value;
  return typeof count === 'number' && Number.isFinite(count) && count > 0 ? count : 1;
}

/** Milliseconds (possibly fractional) as Unix nanoseconds, exact to the nanosecond. */
export function msToNanos(ms: number): bigint {
  const wholeMs = Math.floor(ms);
  return BigInt(wholeMs) * 1_000_000n + BigInt(Math.round((ms - wholeMs) * 1e6));
}

export function nanosToMs(nanos: bigint): number {
  return Number(nanos) / 1e6;
}

/** Equal windows over the range; the limit is shared out with the remainder going to the newest. */
function splitRange(range: RangeMs, count: number, maxTraces: number): Window[] {
  const widthMs = (range.endMs - range.startMs) / count;
  const base = Math.floor(maxTraces / count);
  const extra = maxTraces % count;
  return Array.from({ length: count }, (_, index) => ({
    range: {
      startMs: range.startMs + index * widthMs,
      endMs: index === count - 1 ? range.endMs : range.startMs + (index + 1) * widthMs,
    },
    limit: base + (index >= count - extra ? 1 : 0),
  }));
}

function uniqueTraceIds(summaries: readonly TraceSummary[]): string[] {
  return [...new Set(summaries.map((summary) => summary.traceId))];
}

function clampInt(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, Math.floor(value))) : min;
}

/** Maps with at most `concurrency` calls in flight (as TraceQueryService fetches traces). */
async function mapConcurrently<T, R>(
  inputs: readonly T[],
  concurrency: number,
  map: (input: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(inputs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < inputs.length) {
      const index = next++;
      results[index] = await map(inputs[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, inputs.length) }, worker));
  return results;
}
