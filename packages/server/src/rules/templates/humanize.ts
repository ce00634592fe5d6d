import { GoFuncError } from './go/go-func.ts';
import { formatFloat } from './go/go-float-format.ts';
import { parseFloatErrorMessage, parseGoFloat } from './go/go-strconv.ts';
import type { GoValue } from './go/go-values.ts';

/**
 * Prometheus's number formatting template functions (template/template.go and prometheus/common
 * helpers/templates): humanize, humanize1024, humanizeDuration, humanizePercentage, and the
 * conversions behind humanizeTimestamp/toTime/toDuration. Output matches Go's `%.4g` exactly.
 */

/** convertToFloat: float64, numeric strings (strconv.ParseFloat), int/uint/int64/uint64, Duration. */
export function convertToFloat(value: GoValue): number {
  if (value.kind === 'float') return value.value;
  if (value.kind === 'string' && value.type.name === 'string') {
    const parsed = parseGoFloat(value.value);
    if (typeof parsed === 'string') throw new GoFuncError(parseFloatErrorMessage(value.value, parsed));
    return parsed;
  }
  if (value.kind === 'int' || value.kind === 'uint') {
    if (value.type.name === 'time.Duration')
      return Number(value.value / 1_000_000_000n) + Number(value.value % 1_000_000_000n) / 1e9;
    if (['int', 'uint', 'int64', 'uint64'].includes(value.type.name)) return Number(value.value);
  }
  throw new GoFuncError(`can't convert ${value.kind === 'invalid' ? '<nil>' : value.type.name} to float`);
}

/** fmt's `%.4g`. */
function g4(value: number): string {
  return formatFloat(value, 'g', 4);
}

const LARGE_PREFIXES = ['k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];
const SMALL_PREFIXES = ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y'];

/** Scales |v| < 1 up by 1000s; returns the scaled value and its SI prefix. */
function scaleSmall(value: number): [number, string] {
  let v = value;
  let prefix = '';
  for (const p of SMALL_PREFIXES) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return [v, prefix];
}

/** humanize: SI prefixes, e.g. 1234567 → "1.235M", 0.12 → "120m". */
export function humanize(value: number): string {
  if (value === 0 || !Number.isFinite(value)) return g4(value);
  if (Math.abs(value) >= 1) {
    let v = value;
    let prefix = '';
    for (const p of LARGE_PREFIXES) {
      if (Math.abs(v) < 1000) break;
      prefix = p;
      v /= 1000;
    }
    return g4(v) + prefix;
  }
  const [v, prefix] = scaleSmall(value);
  return g4(v) + prefix;
}

/** humanize1024: binary prefixes, e.g. 1048576 → "1Mi"; |v| ≤ 1 is printed as is. */
export function humanize1024(value: number): string {
  if (Math.abs(value) <= 1 || !Number.isFinite(value)) return g4(value);
  let v = value;
  let prefix = '';
  for (const p of ['ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'Zi', 'Yi']) {
    if (Math.abs(v) < 1024) break;
    prefix = p;
    v /= 1024;
  }
  return g4(v) + prefix;
}

/** humanizeDuration: seconds as "1d 2h 3m 4s", "1.234s" or "123.5ms". */
export function humanizeDuration(value: number): string {
  if (!Number.isFinite(value)) return g4(value);
  if (value === 0) return `${g4(value)}s`;
  if (Math.abs(value) >= 1) {
    const sign = value < 0 ? '-' : '';
    const v = Math.abs(value);
    const total = int64FromFloat(v);
    const seconds = total % 60n;
    const minutes = (total / 60n) % 60n;
    const hours = (total / 3600n) % 24n;
    const days = total / 86400n;
    if (days !== 0n) return `${sign}${days}d ${hours}h ${minutes}m ${seconds}s`;
    if (hours !== 0n) return `${sign}${hours}h ${minutes}m ${seconds}s`;
    if (minutes !== 0n) return `${sign}${minutes}m ${seconds}s`;
    return `${sign}${g4(v)}s`;
  }
  const [v, prefix] = scaleSmall(value);
  return `${g4(v)}${prefix}s`;
}

/** humanizePercentage: a ratio as a percentage, e.g. 0.1234567 → "12.35%". */
export function humanizePercentage(value: number): string {
  return `${g4(value * 100)}%`;
}

const MAX_INT64_AS_FLOAT = 2 ** 63;

/**
 * Go's int64(f): truncation; out of range it is architecture-specific, and on amd64 (Prometheus's
 * main platform, and its AMD64-only tests) the result is math.MinInt64.
 */
function int64FromFloat(value: number): bigint {
  if (!(value < MAX_INT64_AS_FLOAT && value >= -MAX_INT64_AS_FLOAT)) return -(2n ** 63n);
  return BigInt(Math.trunc(value));
}

/** Unix nanoseconds of a float timestamp in seconds, truncated to ms as model.Time does; NaN/Inf → undefined. */
export function floatToUnixNanos(seconds: number): bigint | undefined {
  if (!Number.isFinite(seconds)) return undefined;
  const nanos = seconds * 1e9;
  if (nanos > MAX_INT64_AS_FLOAT || nanos < -MAX_INT64_AS_FLOAT) {
    throw new GoFuncError(
      `${formatFloat(seconds, 'g', -1)} cannot be represented as a nanoseconds timestamp since it overflows int64`,
    );
  }
  return (BigInt(Math.trunc(nanos)) / 1_000_000n) * 1_000_000n;
}

/** time.Duration(seconds * 1e9), truncated toward zero; NaN/Inf → undefined. */
export function floatToDurationNanos(seconds: number): bigint | undefined {
  if (!Number.isFinite(seconds)) return undefined;
  const nanos = seconds * 1e9;
  if (nanos >= MAX_INT64_AS_FLOAT || nanos < -MAX_INT64_AS_FLOAT) {
    throw new GoFuncError(
      `${formatFloat(seconds, 'g', -1)} cannot be represented as a nanoseconds duration since it overflows int64`,
    );
  }
  return BigInt(Math.trunc(nanos));
}
