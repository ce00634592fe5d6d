/**
 * Read-side answers built from merged slots: model and version summaries (RED, Apdex, ML health),
 * latency timelines, placements and GenAI summaries (shapes: ml/ml-types.ts).
 */
import type { LogSketch } from '../stats/log-sketch.ts';
import type {
  GenAiSummary,
  LatencyPoint,
  LatencyQuantilesMs,
  ModelPlacement,
  ModelSummary,
  RangeMs,
  VersionSummary,
} from '../ml-types.ts';
import type { GenAiPrice } from '../ml-settings.ts';
import type { GenAiEntry } from './genai-entry.ts';
import type { SlotSpan } from './slot-ring.ts';
import { slotSpanOf, slotSpanRange } from './slot-ring.ts';
import type { VersionEntry } from './version-entry.ts';
import type { VersionSlot } from './version-slot.ts';

/** Prometheus's limit on points per range query; a timeline is the same kind of answer. */
const MAX_TIMELINE_POINTS = 11_000;

export function latencyQuantiles(sketch: LogSketch | undefined): LatencyQuantilesMs {
  const quantile = (q: number): number | null => sketch?.quantile(q) ?? null;
  return {
    p50: quantile(0.5),
    p90: quantile(0.9),
    p95: quantile(0.95),
    p99: quantile(0.99),
    mean: sketch && sketch.count > 0 ? sketch.sum / sketch.count : null,
  };
}

/** Seconds the slots of `span` cover up to `nowMs` (the current slot is only partly over). */
export function coveredSeconds(span: SlotSpan, slotMs: number, nowMs: number): number {
  const covered = slotSpanRange(span, slotMs);
  return Math.max(0, Math.min(covered.endMs, nowMs) - covered.startMs) / 1000;
}

/** Apdex = (satisfied + tolerating / 2) / samples (apdex.org, "Apdex Technical Specification" §3). */
export function apdexOf(slot: VersionSlot): number | null {
  return slot.requests > 0 ? (slot.apdexSatisfied + slot.apdexTolerating / 2) / slot.requests : null;
}

export function versionSummary(
  entry: VersionEntry,
  slot: VersionSlot,
  modelRequests: number,
  seconds: number,
): VersionSummary {
  return {
    model: entry.model,
    version: entry.version,
    firstSeenMs: entry.firstSeenMs,
    lastSeenMs: entry.lastSeenMs,
    requests: slot.requests,
    errors: slot.errors,
    errorRate: slot.requests > 0 ? slot.errors / slot.requests : null,
    trafficShare: modelRequests > 0 ? slot.requests / modelRequests : 0,
    requestsPerSecond: seconds > 0 ? slot.requests / seconds : 0,
    latencyMs: latencyQuantiles(slot.latencyMs),
    apdex: apdexOf(slot),
    apdexThresholdMs: entry.apdexThresholdMs,
    nullFeatureRatio: slot.nullFeatureRatio(),
    gpuSecondsPerRequest: slot.gpuSpans > 0 && slot.requests > 0 ? slot.gpuSeconds / slot.requests : null,
    services: [...entry.services].sort(),
    hosts: [...entry.placements.keys()].sort(),
  };
}

/** Every model with a version seen in `range`, versions by requests (most first). */
export function modelSummaries(
  models: ReadonlyMap<string, ReadonlyMap<string, VersionEntry>>,
  range: RangeMs,
  slotMs: number,
  nowMs: number,
): ModelSummary[] {
  const span = slotSpanOf(range, slotMs);
  const seconds = coveredSeconds(span, slotMs, nowMs);
  const summaries: ModelSummary[] = [];
  for (const [model, versions] of models) {
    const merged: [VersionEntry, VersionSlot][] = [];
    for (const entry of versions.values())
      if (entry.firstSeenMs < range.endMs && entry.lastSeenMs >= range.startMs)
        merged.push([entry, entry.merged(span)]);
    if (merged.length === 0) continue;
    const requests = merged.reduce((sum, [, slot]) => sum + slot.requests, 0);
    const summary = merged.map(([entry, slot]) => versionSummary(entry, slot, requests, seconds));
    summary.sort((a, b) => b.requests - a.requests || a.version.localeCompare(b.version));
    summaries.push({ model, requests, versions: summary });
  }
  return summaries.sort((a, b) => a.model.localeCompare(b.model));
}

/**
 * Requests, p50 and p99 per step. Steps are whole slots (`stepMs` rounded up to a multiple of the
 * slot), aligned to the slot grid, so each request lands in exactly one point.
 */
export function latencyTimeline(
  entry: VersionEntry,
  range: RangeMs,
  stepMs: number,
  slotMs: number,
): LatencyPoint[] {
  const span = slotSpanOf(range, slotMs);
  const stepSlots = Math.max(1, Math.ceil(stepMs / slotMs));
  if ((span.last - span.first + 1) / stepSlots > MAX_TIMELINE_POINTS)
    throw new RangeError('too many points; use a larger step');
  const points: LatencyPoint[] = [];
  for (let first = span.first; first <= span.last; first += stepSlots) {
    const step = { first, last: Math.min(first + stepSlots - 1, span.last) };
    const slot = entry.merged(step);
    const stepRange = slotSpanRange(step, slotMs);
    points.push({
      startMs: stepRange.startMs,
      endMs: stepRange.endMs,
      requests: slot.requests,
      p50Ms: slot.latencyMs?.quantile(0.5) ?? null,
      p99Ms: slot.latencyMs?.quantile(0.99) ?? null,
    });
  }
  return points;
}

/** One row per version and host, GPU ids sorted. */
export function placements(models: ReadonlyMap<string, ReadonlyMap<string, VersionEntry>>): ModelPlacement[] {
  const rows: ModelPlacement[] = [];
  for (const versions of models.values())
    for (const entry of versions.values())
      for (const [host, gpus] of entry.placements)
        rows.push({ model: entry.model, version: entry.version, host, gpus: [...gpus].sort() });
  return rows.sort(
    (a, b) =>
      a.model.localeCompare(b.model) || a.version.localeCompare(b.version) || a.host.localeCompare(b.host),
  );
}

/**
 * GenAI models with requests in `range`. Throughput is Σ output tokens / Σ seconds of the requests
 * that report output tokens (end-to-end, TTFT included); cost per request is
 * (Σ input · input price + Σ output · output price) / 10⁶ / requests.
 */
export function genAiSummaries(
  entries: Iterable<GenAiEntry>,
  range: RangeMs,
  slotMs: number,
  prices: Readonly<Record<string, GenAiPrice>>,
): GenAiSummary[] {
  const span = slotSpanOf(range, slotMs);
  const summaries: GenAiSummary[] = [];
  for (const entry of entries) {
    const slot = entry.merged(span);
    if (slot.requests === 0) continue;
    const price = Object.hasOwn(prices, entry.model) ? prices[entry.model] : undefined;
    summaries.push({
      model: entry.model,
      system: entry.system,
      requests: slot.requests,
      errors: slot.errors,
      inputTokens: slot.inputTokens,
      outputTokens: slot.outputTokens,
      outputTokensPerSecond: slot.outputTokenSeconds > 0 ? slot.outputTokens / slot.outputTokenSeconds : null,
      timeToFirstTokenMs: latencyQuantiles(slot.timeToFirstTokenMs),
      costPerRequestUsd: price
        ? (slot.inputTokens * price.inputPerMillionUsd + slot.outputTokens * price.outputPerMillionUsd) /
          1e6 /
          slot.requests
        : null,
    });
  }
  return summaries.sort((a, b) => a.model.localeCompare(b.model));
}
