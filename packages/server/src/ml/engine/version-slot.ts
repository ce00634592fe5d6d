/**
 * What one model version did in one time slot, as mergeable aggregates: counts add, LogSketches
 * merge. A range's answer is the merge of its slots (Dean & Barroso's "tail at scale" needs the
 * true p99 of a range, which averaged per-minute p99s would not give).
 */
import type { LogSketchJson } from '../stats/log-sketch.ts';
import { LogSketch } from '../stats/log-sketch.ts';

export class VersionSlot {
  requests = 0;
  errors = 0;
  /** Apdex buckets (apdex.org spec: satisfied ≤ T < tolerating ≤ 4T), counted exactly at ingest. */
  apdexSatisfied = 0;
  apdexTolerating = 0;
  latencyMs: LogSketch | undefined;
  scores: LogSketch | undefined;
  classes: Map<string, number> | undefined;
  features: Map<string, LogSketch> | undefined;
  /** Σ ml.preprocess.null_count and Σ ml.preprocess.feature_count, over `preprocessSpans` spans. */
  nullCount = 0;
  featureCount = 0;
  preprocessSpans = 0;
  /** Σ seconds of forward passes with ml.inference.gpu_used = true, over `gpuSpans` spans. */
  gpuSeconds = 0;
  gpuSpans = 0;
  /** Phase durations, indexed by Phase (index 0 unused). */
  readonly phasesMs: (LogSketch | undefined)[] = [undefined, undefined, undefined, undefined];

  addLatency(durationMs: number): void {
    (this.latencyMs ??= new LogSketch()).add(durationMs);
  }

  addScore(score: number): void {
    (this.scores ??= new LogSketch()).add(score);
  }

  addClass(name: string): void {
    const classes = (this.classes ??= new Map<string, number>());
    classes.set(name, (classes.get(name) ?? 0) + 1);
  }

  addFeature(key: string, value: number): void {
    const features = (this.features ??= new Map<string, LogSketch>());
    let sketch = features.get(key);
    if (sketch === undefined) features.set(key, (sketch = new LogSketch()));
    sketch.add(value);
  }

  addPhase(phase: number, durationMs: number): void {
    (this.phasesMs[phase] ??= new LogSketch()).add(durationMs);
  }

  /** Adds `other` into this slot; `other` is left unchanged (sketches are cloned, never shared). */
  merge(other: VersionSlot): void {
    this.requests += other.requests;
    this.errors += other.errors;
    this.apdexSatisfied += other.apdexSatisfied;
    this.apdexTolerating += other.apdexTolerating;
    this.latencyMs = mergeSketch(this.latencyMs, other.latencyMs);
    this.scores = mergeSketch(this.scores, other.scores);
    if (other.classes) {
      const classes = (this.classes ??= new Map<string, number>());
      for (const [name, count] of other.classes) classes.set(name, (classes.get(name) ?? 0) + count);
    }
    if (other.features) {
      const features = (this.features ??= new Map<string, LogSketch>());
      for (const [key, sketch] of other.features) features.set(key, mergeSketch(features.get(key), sketch)!);
    }
    this.nullCount += other.nullCount;
    this.featureCount += other.featureCount;
    this.preprocessSpans += other.preprocessSpans;
    this.gpuSeconds += other.gpuSeconds;
    this.gpuSpans += other.gpuSpans;
    for (let phase = 1; phase < this.phasesMs.length; phase++)
      this.phasesMs[phase] = mergeSketch(this.phasesMs[phase], other.phasesMs[phase]);
  }

  /** Σ null / Σ feature count; null without preprocess data. */
  nullFeatureRatio(): number | null {
    return this.featureCount > 0 ? this.nullCount / this.featureCount : null;
  }

  /** The prediction distributions drift is computed on, serialisable for pinned baselines. */
  toDistributionJson(): DistributionJson {
    return {
      scores: this.scores?.toJSON() ?? null,
      classes: [...(this.classes ?? [])],
      features: [...(this.features ?? [])].map(([key, sketch]) => [key, sketch.toJSON()]),
      nullCount: this.nullCount,
      featureCount: this.featureCount,
      preprocessSpans: this.preprocessSpans,
    };
  }

  /** A slot holding only the distributions of `json` (counts of requests stay 0). */
  static fromDistributionJson(json: DistributionJson): VersionSlot {
    const slot = new VersionSlot();
    if (json.scores) slot.scores = LogSketch.fromJSON(json.scores);
    if (json.classes.length > 0) slot.classes = new Map(json.classes);
    if (json.features.length > 0)
      slot.features = new Map(json.features.map(([key, sketch]) => [key, LogSketch.fromJSON(sketch)]));
    slot.nullCount = json.nullCount;
    slot.featureCount = json.featureCount;
    slot.preprocessSpans = json.preprocessSpans;
    return slot;
  }

  /** The whole slot (fromJSON gives back an equal one). */
  toJSON(): VersionSlotJson {
    return {
      ...this.toDistributionJson(),
      requests: this.requests,
      errors: this.errors,
      apdexSatisfied: this.apdexSatisfied,
      apdexTolerating: this.apdexTolerating,
      latencyMs: this.latencyMs?.toJSON() ?? null,
      gpuSeconds: this.gpuSeconds,
      gpuSpans: this.gpuSpans,
      phasesMs: this.phasesMs.slice(1).map((sketch) => sketch?.toJSON() ?? null),
    };
  }

  static fromJSON(json: VersionSlotJson): VersionSlot {
    const slot = VersionSlot.fromDistributionJson(json);
    slot.requests = json.requests;
    slot.errors = json.errors;
    slot.apdexSatisfied = json.apdexSatisfied;
    slot.apdexTolerating = json.apdexTolerating;
    if (json.latencyMs) slot.latencyMs = LogSketch.fromJSON(json.latencyMs);
    slot.gpuSeconds = json.gpuSeconds;
    slot.gpuSpans = json.gpuSpans;
    json.phasesMs.forEach((sketch, i) => {
      if (sketch && i + 1 < slot.phasesMs.length) slot.phasesMs[i + 1] = LogSketch.fromJSON(sketch);
    });
    return slot;
  }
}

/** Everything one slot holds (engine snapshots, engine-snapshot.ts); a superset of DistributionJson. */
export interface VersionSlotJson extends DistributionJson {
  requests: number;
  errors: number;
  apdexSatisfied: number;
  apdexTolerating: number;
  latencyMs: LogSketchJson | null;
  gpuSeconds: number;
  gpuSpans: number;
  /** Preprocess, forward pass, postprocess: phasesMs[1..3] (index 0 is unused and not written). */
  phasesMs: (LogSketchJson | null)[];
}

/** The serialised distributions of a version (a pinned drift baseline). */
export interface DistributionJson {
  scores: LogSketchJson | null;
  classes: [string, number][];
  features: [string, LogSketchJson][];
  nullCount: number;
  featureCount: number;
  preprocessSpans: number;
}

function mergeSketch(into: LogSketch | undefined, from: LogSketch | undefined): LogSketch | undefined {
  if (from === undefined) return into;
  if (into === undefined) return from.clone();
  into.merge(from);
  return into;
}
