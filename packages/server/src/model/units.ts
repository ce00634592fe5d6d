/**
 * Time units used across Vigil. OTLP timestamps are Unix nanoseconds (~1.8e18), which do not fit a
 * JS double exactly, so they travel as bigint end to end (a span must read back with the nanoseconds
 * it was sent). Names carry the unit as well: `startTimeUnixNano`, `durationNanos`, `timeoutMillis`.
 */
export type UnixNano = bigint;
export type Nanos = bigint;
export type Micros = number;
export type Millis = number;

export const NANOS_PER_MILLI = 1_000_000n;
export const NANOS_PER_MICRO = 1_000n;

/** Current wall-clock time as Unix nanoseconds. */
export function nowUnixNano(): UnixNano {
  return BigInt(Date.now()) * NANOS_PER_MILLI;
}
