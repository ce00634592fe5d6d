/**
 * Pinned drift baselines: the merged prediction and feature distributions of a version over a
 * range, kept by name after their slots age out. Serialisable (toJSON / loadJSON) so the lead can
 * persist them in the data directory; loading validates the shape instead of trusting the file.
 */
import type { LogSketchJson } from '../stats/log-sketch.ts';
import type { RangeMs } from '../ml-types.ts';
import type { DistributionJson } from './version-slot.ts';
import { VersionSlot } from './version-slot.ts';
import { array, number, record, sketchJson, string } from './json-fields.ts';

/** What baselines() lists. */
export interface BaselineInfo {
  name: string;
  model: string;
  version: string;
  range: RangeMs;
  /** Values of ml.prediction.score in the baseline. */
  scoreCount: number;
}

export interface PinnedBaselineJson {
  name: string;
  model: string;
  version: string;
  range: RangeMs;
  distributions: DistributionJson;
}

/** The file format: a version number, so a later format can still read this one. */
export interface BaselinesJson {
  formatVersion: 1;
  baselines: PinnedBaselineJson[];
}

/** Pinned baselines are kept whole (sketches); a bound keeps a script pinning in a loop from growing memory. */
export const MAX_BASELINES = 100;

/** A new baseline past MAX_BASELINES (replacing one of the same name is always allowed). */
export class BaselineLimitError extends Error {
  override readonly name = 'BaselineLimitError';
}

export class BaselineStore {
  private readonly pinned = new Map<
    string,
    { info: Omit<PinnedBaselineJson, 'distributions'>; slot: VersionSlot }
  >();

  /** Stores (or replaces) baseline `name`. */
  pin(name: string, model: string, version: string, range: RangeMs, slot: VersionSlot): BaselineInfo {
    if (!this.pinned.has(name) && this.pinned.size >= MAX_BASELINES)
      throw new BaselineLimitError(`at most ${MAX_BASELINES} baselines; delete one first`);
    // A copy holding only the distributions: later merges into `slot` must not change the baseline.
    const copy = VersionSlot.fromDistributionJson(slot.toDistributionJson());
    this.pinned.set(name, { info: { name, model, version, range: { ...range } }, slot: copy });
    return { name, model, version, range: { ...range }, scoreCount: copy.scores?.count ?? 0 };
  }

  get(name: string): { model: string; version: string; range: RangeMs; slot: VersionSlot } | undefined {
    const pinned = this.pinned.get(name);
    return pinned && { ...pinned.info, slot: pinned.slot };
  }

  delete(name: string): boolean {
    return this.pinned.delete(name);
  }

  list(): BaselineInfo[] {
    return [...this.pinned.values()]
      .map(({ info, slot }) => ({ ...info, range: { ...info.range }, scoreCount: slot.scores?.count ?? 0 }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  toJSON(): BaselinesJson {
    return {
      formatVersion: 1,
      baselines: [...this.pinned.values()].map(({ info, slot }) => ({
        ...info,
        distributions: slot.toDistributionJson(),
      })),
    };
  }

  /** Replaces the pinned baselines with those of `json`; throws TypeError naming the first bad field. */
  loadJSON(json: unknown): void {
    const parsed = parseBaselinesJson(json);
    this.pinned.clear();
    for (const { distributions, ...info } of parsed.baselines)
      this.pinned.set(info.name, { info, slot: VersionSlot.fromDistributionJson(distributions) });
  }
}

/** Checks a persisted baselines file field by field (it may be hand-edited or from another version). */
export function parseBaselinesJson(json: unknown): BaselinesJson {
  const root = record(json, 'baselines file');
  if (root['formatVersion'] !== 1) throw new TypeError('baselines file: unsupported formatVersion');
  const list = root['baselines'];
  if (!Array.isArray(list)) throw new TypeError('baselines file: baselines must be an array');
  return {
    formatVersion: 1,
    baselines: list.map((item: unknown, i) => parseBaseline(item, `baselines[${i}]`)),
  };
}

function parseBaseline(json: unknown, where: string): PinnedBaselineJson {
  const item = record(json, where);
  const range = record(item['range'], `${where}.range`);
  const distributions = record(item['distributions'], `${where}.distributions`);
  const classes = array(distributions['classes'], `${where}.classes`).map((pair: unknown) => {
    const [name, count] = array(pair, `${where}.classes[]`);
    return [string(name, `${where}.classes[]`), number(count, `${where}.classes[]`)] as [string, number];
  });
  const features = array(distributions['features'], `${where}.features`).map((pair: unknown) => {
    const [key, sketch] = array(pair, `${where}.features[]`);
    return [string(key, `${where}.features[]`), sketchJson(sketch, `${where}.features[]`)] as [
      string,
      LogSketchJson,
    ];
  });
  return {
    name: string(item['name'], `${where}.name`),
    model: string(item['model'], `${where}.model`),
    version: string(item['version'], `${where}.version`),
    range: {
      startMs: number(range['startMs'], `${where}.range`),
      endMs: number(range['endMs'], `${where}.range`),
    },
    distributions: {
      scores:
        distributions['scores'] === null ? null : sketchJson(distributions['scores'], `${where}.scores`),
      classes,
      features,
      nullCount: number(distributions['nullCount'], `${where}.nullCount`),
      featureCount: number(distributions['featureCount'], `${where}.featureCount`),
      preprocessSpans: number(distributions['preprocessSpans'], `${where}.preprocessSpans`),
    },
  };
}
