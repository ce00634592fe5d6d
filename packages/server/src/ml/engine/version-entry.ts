/**
 * One tracked model version: its identity, lifetime facts (first/last seen, cumulative counters,
 * placement) and its time slots. Feature and class names are admitted per version, so the limits
 * bound every slot of it at once.
 */
import type { Attributes } from '../../model/attributes.ts';
import type { Resource } from '../../model/resource.ts';
import type { Span } from '../../model/span.ts';
import { OTHER_CLASS } from './engine-options.ts';
import type { MlEngineLimits } from './engine-options.ts';
import type { SlotSpan } from './slot-ring.ts';
import { SlotRing } from './slot-ring.ts';
import type { SpanClassifier } from './span-classifier.ts';
import {
  ATTR_FEATURE_COUNT,
  ATTR_GPU_USED,
  ATTR_NULL_COUNT,
  ATTR_PREDICTION_CLASS,
  ATTR_PREDICTION_SCORE,
  Phase,
} from './span-classifier.ts';
import { VersionSlot } from './version-slot.ts';

// Read once: under the tsx loader every use of an imported binding is a getter call, and these run per span.
const FEATURE_COUNT = ATTR_FEATURE_COUNT;
const NULL_COUNT = ATTR_NULL_COUNT;
const GPU_USED = ATTR_GPU_USED;
const PREDICTION_SCORE = ATTR_PREDICTION_SCORE;
const PREDICTION_CLASS = ATTR_PREDICTION_CLASS;
const { PREPROCESS, FORWARD_PASS } = Phase;

/** Values the limits turned away, for the operator (never silently lost). */
export interface VersionLimitCounters {
  /** Feature values of attribute names past maxFeatures. */
  droppedFeatureValues: number;
  /** Predictions counted under `__other__` because their class came past maxClasses. */
  otherClassPredictions: number;
}

const MAX_SERVICES = 64;
const MAX_HOSTS = 256;
const MAX_GPUS_PER_HOST = 16;

export class VersionEntry {
  lastSeenMs: number;
  requestsTotal = 0;
  errorsTotal = 0;
  readonly services = new Set<string>();
  /** host.name → GPU ids (resource `gpu.id`, comma-separated). */
  readonly placements = new Map<string, Set<string>>();
  readonly slots = new SlotRing(() => new VersionSlot());
  /**
   * Per attribute key: tracked as a feature (true), or not (false: not a feature key, or past
   * maxFeatures). One lookup per numeric attribute on the hot path instead of three.
   */
  private readonly featureKeys = new Map<string, boolean>();
  private trackedFeatures = 0;
  private readonly classNames = new Set<string>();
  /** Placement only changes with the resource, and a batch shares one resource object per service. */
  private lastResource: Resource | undefined;

  constructor(
    readonly model: string,
    readonly version: string,
    /** The earliest span time seen (spans arrive out of order, so it can move back). */
    public firstSeenMs: number,
    readonly apdexThresholdMs: number,
    private readonly limits: MlEngineLimits,
    private readonly counters: VersionLimitCounters,
    /** Shared with the ingest: its methods read attributes on the hot path. */
    private readonly classifier: SpanClassifier,
  ) {
    this.lastSeenMs = firstSeenMs;
  }

  /** Notes a span of this version: last seen, service, host and GPUs. */
  seen(span: Span, timeMs: number): void {
    if (timeMs > this.lastSeenMs) this.lastSeenMs = timeMs;
    if (timeMs < this.firstSeenMs) this.firstSeenMs = timeMs;
    if (span.resource === this.lastResource) return;
    this.lastResource = span.resource;
    const host = span.resource.attributes['host.name'];
    const gpuIds = span.resource.attributes['gpu.id'];
    this.notePlacement(
      span.resource.serviceName,
      typeof host === 'string' ? host : '',
      typeof gpuIds === 'string' ? gpuIds.split(',') : [],
    );
  }

  /**
   * Records where the version runs, bounded (pods churn: host names come and go): at most
   * MAX_SERVICES services, MAX_HOSTS hosts and MAX_GPUS_PER_HOST GPU ids per host are kept.
   */
  notePlacement(service: string, host: string, gpuIds: readonly string[]): void {
    this.noteService(service);
    this.noteHost(host, gpuIds);
  }

  noteService(service: string): void {
    if (this.services.size < MAX_SERVICES) this.services.add(service);
  }

  noteHost(host: string, gpuIds: readonly string[]): void {
    if (host === '') return;
    let gpus = this.placements.get(host);
    if (gpus === undefined) {
      if (this.placements.size >= MAX_HOSTS) return;
      this.placements.set(host, (gpus = new Set()));
    }
    for (const raw of gpuIds) {
      const id = raw.trim();
      if (id !== '' && gpus.size < MAX_GPUS_PER_HOST) gpus.add(id);
    }
  }

  /** A request: latency, error, Apdex bucket, prediction and features. */
  recordRequest(slot: VersionSlot, span: Span, durationMs: number, isError: boolean): void {
    slot.requests++;
    this.requestsTotal++;
    if (isError) {
      slot.errors++;
      this.errorsTotal++;
    }
    // apdex.org: errors count as frustrated whatever their duration.
    else if (durationMs <= this.apdexThresholdMs) slot.apdexSatisfied++;
    else if (durationMs <= 4 * this.apdexThresholdMs) slot.apdexTolerating++;
    slot.addLatency(durationMs);
    const attributes = span.attributes;
    const score = this.classifier.numeric(attributes[PREDICTION_SCORE]);
    if (score !== undefined) slot.addScore(score);
    const predictedClass = attributes[PREDICTION_CLASS];
    if (typeof predictedClass === 'string') slot.addClass(this.admitClass(predictedClass));
    this.recordFeatures(slot, attributes);
  }

  /** A phase span: its duration, null-feature counts, GPU time and features. */
  recordPhase(slot: VersionSlot, span: Span, durationMs: number, phase: Phase): void {
    slot.addPhase(phase, durationMs);
    const attributes = span.attributes;
    if (phase === PREPROCESS) {
      const features = this.classifier.numeric(attributes[FEATURE_COUNT]);
      if (features !== undefined) {
        slot.featureCount += features;
        slot.nullCount += this.classifier.numeric(attributes[NULL_COUNT]) ?? 0;
        slot.preprocessSpans++;
      }
    } else if (phase === FORWARD_PASS && attributes[GPU_USED] === true) {
      slot.gpuSeconds += durationMs / 1000;
      slot.gpuSpans++;
    }
    this.recordFeatures(slot, attributes);
  }

  /** The slots of `span` merged into one. */
  merged(span: SlotSpan): VersionSlot {
    const total = new VersionSlot();
    this.slots.forEachIn(span, (slot) => total.merge(slot));
    return total;
  }

  /** Attribute keys tracked as features, in the order they were admitted (for snapshots). */
  trackedFeatureKeys(): string[] {
    return [...this.featureKeys].filter(([, tracked]) => tracked).map(([key]) => key);
  }

  /** Prediction class names admitted under maxClasses, in admission order (for snapshots). */
  admittedClassNames(): string[] {
    return [...this.classNames];
  }

  /** Whether a restored feature key is (or now becomes) tracked, under the same rules as ingest. */
  admitRestoredFeature(key: string): boolean {
    return this.featureKeys.get(key) ?? this.admitFeature(key);
  }

  /**
   * Whether a restored class name is (or now becomes) admitted; `__other__` always is, as the
   * overflow bucket. Unlike ingest, counts nothing: the snapshot's counters already did.
   */
  admitRestoredClass(name: string): boolean {
    if (name === OTHER_CLASS || this.classNames.has(name)) return true;
    if (this.classNames.size >= this.limits.maxClasses) return false;
    this.classNames.add(name);
    return true;
  }

  private recordFeatures(slot: VersionSlot, attributes: Attributes): void {
    for (const key in attributes) {
      const value = attributes[key];
      if (typeof value !== 'number' && typeof value !== 'bigint') continue;
      const tracked = this.featureKeys.get(key) ?? this.admitFeature(key);
      if (tracked) slot.addFeature(key, typeof value === 'number' ? value : Number(value));
      else if (this.classifier.isFeatureKey(key)) this.counters.droppedFeatureValues++;
    }
  }

  private admitFeature(key: string): boolean {
    const tracked = this.classifier.isFeatureKey(key) && this.trackedFeatures < this.limits.maxFeatures;
    if (tracked) this.trackedFeatures++;
    // A key past the limit is remembered as untracked, so the limit holds even if keys keep coming;
    // the map itself is bounded by the keys that exist (isFeatureKey's cache has its own bound).
    if (tracked || this.featureKeys.size < 4 * this.limits.maxFeatures) this.featureKeys.set(key, tracked);
    return tracked;
  }

  private admitClass(name: string): string {
    if (this.classNames.has(name)) return name;
    if (this.classNames.size < this.limits.maxClasses) {
      this.classNames.add(name);
      return name;
    }
    this.counters.otherClassPredictions++;
    return OTHER_CLASS;
  }
}
