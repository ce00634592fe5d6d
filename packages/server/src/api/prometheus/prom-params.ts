import { PromQLError } from '../../query/promql/errors.ts';
import { quoteGoString } from '../../query/promql/format-query.ts';
import { parseDurationMs } from '../../query/promql/literals.ts';

/**
 * Query parameters of the Prometheus HTTP API, parsed and validated with Prometheus's own error
 * wording (web/api/v1/api.go: parseTime, parseDuration, parseLimitParam), so
 * clients that show or match those messages (Grafana, promtool, the Prometheus UI) behave alike.
 */

/**
 * Open ends of the series/labels time range: Prometheus uses its MinTime/MaxTime (±292 million
 * years); these are the widest whole milliseconds JavaScript holds exactly. Storage adapters clamp.
 */
export const MIN_TIME_MS = Number.MIN_SAFE_INTEGER;
export const MAX_TIME_MS = Number.MAX_SAFE_INTEGER;
/** MinTime/MaxTime as Go formats them: client_golang sends these for "no bound". */
const MIN_TIME_TEXT = '-292273086-05-16T16:47:06Z';
const MAX_TIME_TEXT = '292277025-08-18T07:12:54.999999999Z';

const MAX_INT64 = 9223372036854775807;
const GO_DECIMAL_FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const GO_SPECIAL_FLOAT = /^[+-]?(?:inf|infinity|nan)$/i;
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/** `invalid parameter "name": cause` (invalidParamError), errorType bad_data. */
export function invalidParameter(name: string, cause: string): PromQLError {
  return new PromQLError('bad_data', `invalid parameter ${quoteGoString(name)}: ${cause}`);
}

export function badData(message: string): PromQLError {
  return new PromQLError('bad_data', message);
}

/** The message of a parse failure thrown below (always an Error; anything else is shown as text). */
function causeOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Go's r.FormValue: the first value, or '' when absent. */
export function formValue(params: URLSearchParams, name: string): string {
  return params.get(name) ?? '';
}

/**
 * A timestamp (parseTime): Unix seconds with an optional fraction, rounded to milliseconds, or an
 * RFC 3339 date-time, truncated to milliseconds as Prometheus's timestamp.FromTime does. Returns
 * Unix milliseconds; throws the bare cause `cannot parse "x" to a valid timestamp`.
 *
 * @example
 * parseTimeMs('1700000000.123'); // 1_700_000_000_123
 * parseTimeMs('2023-11-14T22:13:20.5Z'); // 1_700_000_000_500
 */
export function parseTimeMs(text: string): number {
  const seconds = parseGoFloat(text);
  if (seconds !== undefined && Number.isFinite(seconds)) {
    const whole = Math.trunc(seconds);
    return whole * 1000 + roundHalfAwayFromZero((seconds - whole) * 1000);
  }
  const rfc3339Ms = parseRfc3339Ms(text);
  if (rfc3339Ms !== undefined) return rfc3339Ms;
  if (text === MIN_TIME_TEXT) return MIN_TIME_MS;
  if (text === MAX_TIME_TEXT) return MAX_TIME_MS;
  throw new Error(`cannot parse ${quoteGoString(text)} to a valid timestamp`);
}

/** Optional time parameter (parseTimeParam): absent or empty → `defaultMs`. */
export function timeParam(params: URLSearchParams, name: string, defaultMs: number): number {
  const text = formValue(params, name);
  if (text === '') return defaultMs;
  try {
    return parseTimeMs(text);
  } catch (error: unknown) {
    throw invalidParameter(name, `Invalid time value for '${name}': ${causeOf(error)}`);
  }
}

/** Required time parameter (query_range's start/end use parseTime directly: '' is an error). */
export function requiredTimeParam(params: URLSearchParams, name: string): number {
  try {
    return parseTimeMs(formValue(params, name));
  } catch (error: unknown) {
    throw invalidParameter(name, causeOf(error));
  }
}

/**
 * A duration (parseDuration): float seconds (`30`, `0.5`) or a Prometheus duration (`5m`, `1h30m`).
 * Returns whole nanoseconds, as Go's time.Duration holds it (NaN stays NaN: callers treat it as
 * not positive). Throws the bare cause.
 */
export function parseDurationNanos(text: string): number {
  const seconds = parseGoFloat(text);
  if (seconds !== undefined) {
    const nanos = seconds * 1e9;
    if (nanos > MAX_INT64 || nanos < -MAX_INT64)
      throw new Error(`cannot parse ${quoteGoString(text)} to a valid duration. It overflows int64`);
    return Math.trunc(nanos);
  }
  const durationMs = parseDurationMs(text);
  if (durationMs !== undefined && durationMs * 1e6 <= MAX_INT64) return durationMs * 1e6;
  throw new Error(`cannot parse ${quoteGoString(text)} to a valid duration`);
}

/** An optional duration parameter in nanoseconds; `undefined` when absent or empty. */
export function durationParam(params: URLSearchParams, name: string): number | undefined {
  return formValue(params, name) === '' ? undefined : requiredDurationParam(params, name);
}

/** A required duration parameter in nanoseconds (query_range's `step`: '' is an error). */
export function requiredDurationParam(params: URLSearchParams, name: string): number {
  const text = formValue(params, name);
  try {
    return parseDurationNanos(text);
  } catch (error: unknown) {
    throw invalidParameter(name, causeOf(error));
  }
}

/** `lookback_delta` (extractQueryOpts): its error is bad_data without the parameter prefix. */
export function lookbackDeltaParam(params: URLSearchParams): number | undefined {
  const text = formValue(params, 'lookback_delta');
  if (text === '') return undefined;
  try {
    return parseDurationNanos(text);
  } catch (error: unknown) {
    throw badData(`error parsing lookback delta duration: ${causeOf(error)}`);
  }
}

/** `limit` (parseLimitParam): a non-negative integer; 0 or absent means no limit. */
export function limitParam(params: URLSearchParams): number {
  const text = formValue(params, 'limit');
  if (text === '') return 0;
  // strconv.Atoi: an optional sign and decimal digits, within int64.
  if (!/^[+-]?\d+$/.test(text))
    throw invalidParameter('limit', `strconv.Atoi: parsing ${quoteGoString(text)}: invalid syntax`);
  const limit = Number(text);
  if (Math.abs(limit) > MAX_INT64)
    throw invalidParameter('limit', `strconv.Atoi: parsing ${quoteGoString(text)}: value out of range`);
  if (limit < 0) throw invalidParameter('limit', 'limit must be non-negative');
  return limit;
}

/** strconv.ParseFloat's syntax (decimal, Inf, NaN); undefined when Go would fail to parse. */
function parseGoFloat(text: string): number | undefined {
  if (GO_SPECIAL_FLOAT.test(text)) {
    if (/nan/i.test(text)) return NaN;
    return text.startsWith('-') ? -Infinity : Infinity;
  }
  if (!GO_DECIMAL_FLOAT.test(text)) return undefined;
  const value = Number(text);
  // Out of float64 range: ParseFloat reports ErrRange, so Prometheus tries the next format.
  return Number.isFinite(value) ? value : undefined;
}

/** Go's math.Round. */
function roundHalfAwayFromZero(value: number): number {
  return value < 0 ? -Math.round(-value) : Math.round(value);
}

/** time.Parse(time.RFC3339Nano, text) to Unix ms, fraction truncated; undefined when invalid. */
function parseRfc3339Ms(text: string): number | undefined {
  const match = RFC3339.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const [fraction = '', sign, zoneHours = '0', zoneMinutes = '0'] = match.slice(7);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59 || Number(zoneHours) > 23 || Number(zoneMinutes) > 59)
    return undefined;
  const zoneOffsetMs = (sign === '-' ? -1 : 1) * (Number(zoneHours) * 60 + Number(zoneMinutes)) * 60_000;
  const fractionMs = Number(fraction.padEnd(3, '0').slice(0, 3));
  return (
    daysFromCivil(year, month, day) * 86_400_000 +
    ((hour * 60 + minute) * 60 + second) * 1000 +
    fractionMs -
    zoneOffsetMs
  );
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}
