import type { UnixNano } from '../../model/units.ts';
import { InvalidParameterError } from './invalid-parameter-error.ts';

const PLAIN_INTEGER = /^\d{1,20}$/;
// RFC 3339 date-time (section 5.6), fractional seconds up to nanoseconds.
const RFC3339 = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;
const MAX_UNIX_NANO = 2n ** 64n - 1n;

/**
 * Vigil API timestamps: Unix nanoseconds as a plain integer ("1732880000000000000") or an RFC 3339
 * date-time with up to nanosecond precision ("2024-11-29T10:00:00.123456789Z"). Both are exact.
 * Returns undefined when the text is neither.
 *
 * @example
 * parseTimestampNanos('1970-01-01T00:00:01.5Z'); // 1_500_000_000n
 */
export function parseTimestampNanos(text: string): UnixNano | undefined {
  const trimmed = text.trim();
  if (PLAIN_INTEGER.test(trimmed)) {
    const nanos = BigInt(trimmed);
    return nanos <= MAX_UNIX_NANO ? nanos : undefined;
  }
  const match = RFC3339.exec(trimmed);
  if (!match) return undefined;
  const [, date, time, fraction = '', zone = 'Z'] = match;
  const wholeSecondMillis = Date.parse(`${date}T${time}${zone.toUpperCase()}`);
  if (Number.isNaN(wholeSecondMillis) || wholeSecondMillis < 0) return undefined;
  return BigInt(wholeSecondMillis) * 1_000_000n + BigInt(fraction.padEnd(9, '0'));
}

/** {@link parseTimestampNanos} that throws {@link InvalidParameterError} naming `parameter`. */
export function requireTimestampNanos(parameter: string, text: string): UnixNano {
  const nanos = parseTimestampNanos(text);
  if (nanos === undefined) {
    throw new InvalidParameterError(parameter, 'Unix nanoseconds or an RFC 3339 date-time');
  }
  return nanos;
}

/** Jaeger API timestamps: Unix microseconds as a plain integer (Jaeger's `start`/`end`). */
export function requireUnixMicrosAsNanos(parameter: string, text: string): UnixNano {
  const trimmed = text.trim();
  if (!/^\d{1,17}$/.test(trimmed)) throw new InvalidParameterError(parameter, 'Unix microseconds');
  return BigInt(trimmed) * 1_000n;
}
