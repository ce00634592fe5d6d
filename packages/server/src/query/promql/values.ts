import type { Labels } from './labels.ts';

/**
 * PromQL value types. Times are Unix milliseconds as JS numbers (exact up to year 287,396),
 * values float64. A stale marker is Prometheus's special NaN (value.StaleNaN): it ends a series
 * for lookback purposes and is never returned.
 */
export type ValueType = 'scalar' | 'string' | 'vector' | 'matrix';

/** One element of an instant vector. */
export interface Sample {
  labels: Labels;
  timestampMs: number;
  value: number;
}

/** One series of a range vector: samples in time order. */
export interface RangeSeries {
  labels: Labels;
  timestampsMs: number[];
  values: number[];
}

export type PromValue =
  | { type: 'scalar'; timestampMs: number; value: number }
  | { type: 'string'; timestampMs: number; value: string }
  | { type: 'vector'; samples: Sample[] }
  | { type: 'matrix'; series: RangeSeries[] };

/**
 * Prometheus's stale marker bit pattern is 0x7ff0000000000002, a signalling NaN. V8 sets the
 * quiet bit when such a value passes through a plain JS array, so Vigil stores the quiet form
 * 0x7ff8000000000002 and recognises both: the low word 2 is what marks staleness.
 */
const STALE_BITS = new DataView(new ArrayBuffer(8));
STALE_BITS.setUint32(0, 0x7ff80000);
STALE_BITS.setUint32(4, 2);
export const STALE_NAN: number = STALE_BITS.getFloat64(0);

const probe = new DataView(new ArrayBuffer(8));

export function isStaleNaN(value: number): boolean {
  if (!Number.isNaN(value)) return false;
  probe.setFloat64(0, value);
  const high = probe.getUint32(0);
  return probe.getUint32(4) === 2 && (high === 0x7ff80000 || high === 0x7ff00000);
}
