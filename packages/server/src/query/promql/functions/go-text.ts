/**
 * Go's text forms of numbers and strings that appear in PromQL results and messages: fmt's %g,
 * %f and %q, strconv.ParseFloat (classic histogram `le` labels) and Prometheus's
 * labels.FormatOpenMetricsFloat (histogram_quantiles' quantile label).
 */

/**
 * fmt %g (strconv 'g', shortest digits): exponent form when the decimal exponent is < -4 or
 * >= 6, with at least two exponent digits: 1e+06, 1.5e-05, 123456, 0.0001.
 *
 * @example
 * formatGoG(1e6); // '1e+06'
 */
export function formatGoG(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const [mantissa = '', exponentText = '0'] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    const digits = String(Math.abs(exponent)).padStart(2, '0');
    return `${mantissa}e${exponent < 0 ? '-' : '+'}${digits}`;
  }
  // In this range Number#toString prints the same shortest digits without an exponent.
  return String(value);
}

/** fmt %f: six decimals, NaN and ±Inf spelled as Go spells them. */
export function formatGoFixed(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  // toFixed switches to exponent form from 1e21; such doubles are integers, so BigInt is exact.
  if (Math.abs(value) >= 1e21) return `${BigInt(value).toString()}.000000`;
  return value.toFixed(6);
}

/** fmt %q / strconv.Quote (one implementation, shared with the query formatter). */
export { quoteGoString as goQuote } from '../format-query.ts';

const DECIMAL_FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEX_FLOAT = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/;
const INFINITY = /^([+-]?)(?:inf|infinity)$/i;

/**
 * strconv.ParseFloat(text, 64): decimal and hex (`0x1p-2`) floats, `Inf`/`Infinity` in any case
 * with an optional sign, `NaN` in any case. Returns undefined where Go returns an error, including
 * out-of-range literals such as `1e400` (Go's ErrRange).
 */
export function parseGoFloat(text: string): number | undefined {
  if (DECIMAL_FLOAT.test(text)) {
    const value = Number(text);
    return Number.isFinite(value) ? value : undefined;
  }
  const infinity = INFINITY.exec(text);
  if (infinity) return infinity[1] === '-' ? -Infinity : Infinity;
  if (/^nan$/i.test(text)) return NaN;
  return parseHexFloat(text);
}

function parseHexFloat(text: string): number | undefined {
  const match = HEX_FLOAT.exec(text);
  if (!match) return undefined;
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match;
  if (whole === '' && fraction === '') return undefined;
  const mantissa = parseInt(`${whole}${fraction}` || '0', 16);
  const value = mantissa * 2 ** (Number(exponent) - 4 * fraction.length);
  if (!Number.isFinite(value)) return undefined;
  return sign === '-' ? -value : value;
}

/**
 * labels.FormatOpenMetricsFloat: %g, plus `.0` where the text has neither `.` nor `e`
 * (`0.0`, `1.0`, `0.25`, `2.0`), `NaN`, `+Inf`, `-Inf`.
 */
export function formatOpenMetricsFloat(value: number): string {
  if (value === 0) return '0.0';
  const text = formatGoG(value);
  if (Number.isNaN(value) || !Number.isFinite(value) || /[.e]/.test(text)) return text;
  return `${text}.0`;
}
