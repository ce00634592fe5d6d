/**
 * MlAnalytics: the streaming ML analytics engine. The receiver side feeds it every accepted span
 * (before tail sampling, like the spanmetrics connector) through `consume`; the API asks it for
 * model summaries, canary comparisons, drift, timelines, placements, GenAI summaries and the
 * vigil_ml_* series. State is per model version and time slot (mergeable sketches and counts), so
 * any range is answered by merging its slots.
 */
import type { Span } from '../../model/span.ts';
import type { PromSeriesSamples } from '../../model/prom-series.ts';
import type { Consumer, Stoppable } from '../../pipeline/graph/component.ts';
import type {
  CanaryComparison,
  DeploymentMarker,
  DriftReference,
  DriftReport,
  GenAiSummary,
  LatencyPoint,
  LatencyQuantilesMs,
  ModelPlacement,
  ModelSummary,
  RangeMs,
} from '../ml-types.ts';
import type { BaselineInfo, BaselinesJson } from './baseline-store.ts';
import { BaselineStore } from './baseline-store.ts';
import type { CompareOptions } from './canary-compare.ts';
import { compareSlots } from './canary-compare.ts';
import { derivedSeries } from './derived-series.ts';
import { driftReport } from './drift-report.ts';
import type { MlEngineSnapshot, RestoreResult } from './engine-snapshot.ts';
import { restoreSnapshot, takeSnapshot } from './engine-snapshot.ts';
import { parseEngineSnapshot } from './engine-snapshot-parse.ts';
import type { MlEngineOptions, ResolvedMlEngineOptions } from './engine-options.ts';
import { resolveMlEngineOptions } from './engine-options.ts';
import type { MlEngineCounters } from './ml-ingest.ts';
import { MlIngest } from './ml-ingest.ts';
import { previousSlotSpan, slotSpanOf, slotSpanRange } from './slot-ring.ts';
import { Phase } from './span-classifier.ts';
import {
  genAiSummaries,
  latencyQuantiles,
  latencyTimeline,
  modelSummaries,
  placements,
} from './summaries.ts';
import { VersionSlot } from './version-slot.ts';

/** drift() was asked for a baseline that was never pinned (or was deleted). */
export class UnknownBaselineError extends Error {
  override readonly name = 'UnknownBaselineError';
}

/**
 * @example
 * const ml = new MlAnalytics({ nowMs: () => Date.now() });
 * await ml.consume(spans);
 * const range = { startMs: Date.now() - 3_600_000, endMs: Date.now() };
 * ml.compare('fraud-detector', '3.1.0', '3.2.0', range).verdict;
 * // ['3.2.0 p99 is 15% slower than 3.1.0 (95% CI [11%, 19%])', …]
 */
export class MlAnalytics implements Consumer<'traces'>, Stoppable {
  private readonly options: ResolvedMlEngineOptions;
  private readonly ingest: MlIngest;
  private readonly baselineStore = new BaselineStore();

  constructor(options: MlEngineOptions) {
    this.options = resolveMlEngineOptions(options);
    this.ingest = new MlIngest(this.options);
  }

  /** Spans counted, dropped by the limits, or too old for the retention. */
  get counters(): Readonly<MlEngineCounters> {
    return this.ingest.counters;
  }

  /** Aggregates the spans synchronously; never rejects (spans it cannot use are counted). */
  consume(spans: Span[]): Promise<void> {
    this.ingest.add(spans);
    return Promise.resolve();
  }

  /** Nothing to flush: the state is in memory and has no timers. */
  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  /** Whether the engine holds `model` (and `version` of it) — any data within the retention. */
  knows(model: string, version?: string): boolean {
    this.now();
    const versions = this.ingest.models.get(model);
    return versions !== undefined && (version === undefined || versions.has(version));
  }

  models(range: RangeMs): ModelSummary[] {
    const nowMs = this.now();
    return modelSummaries(this.ingest.models, range, this.options.slotMs, nowMs);
  }

  /** Versions first seen in `range` while another version of their model was known, oldest first. */
  deployments(range: RangeMs): DeploymentMarker[] {
    this.now();
    return this.ingest
      .deployments()
      .filter((marker) => marker.firstSeenMs >= range.startMs && marker.firstSeenMs < range.endMs)
      .sort((a, b) => a.firstSeenMs - b.firstSeenMs)
      .map((marker) => ({ ...marker }));
  }

  /** Canary analysis of `candidate` against `baseline` over `range` (canary-compare.ts). */
  compare(
    model: string,
    baseline: string,
    candidate: string,
    range: RangeMs,
    options: CompareOptions = {},
  ): CanaryComparison {
    this.now();
    const span = slotSpanOf(range, this.options.slotMs);
    const baselineSlot = this.merged(model, baseline, span);
    const candidateSlot = this.merged(model, candidate, span);
    return compareSlots({ model, baseline, candidate, range, baselineSlot, candidateSlot }, options);
  }

  /** Drift of `version` in `current` against the reference; throws UnknownBaselineError for an unknown pin. */
  drift(model: string, version: string, current: RangeMs, reference: DriftReference): DriftReport {
    this.now();
    const span = slotSpanOf(current, this.options.slotMs);
    const currentSlot = this.merged(model, version, span);
    if (reference.kind === 'baseline') {
      const pinned = this.baselineStore.get(reference.name);
      if (!pinned) throw new UnknownBaselineError(`no baseline named ${JSON.stringify(reference.name)}`);
      return driftReport(
        { model, version },
        current,
        { kind: 'baseline', name: reference.name, range: pinned.range },
        pinned.slot,
        currentSlot,
      );
    }
    const referenceSpan =
      reference.kind === 'previous'
        ? previousSlotSpan(span)
        : slotSpanOf(reference.range, this.options.slotMs);
    const referenceRange =
      reference.kind === 'previous' ? slotSpanRange(referenceSpan, this.options.slotMs) : reference.range;
    const referenceSlot = this.merged(model, version, referenceSpan);
    return driftReport(
      { model, version },
      current,
      { kind: reference.kind, range: referenceRange },
      referenceSlot,
      currentSlot,
    );
  }

  /** Pins the distributions of `version` over `range` as drift baseline `name` (replacing one of that name). */
  pinBaseline(name: string, model: string, version: string, range: RangeMs): BaselineInfo {
    this.now();
    return this.baselineStore.pin(
      name,
      model,
      version,
      range,
      this.merged(model, version, slotSpanOf(range, this.options.slotMs)),
    );
  }

  baselines(): BaselineInfo[] {
    return this.baselineStore.list();
  }

  deleteBaseline(name: string): boolean {
    return this.baselineStore.delete(name);
  }

  /** The pinned baselines as JSON, for the lead to write into the data directory. */
  baselinesToJSON(): BaselinesJson {
    return this.baselineStore.toJSON();
  }

  /** Replaces the pinned baselines with a file written by baselinesToJSON; throws TypeError if malformed. */
  loadBaselines(json: unknown): void {
    this.baselineStore.loadJSON(json);
  }

  /**
   * The engine's state (everything but pinned baselines) as a plain JSON-able object, for the lead
   * to write to the data directory at shutdown and read back with `restore` at start.
   *
   * @example
   * await writeFile(path, JSON.stringify(ml.snapshot()));
   */
  snapshot(): MlEngineSnapshot {
    return takeSnapshot(this.ingest, this.now());
  }

  /**
   * Adds a snapshot written by `snapshot` (engine-snapshot.ts): slots older than the retention at
   * the current time are dropped and the limits apply as at ingest. Into an engine that already
   * has data it merges (counts add). Throws TypeError naming the first bad field of a malformed
   * snapshot, before changing anything; a snapshot of another slotMs restores nothing and says so
   * in the result.
   *
   * @example
   * const result = ml.restore(JSON.parse(await readFile(path, 'utf8')));
   * if (result.slotMsMismatch) log.warn('ML snapshot ignored: slot width changed', result.slotMsMismatch);
   */
  restore(json: unknown): RestoreResult {
    const snapshot = parseEngineSnapshot(json);
    return restoreSnapshot(this.ingest, snapshot, this.now());
  }

  latencyTimeline(model: string, version: string, range: RangeMs, stepMs: number): LatencyPoint[] {
    this.now();
    const entry = this.ingest.models.get(model)?.get(version);
    if (!entry) return [];
    return latencyTimeline(entry, range, stepMs, this.options.slotMs);
  }

  /** Phase durations (inference.preprocess / forward_pass / postprocess) of a version over `range`. */
  phaseLatency(
    model: string,
    version: string,
    range: RangeMs,
  ): Record<'preprocess' | 'forwardPass' | 'postprocess', LatencyQuantilesMs> {
    this.now();
    const slot = this.merged(model, version, slotSpanOf(range, this.options.slotMs));
    return {
      preprocess: latencyQuantiles(slot.phasesMs[Phase.PREPROCESS]),
      forwardPass: latencyQuantiles(slot.phasesMs[Phase.FORWARD_PASS]),
      postprocess: latencyQuantiles(slot.phasesMs[Phase.POSTPROCESS]),
    };
  }

  placements(): ModelPlacement[] {
    this.now();
    return placements(this.ingest.models);
  }

  genAi(range: RangeMs): GenAiSummary[] {
    this.now();
    return genAiSummaries(
      this.ingest.genAiModels.values(),
      range,
      this.options.slotMs,
      this.options.genAiPrices,
    );
  }

  /** The vigil_ml_* series at `nowMs` (derived-series.ts). */
  derivedSeries(nowMs: number = this.options.nowMs()): PromSeriesSamples[] {
    this.ingest.evict(nowMs);
    return derivedSeries(this.ingest, this.options, nowMs);
  }

  /** The current time, after dropping what the retention no longer covers. */
  private now(): number {
    const nowMs = this.options.nowMs();
    this.ingest.evict(nowMs);
    return nowMs;
  }

  private merged(model: string, version: string, span: { first: number; last: number }): VersionSlot {
    return this.ingest.models.get(model)?.get(version)?.merged(span) ?? new VersionSlot();
  }
}
