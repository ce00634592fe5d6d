/**
 * Snapshots of the ML engine's in-memory state (every tracked version and GenAI model, their slots
 * and lifetime counters), so a restart of Vigil does not lose up to `retention` of aggregates and
 * canary and drift analysis resume where they were. Pinned baselines are persisted separately
 * (baseline-store.ts) and are not part of a snapshot.
 *
 * Exact by construction: slots are written as their counts and LogSketch.toJSON (bucket weights,
 * not quantiles), in the engine's own Map order, so merges after a restore add the same numbers in
 * the same order and every answer is identical, not just close.
 *
 * Restoring into an engine that already holds data merges, as two engines' slots would: counts
 * and cumulative totals add, sketches merge, first/last seen take the earlier/later time, and a
 * version already tracked keeps its Apdex T. Restoring the same snapshot twice counts it twice.
 */
import { LogSketch } from '../stats/log-sketch.ts';
import { OTHER_CLASS } from './engine-options.ts';
import type { GenAiSlotJson } from './genai-entry.ts';
import { GenAiSlot } from './genai-entry.ts';
import type { MlEngineCounters, MlIngest } from './ml-ingest.ts';
import type { VersionEntry } from './version-entry.ts';
import type { VersionSlotJson } from './version-slot.ts';
import { VersionSlot } from './version-slot.ts';

/** The snapshot file format; parseEngineSnapshot refuses any other. */
export const ENGINE_SNAPSHOT_FORMAT = 1;
/** Sketches of a snapshot must have the accuracy of the engine's own, or merging them would throw. */
export const ENGINE_SKETCH_ACCURACY = new LogSketch().relativeAccuracy;

/** A plain, JSON-able copy of the engine's state (MlAnalytics.snapshot / restore). */
export interface MlEngineSnapshot {
  format: typeof ENGINE_SNAPSHOT_FORMAT;
  /** Slot width the slots were cut with; a restore into an engine of another width restores nothing. */
  slotMs: number;
  /** The engine's clock when the snapshot was taken (Unix ms). */
  savedAtMs: number;
  counters: MlEngineCounters;
  versions: VersionSnapshot[];
  genAi: GenAiSnapshot[];
}

export interface VersionSnapshot {
  model: string;
  version: string;
  firstSeenMs: number;
  lastSeenMs: number;
  apdexThresholdMs: number;
  requestsTotal: number;
  errorsTotal: number;
  services: string[];
  /** host.name → GPU ids. */
  placements: [string, string[]][];
  /** Feature keys admitted under maxFeatures, in admission order. */
  featureKeys: string[];
  /** Class names admitted under maxClasses, in admission order. */
  classNames: string[];
  /** [slot index, slot]: slot i covers [i·slotMs, (i+1)·slotMs). */
  slots: [number, VersionSlotJson][];
}

export interface GenAiSnapshot {
  model: string;
  system: string;
  firstSeenMs: number;
  lastSeenMs: number;
  slots: [number, GenAiSlotJson][];
}

/** What a restore did; the caller logs it. */
export interface RestoreResult {
  /** Set when nothing was restored because the snapshot's slot width is not the engine's. */
  slotMsMismatch: { snapshotSlotMs: number; engineSlotMs: number } | null;
  versionsRestored: number;
  /** Versions not seen within the retention at restore time, or past maxVersions. */
  versionsDropped: number;
  slotsRestored: number;
  /** Slots older than the retention at restore time, or of dropped versions. */
  slotsDropped: number;
  genAiModelsRestored: number;
  genAiModelsDropped: number;
  /** Feature keys (per version) past maxFeatures: their values are not restored. */
  featureKeysDropped: number;
  /** Class names (per version) past maxClasses: their counts are restored under `__other__`. */
  classesFolded: number;
}

/** The ingest's state as of `savedAtMs` (the caller evicts first, so nothing past retention is written). */
export function takeSnapshot(ingest: MlIngest, savedAtMs: number): MlEngineSnapshot {
  const versions: VersionSnapshot[] = [];
  for (const entries of ingest.models.values())
    for (const entry of entries.values()) versions.push(versionSnapshot(entry));
  const genAi: GenAiSnapshot[] = [...ingest.genAiModels.values()].map((entry) => ({
    model: entry.model,
    system: entry.system,
    firstSeenMs: entry.firstSeenMs,
    lastSeenMs: entry.lastSeenMs,
    slots: [...entry.slots.entries()].map(([index, slot]) => [index, slot.toJSON()]),
  }));
  return {
    format: ENGINE_SNAPSHOT_FORMAT,
    slotMs: ingest.options.slotMs,
    savedAtMs,
    counters: { ...ingest.counters },
    versions,
    genAi,
  };
}

function versionSnapshot(entry: VersionEntry): VersionSnapshot {
  return {
    model: entry.model,
    version: entry.version,
    firstSeenMs: entry.firstSeenMs,
    lastSeenMs: entry.lastSeenMs,
    apdexThresholdMs: entry.apdexThresholdMs,
    requestsTotal: entry.requestsTotal,
    errorsTotal: entry.errorsTotal,
    services: [...entry.services],
    placements: [...entry.placements].map(([host, gpus]) => [host, [...gpus]]),
    featureKeys: entry.trackedFeatureKeys(),
    classNames: entry.admittedClassNames(),
    slots: [...entry.slots.entries()].map(([index, slot]) => [index, slot.toJSON()]),
  };
}

/** What is still inside the retention at restore time. */
interface Retained {
  firstKeptSlot: number;
  oldestKeptMs: number;
}

/**
 * Adds a parsed snapshot into the ingest at `nowMs`: drops what the retention no longer covers
 * (the same rule as MlIngest.evict) and applies the engine's limits as ingest would.
 */
export function restoreSnapshot(ingest: MlIngest, snapshot: MlEngineSnapshot, nowMs: number): RestoreResult {
  const result: RestoreResult = {
    slotMsMismatch: null,
    versionsRestored: 0,
    versionsDropped: 0,
    slotsRestored: 0,
    slotsDropped: 0,
    genAiModelsRestored: 0,
    genAiModelsDropped: 0,
    featureKeysDropped: 0,
    classesFolded: 0,
  };
  const { slotMs, retentionMs } = ingest.options;
  if (snapshot.slotMs !== slotMs) {
    // Slot i of one width is a different time than slot i of another; re-cutting would need the spans.
    result.slotMsMismatch = { snapshotSlotMs: snapshot.slotMs, engineSlotMs: slotMs };
    return result;
  }
  const retained = {
    firstKeptSlot: Math.floor((nowMs - retentionMs) / slotMs),
    oldestKeptMs: nowMs - retentionMs,
  };
  for (const version of snapshot.versions) restoreVersion(ingest, version, retained, result);
  for (const model of snapshot.genAi) restoreGenAi(ingest, model, retained, result);
  for (const key of Object.keys(ingest.counters) as (keyof MlEngineCounters)[])
    ingest.counters[key] += snapshot.counters[key];
  return result;
}

function restoreVersion(
  ingest: MlIngest,
  version: VersionSnapshot,
  retained: Retained,
  result: RestoreResult,
): void {
  const entry =
    version.lastSeenMs < retained.oldestKeptMs
      ? undefined
      : ingest.restoredEntry(version.model, version.version, version.firstSeenMs, version.apdexThresholdMs);
  if (entry === undefined) {
    result.versionsDropped++;
    result.slotsDropped += version.slots.length;
    return;
  }
  result.versionsRestored++;
  entry.firstSeenMs = Math.min(entry.firstSeenMs, version.firstSeenMs);
  entry.lastSeenMs = Math.max(entry.lastSeenMs, version.lastSeenMs);
  entry.requestsTotal += version.requestsTotal;
  entry.errorsTotal += version.errorsTotal;
  for (const service of version.services) entry.noteService(service);
  for (const [host, gpus] of version.placements) entry.noteHost(host, gpus);
  // Admit the snapshot's keys and classes in its own order first, so the same ones win the limits.
  const dropped = new Set(version.featureKeys.filter((key) => !entry.admitRestoredFeature(key)));
  const folded = new Set(version.classNames.filter((name) => !entry.admitRestoredClass(name)));
  for (const [index, json] of version.slots) {
    if (index < retained.firstKeptSlot) {
      result.slotsDropped++;
      continue;
    }
    entry.slots.slot(index).merge(VersionSlot.fromJSON(withinLimits(json, entry, dropped, folded)));
    result.slotsRestored++;
  }
  result.featureKeysDropped += dropped.size;
  result.classesFolded += folded.size;
}

/** The slot without features past maxFeatures, and with classes past maxClasses under `__other__`. */
function withinLimits(
  json: VersionSlotJson,
  entry: VersionEntry,
  dropped: Set<string>,
  folded: Set<string>,
): VersionSlotJson {
  const features = json.features.filter(([key]) => {
    const tracked = entry.admitRestoredFeature(key);
    if (!tracked) dropped.add(key);
    return tracked;
  });
  const classes = new Map<string, number>();
  for (const [name, count] of json.classes) {
    const admitted = entry.admitRestoredClass(name);
    if (!admitted) folded.add(name);
    const kept = admitted ? name : OTHER_CLASS;
    classes.set(kept, (classes.get(kept) ?? 0) + count);
  }
  return { ...json, features, classes: [...classes] };
}

function restoreGenAi(
  ingest: MlIngest,
  model: GenAiSnapshot,
  retained: Retained,
  result: RestoreResult,
): void {
  const entry =
    model.lastSeenMs < retained.oldestKeptMs
      ? undefined
      : ingest.restoredGenAiEntry(model.model, model.system, model.firstSeenMs);
  if (entry === undefined) {
    result.genAiModelsDropped++;
    result.slotsDropped += model.slots.length;
    return;
  }
  result.genAiModelsRestored++;
  entry.firstSeenMs = Math.min(entry.firstSeenMs, model.firstSeenMs);
  entry.lastSeenMs = Math.max(entry.lastSeenMs, model.lastSeenMs);
  for (const [index, json] of model.slots) {
    if (index < retained.firstKeptSlot) {
      result.slotsDropped++;
      continue;
    }
    entry.slots.slot(index).merge(GenAiSlot.fromJSON(json));
    result.slotsRestored++;
  }
}
