/**
 * The ingest side of the ML engine: classifies every span (span-classifier.ts) and adds it to the
 * slot of its model version or GenAI model. Bounded: at most `maxVersions` versions and as many
 * GenAI models; spans past the limits, and spans older than the retention, are counted, not kept.
 *
 * Hot path: one Map lookup per level (model → version), the span's own strings as keys, a reused
 * identity object; the only allocations are sketch buckets and the first slot of a minute.
 */
import type { Span } from '../../model/span.ts';
import { StatusCode } from '../../model/span.ts';
import type { DeploymentMarker } from '../ml-types.ts';
import type { ResolvedMlEngineOptions } from './engine-options.ts';
import { GenAiEntry } from './genai-entry.ts';
import { genAiSystemOf, Phase, SpanClassifier } from './span-classifier.ts';
import type { VersionLimitCounters } from './version-entry.ts';
import { VersionEntry } from './version-entry.ts';

// Read once: under the tsx loader each use of an imported binding is a getter call.
const NO_PHASE = Phase.NONE;

/** What the engine counted; the lead can export these as self-metrics. */
export interface MlEngineCounters extends VersionLimitCounters {
  /** Spans attributed to a model version or GenAI model. */
  modelSpans: number;
  /** Spans of versions (or GenAI models) that arrived past maxVersions. */
  droppedVersionSpans: number;
  /** Spans that ended before the oldest retained slot. */
  lateSpans: number;
}

export class MlIngest {
  /** model → version → entry. */
  readonly models = new Map<string, Map<string, VersionEntry>>();
  readonly genAiModels = new Map<string, GenAiEntry>();
  readonly counters: MlEngineCounters = {
    modelSpans: 0,
    droppedVersionSpans: 0,
    lateSpans: 0,
    droppedFeatureValues: 0,
    otherClassPredictions: 0,
  };
  private versionCount = 0;
  private readonly classifier = new SpanClassifier();
  private firstKeptSlot = -Infinity;

  constructor(readonly options: ResolvedMlEngineOptions) {}

  /** Adds a batch of spans (the engine's Consumer<'traces'>.consume). */
  add(spans: readonly Span[]): void {
    this.evict(this.options.nowMs());
    for (const span of spans) this.addSpan(span);
  }

  /** Drops slots older than the retention, versions not seen within it, and old markers. */
  evict(nowMs: number): void {
    const { slotMs, retentionMs } = this.options;
    const firstKept = Math.floor((nowMs - retentionMs) / slotMs);
    if (firstKept <= this.firstKeptSlot) return;
    this.firstKeptSlot = firstKept;
    const oldestKeptMs = nowMs - retentionMs;
    for (const [model, versions] of this.models) {
      for (const [version, entry] of versions) {
        entry.slots.evictBefore(firstKept);
        if (entry.lastSeenMs >= oldestKeptMs) continue;
        versions.delete(version);
        this.versionCount--;
      }
      if (versions.size === 0) this.models.delete(model);
    }
    for (const [model, entry] of this.genAiModels) {
      entry.slots.evictBefore(firstKept);
      if (entry.lastSeenMs < oldestKeptMs) this.genAiModels.delete(model);
    }
  }

  private addSpan(span: Span): void {
    const classifier = this.classifier;
    const isModel = classifier.classify(span);
    const timeMs = classifier.endMs;
    const slotIndex = Math.floor(timeMs / this.options.slotMs);
    if (slotIndex < this.firstKeptSlot) {
      this.counters.lateSpans++;
      return;
    }
    const genAiModel = classifier.genAiModel(span.attributes);
    const isGenAi = genAiModel !== undefined && this.addGenAi(genAiModel, span, timeMs, slotIndex);
    const entry = isModel ? this.entryOf(classifier.model, classifier.version, timeMs) : undefined;
    if (isGenAi || entry !== undefined) this.counters.modelSpans++;
    if (entry === undefined) return;
    entry.seen(span, timeMs);
    if (classifier.phase !== NO_PHASE)
      entry.recordPhase(entry.slots.slot(slotIndex), span, classifier.durationMs, classifier.phase);
    else if (classifier.isRequest)
      entry.recordRequest(
        entry.slots.slot(slotIndex),
        span,
        classifier.durationMs,
        span.statusCode === StatusCode.ERROR,
      );
  }

  /** Returns false when the GenAI model limit turned the span away. */
  private addGenAi(model: string, span: Span, timeMs: number, slotIndex: number): boolean {
    let entry = this.genAiModels.get(model);
    if (entry === undefined) {
      if (this.genAiModels.size >= this.options.limits.maxVersions) {
        this.counters.droppedVersionSpans++;
        return false;
      }
      this.genAiModels.set(model, (entry = new GenAiEntry(model, genAiSystemOf(span.attributes), timeMs)));
    }
    entry.record(entry.slots.slot(slotIndex), span, timeMs, this.classifier.durationMs);
    return true;
  }

  private entryOf(model: string, version: string, timeMs: number): VersionEntry | undefined {
    let versions = this.models.get(model);
    const known = versions?.get(version);
    if (known !== undefined) return known;
    if (this.versionCount >= this.options.limits.maxVersions) {
      this.counters.droppedVersionSpans++;
      return undefined;
    }
    if (versions === undefined) this.models.set(model, (versions = new Map<string, VersionEntry>()));
    return this.newEntry(versions, model, version, timeMs, this.options.apdexThresholdMs(model));
  }

  /**
   * For a snapshot being restored (engine-snapshot.ts): the version's entry if tracked, else a new
   * one with the snapshot's Apdex T (its slots' Apdex buckets were counted with it), else undefined
   * past maxVersions.
   */
  restoredEntry(
    model: string,
    version: string,
    firstSeenMs: number,
    apdexThresholdMs: number,
  ): VersionEntry | undefined {
    let versions = this.models.get(model);
    const known = versions?.get(version);
    if (known !== undefined) return known;
    if (this.versionCount >= this.options.limits.maxVersions) return undefined;
    if (versions === undefined) this.models.set(model, (versions = new Map<string, VersionEntry>()));
    return this.newEntry(versions, model, version, firstSeenMs, apdexThresholdMs);
  }

  /** For a snapshot being restored: the GenAI model's entry, a new one, or undefined past the limit. */
  restoredGenAiEntry(model: string, system: string, firstSeenMs: number): GenAiEntry | undefined {
    let entry = this.genAiModels.get(model);
    if (entry === undefined && this.genAiModels.size < this.options.limits.maxVersions)
      this.genAiModels.set(model, (entry = new GenAiEntry(model, system, firstSeenMs)));
    return entry;
  }

  private newEntry(
    versions: Map<string, VersionEntry>,
    model: string,
    version: string,
    firstSeenMs: number,
    apdexThresholdMs: number,
  ): VersionEntry {
    const entry = new VersionEntry(
      model,
      version,
      firstSeenMs,
      apdexThresholdMs,
      this.options.limits,
      this.counters,
      this.classifier,
    );
    versions.set(version, entry);
    this.versionCount++;
    return entry;
  }

  /**
   * Deployment markers from span times, not arrival order (batches of several services arrive in any
   * order): each version first seen more than one slot after its model's first version is a
   * deployment. Versions seen within the first slot were both running when Vigil started watching.
   * previousVersion: the earlier version with most requests in the series window before it.
   */
  deployments(): DeploymentMarker[] {
    const markers: DeploymentMarker[] = [];
    for (const [model, versions] of this.models) {
      const ordered = [...versions.values()].sort((a, b) => a.firstSeenMs - b.firstSeenMs);
      const modelFirstMs = ordered[0]?.firstSeenMs ?? 0;
      for (const entry of ordered) {
        if (entry.firstSeenMs - modelFirstMs <= this.options.slotMs) continue;
        const earlier = ordered.filter((other) => other.firstSeenMs < entry.firstSeenMs);
        markers.push(this.deploymentMarker(earlier, model, entry));
      }
    }
    return markers;
  }

  private deploymentMarker(
    earlier: readonly VersionEntry[],
    model: string,
    entry: VersionEntry,
  ): DeploymentMarker {
    const slotIndex = Math.floor(entry.firstSeenMs / this.options.slotMs);
    const windowSlots = Math.max(1, Math.ceil(this.options.seriesWindowMs / this.options.slotMs));
    const recent = { first: slotIndex - windowSlots, last: slotIndex };
    let previousVersion: string | undefined;
    let mostRequests = -1;
    for (const other of earlier) {
      let requests = 0;
      other.slots.forEachIn(recent, (slot) => (requests += slot.requests));
      if (requests > mostRequests) [previousVersion, mostRequests] = [other.version, requests];
    }
    const marker: DeploymentMarker = { model, version: entry.version, firstSeenMs: entry.firstSeenMs };
    if (previousVersion !== undefined) marker.previousVersion = previousVersion;
    return marker;
  }
}
