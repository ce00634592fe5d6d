/**
 * Span timestamps as HrTime ([seconds, nanoseconds] since the Unix epoch), the representation
 * ReadableSpan and the OTLP transformer use.
 *
 * "Now" is `performance.timeOrigin + performance.now()`: monotonic, so a wall-clock step (NTP)
 * cannot make a span's duration negative — the same clock the OTel JS SDK uses. The two terms are
 * converted separately and added as HrTimes: their float sum (~1.7e12 ms) would keep only ~0.25 µs
 * of resolution.
 */
import type { HrTime, TimeInput } from '@opentelemetry/api';
import { performance } from 'node:perf_hooks';

const NANOS_PER_SECOND = 1_000_000_000;
const NANOS_PER_MILLI = 1_000_000;
const ORIGIN_MILLIS = performance.timeOrigin;

/** Unix epoch millis (possibly fractional) → HrTime, as the OTel SDK's millisToHrTime. */
export function millisToHrTime(epochMillis: number): HrTime {
  const seconds = Math.trunc(epochMillis / 1000);
  const nanos = Math.round((epochMillis - seconds * 1000) * NANOS_PER_MILLI);
  return normalize(seconds, nanos);
}

const ORIGIN: HrTime = millisToHrTime(ORIGIN_MILLIS);

/** A `performance.now()` reading → Unix-epoch HrTime. */
export function performanceMillisToHrTime(performanceMillis: number): HrTime {
  const seconds = Math.trunc(performanceMillis / 1000);
  const nanos = Math.round((performanceMillis - seconds * 1000) * NANOS_PER_MILLI);
  return normalize(ORIGIN[0] + seconds, ORIGIN[1] + nanos);
}

/** The current time on the monotonic clock. */
export function nowHrTime(): HrTime {
  return performanceMillisToHrTime(performance.now());
}

/**
 * A span's start or end as recorded on the hot path: a `performance.now()` reading when the time
 * came from the monotonic clock (converted to HrTime only when an exporter reads it), else the
 * HrTime itself. A float of epoch millis would keep only ~0.25 µs, so explicit times stay HrTimes.
 */
export type SpanTime = number | HrTime;

/** `input` (or now) as a SpanTime: a number below `performance.timeOrigin` stays a performance reading. */
export function toSpanTime(input: TimeInput | undefined): SpanTime {
  if (input === undefined) return performance.now();
  if (typeof input === 'number' && input < ORIGIN_MILLIS) return input;
  return toHrTime(input);
}

export function spanTimeToHrTime(time: SpanTime): HrTime {
  return typeof time === 'number' ? performanceMillisToHrTime(time) : time;
}

/** True when `end` is before `start`. */
export function spanTimeBefore(end: SpanTime, start: SpanTime): boolean {
  if (typeof end === 'number' && typeof start === 'number') return end < start;
  return hrTimeBefore(spanTimeToHrTime(end), spanTimeToHrTime(start));
}

/**
 * An API TimeInput → HrTime. A number below `performance.timeOrigin` is a `performance.now()`
 * reading, otherwise Unix epoch millis — the rule of the OTel JS SDK's `timeInputToHrTime`, so
 * instrumentations that pass either keep working. An HrTime is copied.
 */
export function toHrTime(input: TimeInput): HrTime {
  if (typeof input === 'number') return input < ORIGIN_MILLIS ? performanceMillisToHrTime(input) : millisToHrTime(input);
  if (input instanceof Date) return millisToHrTime(input.getTime());
  return [input[0], input[1]];
}

/** True when `value` is one of the API's TimeInput forms (an addEvent overload tells them from attributes). */
export function isTimeInput(value: unknown): value is TimeInput {
  return typeof value === 'number' || value instanceof Date || isHrTime(value);
}

function isHrTime(value: unknown): value is HrTime {
  return Array.isArray(value) && value.length === 2 && typeof value[0] === 'number' && typeof value[1] === 'number';
}

/** `end - start`, non-negative parts. */
export function hrTimeDuration(start: HrTime, end: HrTime): HrTime {
  return normalize(end[0] - start[0], end[1] - start[1]);
}

/** True when `end` is before `start`. */
export function hrTimeBefore(end: HrTime, start: HrTime): boolean {
  return end[0] < start[0] || (end[0] === start[0] && end[1] < start[1]);
}

function normalize(seconds: number, nanos: number): HrTime {
  if (nanos >= NANOS_PER_SECOND) return [seconds + 1, nanos - NANOS_PER_SECOND];
  if (nanos < 0) return [seconds - 1, nanos + NANOS_PER_SECOND];
  return [seconds, nanos];
}
