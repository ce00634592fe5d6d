/**
 * strconv.FormatFloat(x, fmt, prec, 64) for fmt in b e E f F g G x X. Go rounds the exact binary
 * value half-to-even (so `%.4g` of 12.345 is "12.35" but of 1.2345 is "1.234"); JS's toPrecision
 * breaks exact ties upwards, so fixed precision is done here on the exact decimal expansion.
 */

/** Go's decimalSlice: value = 0.digits × 10^dp; digits has no trailing zeros ('' is zero). */
interface Decimal {
  readonly digits: string;
  readonly dp: number;
}

function trimZeros(digits: string, dp: number): Decimal {
  const trimmed = digits.replace(/0+$/, '');
  return trimmed === '' ? { digits: '', dp: 0 } : { digits: trimmed, dp };
}

/** Mantissa (with the implicit bit) and unbiased binary exponent, as strconv's genericFtoa has them. */
function floatBits(x: number): { mant: bigint; exp: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  let exp = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  if (exp === 0) exp = 1;
  else mant |= 1n << 52n;
  return { mant, exp: exp - 1023 };
}

/** The exact decimal expansion of a positive finite double. */
function exactDecimal(x: number): Decimal {
  const { mant, exp } = floatBits(x);
  const shift = exp - 52;
  if (shift >= 0) {
    const digits = (mant << BigInt(shift)).toString();
    return trimZeros(digits, digits.length);
  }
  const digits = (mant * 5n ** BigInt(-shift)).toString();
  return trimZeros(digits, digits.length + shift);
}

/** The shortest decimal that reads back as x (Go's and JS's shortest formatting agree). */
function shortestDecimal(x: number): Decimal {
  const [mantissa = '0', exponent = '0'] = x.toExponential().split('e');
  return trimZeros(mantissa.replace('.', ''), Number(exponent) + 1);
}

/** decimal.Round(nd) on an exact value: half-to-even only on exact ties. */
function roundDecimal(d: Decimal, nd: number): Decimal {
  if (nd < 0 || nd >= d.digits.length) return d;
  const next = d.digits[nd] ?? '0';
  const halfway = next === '5' && nd + 1 === d.digits.length;
  const roundUp = halfway ? nd > 0 && Number(d.digits[nd - 1]) % 2 === 1 : next >= '5';
  if (!roundUp) return trimZeros(d.digits.slice(0, nd), d.dp);
  for (let i = nd - 1; i >= 0; i--) {
    const digit = Number(d.digits[i]);
    if (digit < 9) return { digits: d.digits.slice(0, i) + String(digit + 1), dp: d.dp };
  }
  return { digits: '1', dp: d.dp + 1 };
}

function fmtE(neg: boolean, d: Decimal, prec: number, expChar: string): string {
  let out = (neg ? '-' : '') + (d.digits[0] ?? '0');
  if (prec > 0) out += `.${d.digits.slice(1, prec + 1).padEnd(prec, '0')}`;
  const exp = d.digits === '' ? 0 : d.dp - 1;
  return `${out}${expChar}${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

function fmtF(neg: boolean, d: Decimal, prec: number): string {
  let out = neg ? '-' : '';
  out += d.dp > 0 ? d.digits.slice(0, d.dp).padEnd(d.dp, '0') : '0';
  if (prec > 0) {
    out += '.';
    for (let i = 1; i <= prec; i++) {
      const j = d.dp + i - 1;
      out += j >= 0 && j < d.digits.length ? d.digits[j] : '0';
    }
  }
  return out;
}

/** strconv's %g choice between %e and %f. */
function fmtG(neg: boolean, d: Decimal, precision: number, shortest: boolean, upper: boolean): string {
  let prec = precision;
  const nd = d.digits.length;
  let eprec = prec;
  if (eprec > nd && nd >= d.dp) eprec = nd;
  if (shortest) eprec = 6;
  const exp = d.dp - 1;
  if (exp < -4 || exp >= eprec) {
    if (prec > nd) prec = nd;
    return fmtE(neg, d, prec - 1, upper ? 'E' : 'e');
  }
  if (prec > d.dp) prec = nd;
  return fmtF(neg, d, Math.max(prec - d.dp, 0));
}

/** %b: decimal mantissa and binary exponent, e.g. 4503599627370496p-52. */
function fmtB(neg: boolean, x: number): string {
  const { mant, exp } = floatBits(x);
  const binaryExp = exp - 52;
  return `${neg ? '-' : ''}${mant}p${binaryExp >= 0 ? '+' : ''}${binaryExp}`;
}

/** %x / %X with shortest precision: -0x1.yyyyp±dd. */
function fmtX(neg: boolean, x: number, upper: boolean): string {
  let { mant, exp } = floatBits(x);
  if (mant === 0n) exp = 0;
  const mask = (1n << 64n) - 1n;
  mant = (mant << 8n) & mask; // leading 1 at bit 60
  while (mant !== 0n && (mant & (1n << 60n)) === 0n) {
    mant = (mant << 1n) & mask;
    exp--;
  }
  let out = `${neg ? '-' : ''}0x${(mant >> 60n) & 1n}`;
  mant = (mant << 4n) & mask;
  if (mant !== 0n) {
    out += '.';
    while (mant !== 0n) {
      out += ((mant >> 60n) & 15n).toString(16);
      mant = (mant << 4n) & mask;
    }
  }
  out += `p${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return upper ? out.toUpperCase() : out;
}

/**
 * strconv.FormatFloat(x, verb, prec, 64). `prec` < 0 means the shortest representation.
 * @example formatFloat(1234567, 'g', 4) // "1.235e+06"
 */
export function formatFloat(x: number, verb: string, prec: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  const neg = x < 0 || Object.is(x, -0);
  if (verb === 'b') return fmtB(neg, x);
  if (verb === 'x' || verb === 'X') return fmtX(neg, x, verb === 'X');
  const abs = Math.abs(x);
  const shortest = prec < 0;
  const kind = verb.toLowerCase();
  let digitsPrec = prec;
  if (kind === 'g' && prec === 0) digitsPrec = 1;
  let d: Decimal = { digits: '', dp: 0 };
  if (abs !== 0 && shortest) d = shortestDecimal(abs);
  else if (abs !== 0) {
    const exact = exactDecimal(abs);
    const nd = kind === 'e' ? digitsPrec + 1 : kind === 'f' ? exact.dp + digitsPrec : digitsPrec;
    d = roundDecimal(exact, nd);
  }
  if (shortest) {
    const nd = d.digits.length;
    digitsPrec = kind === 'e' ? Math.max(nd - 1, 0) : kind === 'f' ? Math.max(nd - d.dp, 0) : nd;
  }
  if (kind === 'e') return fmtE(neg, d, digitsPrec, verb);
  if (kind === 'f') return fmtF(neg, d, digitsPrec);
  return fmtG(neg, d, digitsPrec, shortest, verb === 'G');
}
