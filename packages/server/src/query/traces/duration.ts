import { InvalidParameterError } from './invalid-parameter-error.ts';
import { checkOrdered, firstParam } from './search-params.ts';

/** Nanoseconds per unit suffix; Go's time.ParseDuration units plus `d` for lookbacks like Jaeger UI's "2d". */
const UNIT_NANOS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n,
  μs: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
  d: 86_400_000_000_000n,
};

const PLAIN_NUMBER = /^\d+$/;
// One `<number><unit>` term, as in Go's ParseDuration ("1h30m", "1.5s", "300ms").
const TERM = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h|d)/y;
const MAX_TEXT_LENGTH = 64;

/**
 * Parses a duration like Jaeger's query service does for `minDuration`/`maxDuration` (Go
 * `time.ParseDuration`: "1.2s", "300ms", "5us", "1h30m"), exactly, into nanoseconds. A plain integer
 * is read in `plainUnitNanos` (Jaeger's HTTP API: µs; Vigil's: ns). Returns undefined for malformed
 * or negative input; callers report which parameter was wrong.
 *
 * @example
 * parseDurationNanos('1.2s', 1_000n); // 1_200_000_000n
 * parseDurationNanos('250', 1_000n); // 250_000n (µs)
 */
export function parseDurationNanos(text: string, plainUnitNanos: bigint): bigint | undefined {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.length > MAX_TEXT_LENGTH) return undefined;
  if (PLAIN_NUMBER.test(trimmed)) return BigInt(trimmed) * plainUnitNanos;
  let totalNanos = 0n;
  TERM.lastIndex = 0;
  while (TERM.lastIndex < trimmed.length) {
    const match = TERM.exec(trimmed);
    const number = match?.[1];
    const unitNanos = UNIT_NANOS[match?.[2] ?? ''];
    if (number === undefined || unitNanos === undefined) return undefined;
    totalNanos += scaleDecimal(number, unitNanos);
  }
  return totalNanos;
}

/** `digits[.fraction] × unitNanos` without floating point, truncating below 1 ns as Go does. */
function scaleDecimal(decimal: string, unitNanos: bigint): bigint {
  const [whole = '', fraction = ''] = decimal.split('.');
  const wholeNanos = BigInt(whole || '0') * unitNanos;
  if (fraction === '') return wholeNanos;
  return wholeNanos + (BigInt(fraction) * unitNanos) / 10n ** BigInt(fraction.length);
}

/** {@link parseDurationNanos} that throws {@link InvalidParameterError} naming `parameter`. */
export function requireDurationNanos(parameter: string, text: string, plainUnitNanos: bigint): bigint {
  const nanos = parseDurationNanos(text, plainUnitNanos);
  if (nanos === undefined) {
    const plainUnit = plainUnitNanos === 1_000n ? 'microseconds' : 'nanoseconds';
    throw new InvalidParameterError(
      parameter,
      `a duration such as 300ms, 1.2s or 5us (a plain number is ${plainUnit})`,
    );
  }
  return nanos;
}

/**
 * `minDuration`/`maxDuration` of a search into the query, checked to be in order. A plain number
 * is in units of `plainUnitNanos`: nanoseconds in Vigil's API, microseconds in Jaeger's.
 */
export function applyDurationBounds(
  params: URLSearchParams,
  plainUnitNanos: bigint,
  query: { minDurationNanos?: bigint; maxDurationNanos?: bigint },
): void {
  const min = firstParam(params, 'minDuration');
  if (min !== undefined) query.minDurationNanos = requireDurationNanos('minDuration', min, plainUnitNanos);
  const max = firstParam(params, 'maxDuration');
  if (max !== undefined) query.maxDurationNanos = requireDurationNanos('maxDuration', max, plainUnitNanos);
  checkOrdered('minDuration', 'maxDuration', query.minDurationNanos, query.maxDurationNanos);
}
