/**
 * Go's math.Log2 and math.Log10, which are built on Frexp and Log rather than computed
 * directly; matching them keeps results bit-identical (e.g. log10(20)) with Prometheus.
 */

/** Go's Ln2/Ln10 constant, rounded once from the exact value (dividing the doubles is 1 ulp off). */
const LOG10_OF_2 = 0.3010299956639812;
const LOG2_OF_E = 1 / Math.LN2;

const frexpView = new DataView(new ArrayBuffer(8));

/** Go's math.Frexp: x = fraction × 2^exponent with fraction in [0.5, 1); ±0, ±Inf, NaN unchanged. */
export function frexp(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  let scaled = x;
  let exponent = 0;
  if (Math.abs(x) < 2.2250738585072014e-308) {
    // Subnormal: normalise first so the exponent bits are meaningful.
    scaled = x * 2 ** 52;
    exponent = -52;
  }
  frexpView.setFloat64(0, scaled);
  const high = frexpView.getUint32(0);
  exponent += ((high >>> 20) & 0x7ff) - 1022;
  // Replace the exponent bits with those of 0.5 (biased 1022).
  frexpView.setUint32(0, (high & 0x800fffff) | (1022 << 20));
  return [frexpView.getFloat64(0), exponent];
}

/** Go's math.Log2: exact for powers of two. */
export function goLog2(x: number): number {
  const [fraction, exponent] = frexp(x);
  if (fraction === 0.5) return exponent - 1;
  return Math.log(fraction) * LOG2_OF_E + exponent;
}

/** Go's math.Log10, as log2(x) × log10(2). */
export function goLog10(x: number): number {
  return goLog2(x) * LOG10_OF_2;
}
