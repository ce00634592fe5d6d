/**
 * Go's float formatting, which Prometheus uses in API values, count_values labels and messages:
 * strconv.FormatFloat(v, 'f', -1, 64) (fmt's %g is functions/go-text.ts formatGoG). Both use the shortest digits that round-trip,
 * as JavaScript's Number#toString does; they differ only in where exponents appear.
 */
export function formatGoFloat(value: number): string {
  if (Object.is(value, -0)) return '-0';
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  const text = String(value);
  const exponentAt = text.indexOf('e');
  if (exponentAt === -1) return text;
  return expandExponent(text.slice(0, exponentAt), Number(text.slice(exponentAt + 1)));
}

function expandExponent(mantissa: string, exponent: number): string {
  const negative = mantissa.startsWith('-');
  const digitsText = negative ? mantissa.slice(1) : mantissa;
  const [whole = '', fraction = ''] = digitsText.split('.');
  const digits = whole + fraction;
  const pointAt = whole.length + exponent;
  let result: string;
  if (pointAt <= 0) result = `0.${'0'.repeat(-pointAt)}${digits}`;
  else if (pointAt >= digits.length) result = digits + '0'.repeat(pointAt - digits.length);
  else result = `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
  return negative ? `-${result}` : result;
}
