/**
 * Number parsing as the PromQL test scripts get it from Go: promqltest's parseNumber and the
 * PromQL parser's number() both try strconv.ParseInt(s, 0, 64) first (so `010` is octal 8 and
 * `0x1f`, `0b101`, `1_000` are integers) and fall back to strconv.ParseFloat (decimal, `Inf`,
 * `NaN`, hex floats like `0x1p-2`).
 */
export function parseGoNumber(text: string): number | undefined {
  return parseGoInt(text) ?? parseGoFloat(text);
}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/** strconv.ParseInt(text, 0, 64): sign, base prefix, `_` only between digits (or after a prefix). */
export function parseGoInt(text: string): number | undefined {
  const match = /^([+-]?)(.*)$/.exec(text);
  const sign = match?.[1] === '-' ? -1n : 1n;
  const body = match?.[2] ?? '';
  const digits = integerDigits(body);
  if (digits === undefined) return undefined;
  const value = sign * BigInt(digits);
  if (value > INT64_MAX || value < INT64_MIN) return undefined;
  return Number(value);
}

/** The body as a BigInt literal (`0x…`, `0o…`, `0b…` or decimal), or undefined when invalid. */
function integerDigits(body: string): string | undefined {
  const prefixed = /^0([xXoObB])(_?[0-9a-fA-F]+(?:_[0-9a-fA-F]+)*)$/.exec(body);
  if (prefixed) {
    const base = (prefixed[1] ?? '').toLowerCase();
    const digits = (prefixed[2] ?? '').replaceAll('_', '');
    const valid = base === 'x' ? /^[0-9a-fA-F]+$/ : base === 'o' ? /^[0-7]+$/ : /^[01]+$/;
    return valid.test(digits) ? `0${base}${digits}` : undefined;
  }
  // A leading 0 means octal (Go's base-0 rule), `_` allowed right after it.
  const octal = /^0(_?[0-7]+(?:_[0-7]+)*)$/.exec(body);
  if (octal) return `0o${(octal[1] ?? '').replaceAll('_', '')}`;
  if (/^(?:0|[1-9][0-9]*(?:_[0-9]+)*)$/.test(body)) return body.replaceAll('_', '');
  return undefined;
}

/** strconv.ParseFloat(text, 64) for the forms that occur in PromQL text. */
export function parseGoFloat(text: string): number | undefined {
  const special = /^([+-]?)(inf|infinity)$/i.exec(text);
  if (special) return special[1] === '-' ? -Infinity : Infinity;
  if (/^nan$/i.test(text)) return NaN;
  if (/^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(text)) return Number(text);
  return parseHexFloat(text);
}

/** `0x1.8p3`: hex mantissa times a power of two; the `p` exponent is mandatory in Go. */
function parseHexFloat(text: string): number | undefined {
  const match = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?[0-9]+)$/.exec(text);
  if (!match) return undefined;
  const whole = match[2] ?? '';
  const fraction = match[3] ?? '';
  if (whole === '' && fraction === '') return undefined;
  const mantissa = parseInt(whole + fraction || '0', 16) / 16 ** fraction.length;
  const value = mantissa * 2 ** Number(match[4]);
  return match[1] === '-' ? -value : value;
}
