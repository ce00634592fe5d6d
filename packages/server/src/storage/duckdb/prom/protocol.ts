import type { PromFamilyMetadata, PromMetadata, SeriesMatcher } from '../../../model/prom-series.ts';
import type { CardinalityStatus, SeriesSelectors } from '../../store.ts';
import type { HeadStatus } from './series-store.ts';

/**
 * Prometheus samples of one write as they cross to the worker (series-encoder.ts builds it): label
 * strings once in `strings`, series i's labels are codes `labelCodes[labelOffsets[i] ..
 * labelOffsets[i+1]]` (name, value, name, value, … sorted by name), its samples
 * `sampleOffsets[i] .. sampleOffsets[i+1]` of `timestampsMs`/`values`. Typed arrays are transferred.
 */
export interface SeriesWrite {
  strings: string[];
  labelOffsets: Uint32Array;
  labelCodes: Int32Array;
  sampleOffsets: Uint32Array;
  timestampsMs: Float64Array;
  values: Float64Array;
  metadata: PromFamilyMetadata[];
  /**
   * Per series its wire id (wire-ids.ts) or -1. A series with an id and no labels (empty label
   * range) is one the worker was told about before.
   */
  wireIds: Int32Array;
  /** The worker forgets every wire id before this write's series (the main thread started over). */
  resetWireIds: boolean;
}

/** Reads answered from the worker's series index and head (series-store.ts). */
export type PromRead =
  | { op: 'select'; matchers: SeriesMatcher[]; minTimeMs: number; maxTimeMs: number }
  | { op: 'find-series'; selectors: SeriesSelectors; minTimeMs: number; maxTimeMs: number; limit: number }
  | { op: 'label-names'; selectors: SeriesSelectors; minTimeMs: number; maxTimeMs: number; limit: number }
  | {
      op: 'label-values';
      name: string;
      selectors: SeriesSelectors;
      minTimeMs: number;
      maxTimeMs: number;
      limit: number;
    }
  | { op: 'metadata'; metric: string | undefined; limit: number }
  | { op: 'cardinality'; limit: number }
  /** Replies series-store.ts HeadStatus. */
  | { op: 'head-status' };

/**
 * Selected series. Series i has `counts[i]` samples: timestamps from element `placement[4i+1]` of
 * `buffers[placement[4i]]` and values from element `placement[4i+3]` of `buffers[placement[4i+2]]`
 * (all float64). Buffers are decoded blocks, the decoded head (head.ts `read`) and packed
 * copies, all fresh for this answer; the ArrayBuffers among them are transferred, not copied. Labels are
 * null for refs sent before in the same `labelEpoch` (the main thread caches them by ref).
 */
export interface SelectedSeries {
  /** The series' refs (stable ids of the worker's index; never reused). */
  refs: Uint32Array;
  labels: (readonly string[] | null)[];
  labelEpoch?: number;
  placement: Uint32Array;
  counts: Uint32Array;
  buffers: (SharedArrayBuffer | ArrayBuffer)[];
}

/** Calls `visit` with each selected series' samples: views, never copies. */
export function forEachSelected(
  selected: SelectedSeries,
  visit: (index: number, timestampsMs: Float64Array, values: Float64Array) => void,
): void {
  const views = selected.buffers.map((buffer) => new Float64Array(buffer));
  const { placement, counts } = selected;
  const empty = new Float64Array(0);
  for (let i = 0; i < selected.refs.length; i++) {
    const count = counts[i] ?? 0;
    const timesAt = placement[i * 4 + 1] ?? 0;
    const valuesAt = placement[i * 4 + 3] ?? 0;
    const times = views[placement[i * 4] ?? 0] ?? empty;
    const values = views[placement[i * 4 + 2] ?? 0] ?? empty;
    visit(i, times.subarray(timesAt, timesAt + count), values.subarray(valuesAt, valuesAt + count));
  }
}

export type PromReadResult =
  SelectedSeries | string[][] | string[] | [string, PromMetadata[]][] | CardinalityStatus | HeadStatus;
