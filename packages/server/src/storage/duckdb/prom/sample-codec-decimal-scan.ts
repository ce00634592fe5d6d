/**
 * Finds the decimal exponents a block's values allow (VictoriaMetrics stores values as integer
 * mantissas with one decimal exponent per block: lib/decimal/decimal.go). Unlike VictoriaMetrics,
 * which rounds to 12–15 significant digits, Vigil must give back every double bit for bit, so a
 * value counts as decimal at exponent e only when m × 10^e (or m / 10^-e), computed in doubles as
 * the decoder will, lands on it — or at most one ulp away, the difference then kept as a
 * correction. The ulp slack matters: float sums such as Prometheus's remote-write benchmark data
 * (`i * 0.1 + step`) often sit one ulp off the nearest decimal for long runs (999.9000000000001),
 * which would otherwise send the whole block to Gorilla at ~5 bytes a sample.
 *
 * m and 10^|e| are exact doubles (|m| ≤ 2^52, |e| ≤ 22), so the division or product is correctly
 * rounded: the double nearest to the decimal m × 10^e, the same one a decimal parser would give.
 */
import { MAX_ZIGZAG_MAGNITUDE } from './sample-codec-bytes.ts';
import { Scratch, ulpDistance } from './sample-codec-words.ts';

/** Exponent range: 10^22 is the largest power of ten a double holds exactly. */
export const MAX_EXPONENT = 22;
/** Exponent code for zero, which every exponent represents. */
export const ANY_EXPONENT = 127;
/** Exponent code for values with no decimal form (NaN, ±Inf, -0, too many digits). */
export const NOT_DECIMAL = -128;

/**
 * 10^|e| at index e + MAX_EXPONENT, all exact doubles. Indexed by e + 22 rather than -e: V8
 * represents -0 as a double, and a double index takes a slower element load.
 */
export const SCALES = Float64Array.from(
  { length: 2 * MAX_EXPONENT + 1 },
  (_, i) => 10 ** Math.abs(i - MAX_EXPONENT),
);

/** round(value × 10^-exponent), the mantissa candidate at `exponent`. */
export function mantissaAt(value: number, exponent: number): number {
  const scale = SCALES[exponent + MAX_EXPONENT]!;
  return exponent <= 0 ? Math.round(value * scale) : Math.round(value / scale);
}

/** m × 10^exponent as the decoder computes it. */
export function decimalValue(mantissa: number, exponent: number): number {
  const scale = SCALES[exponent + MAX_EXPONENT]!;
  return exponent <= 0 ? mantissa / scale : mantissa * scale;
}

const FITS = 0;
const DOES_NOT_FIT = 1;
/** The mantissa passed 2^52: no finer exponent can fit either. */
const TOO_FINE = 2;

/** Whether `value` (finite, non-zero) is within one ulp of a decimal with exponent `exponent`. */
function fit(value: number, exponent: number): number {
  const mantissa = mantissaAt(value, exponent);
  if (!(Math.abs(mantissa) <= MAX_ZIGZAG_MAGNITUDE)) return TOO_FINE;
  const decimal = decimalValue(mantissa, exponent);
  const gap = decimal - value;
  if (gap === 0) return FITS;
  // One ulp is at most |value| × 2^-52 (or the smallest subnormal): a cheap test before the bits.
  if (Math.abs(gap) > Math.abs(value) * 2.220446049250313e-16 + 5e-324) return DOES_NOT_FIT;
  return Math.abs(ulpDistance(value, decimal)) <= 1 ? FITS : DOES_NOT_FIT;
}

/** log10(2^52): a mantissa at exponent e is |value| / 10^e, so e ≥ log10|value| - this. */
const LOG10_MAX_MANTISSA = 15.653559774527022;

/** The finest exponent whose mantissa for `value` stays ≤ 2^52 (log10 may be off by one). */
function finestExponent(value: number): number {
  const estimate = Math.max(-MAX_EXPONENT, Math.ceil(Math.log10(Math.abs(value)) - LOG10_MAX_MANTISSA));
  return fit(value, estimate) === TOO_FINE ? estimate + 1 : estimate;
}

/**
 * The coarsest exponent at which `value` is decimal (coarser means smaller mantissas), searched
 * from `startExponent`, the previous value's: neighbours share exponents, so this is ~2 tries.
 * Fitting is monotone (a value that fits at e fits at every finer e while its mantissa stays
 * ≤ 2^52: the decimal is the same number), so a miss is settled by one try at the finest
 * exponent and a binary search, not a walk over all 45.
 */
export function coarsestExponent(value: number, startExponent: number): number {
  if (value === 0) return 1 / value > 0 ? ANY_EXPONENT : NOT_DECIMAL;
  if (!Number.isFinite(value)) return NOT_DECIMAL;
  let exponent = startExponent;
  let outcome = fit(value, exponent);
  // A bigger value than its neighbour may overflow at the neighbour's exponent: climb first.
  while (outcome === TOO_FINE && exponent < MAX_EXPONENT) outcome = fit(value, ++exponent);
  if (outcome === FITS) {
    while (exponent < MAX_EXPONENT && fit(value, exponent + 1) === FITS) exponent++;
    return exponent;
  }
  if (exponent > startExponent) return NOT_DECIMAL;
  let fitting = finestExponent(value);
  if (fitting >= exponent || fit(value, fitting) !== FITS) return NOT_DECIMAL;
  let failing = exponent;
  while (failing - fitting > 1) {
    const middle = (fitting + failing) >> 1;
    if (fit(value, middle) === FITS) fitting = middle;
    else failing = middle;
  }
  return fitting;
}

const exponentScratch = new Scratch((length) => new Int8Array(length));
/** Values per exponent: index e + MAX_EXPONENT. */
const histogram = new Float64Array(2 * MAX_EXPONENT + 1);

/** Per-value coarsest exponents of values[0, count) and the block exponents worth trying (reused). */
export interface ExponentScan {
  /** Coarsest exponent per value (ANY_EXPONENT, NOT_DECIMAL or -22 … 22); scratch, reused. */
  exponents: Int8Array;
  /** Block exponents to try, finest first: each turns the values that need finer into exceptions. */
  candidates: number[];
}

const scan: ExponentScan = { exponents: new Int8Array(0), candidates: [] };

/** Most block exponents tried; each extra one costs an encoding pass. */
const MAX_CANDIDATES = 3;

/**
 * Scans values[0, count): the finest exponent found (no exceptions but the non-decimals) and up
 * to two coarser ones that leave at most a quarter of the values as exceptions, since one outlier
 * with more digits (one 12.345 among tenths) should not widen every mantissa.
 */
export function scanExponents(values: Float64Array, count: number): ExponentScan {
  const exponents = exponentScratch.atLeast(count);
  histogram.fill(0);
  let notDecimal = 0;
  let start = 0;
  let previous = Number.NaN;
  let exponent = NOT_DECIMAL;
  for (let i = 0; i < count; i++) {
    const value = values[i]!;
    // Gauges repeat their value often: the same value has the same exponent.
    if (value !== previous || value === 0) exponent = coarsestExponent(value, start);
    previous = value;
    exponents[i] = exponent;
    if (exponent === NOT_DECIMAL) notDecimal++;
    else if (exponent !== ANY_EXPONENT) {
      histogram[exponent + MAX_EXPONENT]!++;
      start = exponent;
    }
  }
  const candidates = scan.candidates;
  candidates.length = 0;
  scan.exponents = exponents;
  if (notDecimal === count) return scan;
  let exceptions = notDecimal;
  for (let index = 0; index < histogram.length && candidates.length < MAX_CANDIDATES; index++) {
    const atExponent = histogram[index]!;
    if (atExponent === 0) continue;
    if (candidates.length > 0 && exceptions > count / 4) break;
    candidates.push(index - MAX_EXPONENT);
    exceptions += atExponent;
  }
  if (candidates.length === 0) candidates.push(0);
  return scan;
}
