import { formatFloat } from './go-float-format.ts';
import { stringerText } from './go-methods.ts';
import { goQuote, goQuoteRune, isPrint } from './go-strconv.ts';
import { goString, sortedKeys, type GoValue } from './go-values.ts';

/**
 * The printing half of Go's fmt (fmt/print.go printArg/printValue and fmt/format.go): one operand
 * under one verb with flags, width and precision, including the `%!verb(type=value)` forms.
 */

/** fmt's per-verb flags. `wid`/`prec` are undefined when absent. */
export interface FmtFlags {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  plusV: boolean;
  sharpV: boolean;
  wid?: number;
  prec?: number;
}

export function clearFlags(): FmtFlags {
  return { plus: false, minus: false, sharp: false, space: false, zero: false, plusV: false, sharpV: false };
}

function runeCount(text: string): number {
  return [...text].length;
}

const UTF8 = new TextEncoder();

/** Formats operands into `buf` the way Go's pp does. */
export class GoPrinter {
  buf = '';
  flags: FmtFlags = clearFlags();
  private erroring = false;

  /** fmt's printArg: one top-level operand. The invalid value is a nil interface. */
  printArg(arg: GoValue, verb: string): void {
    if (arg.kind === 'invalid') {
      if (verb === 'T' || verb === 'v') this.padString('<nil>');
      else this.badVerb(verb, arg);
      return;
    }
    if (verb === 'T') this.fmtString(arg.type.name, 's');
    else this.printValue(arg, verb, 0);
  }

  private writePadding(count: number): void {
    if (count > 0) this.buf += (this.flags.zero && !this.flags.minus ? '0' : ' ').repeat(count);
  }

  /** fmt.pad / padString: pads to the width, counting runes. */
  padString(text: string): void {
    const { wid, minus } = this.flags;
    if (wid === undefined || wid === 0) {
      this.buf += text;
      return;
    }
    const padding = wid - runeCount(text);
    if (minus) {
      this.buf += text;
      this.writePadding(padding);
    } else {
      this.writePadding(padding);
      this.buf += text;
    }
  }

  private padWithoutZeros(text: string): void {
    const zero = this.flags.zero;
    this.flags.zero = false;
    this.padString(text);
    this.flags.zero = zero;
  }

  badVerb(verb: string, arg: GoValue): void {
    this.erroring = true;
    this.buf += `%!${verb}(`;
    if (arg.kind === 'invalid') this.buf += '<nil>';
    else {
      this.buf += `${arg.type.name}=`;
      this.printArg(arg, 'v');
    }
    this.buf += ')';
    this.erroring = false;
  }

  /** fmt's handleMethods: Stringers print through String() for %v %s %x %X %q. */
  private handleMethods(value: GoValue, verb: string): boolean {
    if (this.erroring || this.flags.sharpV || !'vsxXq'.includes(verb)) return false;
    const text = stringerText(value);
    if (text === undefined) return false;
    this.fmtString(text, verb);
    return true;
  }

  printValue(value: GoValue, verb: string, depth: number): void {
    if (this.handleMethods(value, verb)) return;
    switch (value.kind) {
      case 'invalid':
        this.buf += '<nil>';
        return;
      case 'bool':
        if (verb === 't' || verb === 'v') this.padString(String(value.value));
        else this.badVerb(verb, value);
        return;
      case 'int':
      case 'uint':
        this.fmtInteger(value.value, value, verb);
        return;
      case 'float':
        this.fmtFloat(value.value, value, verb);
        return;
      case 'string':
        this.fmtString(value.value, verb, value);
        return;
      default:
        this.printComposite(value, verb, depth);
    }
  }

  private printComposite(value: GoValue, verb: string, depth: number): void {
    if (value.kind === 'map') {
      this.buf += 'map[';
      const entries = value.value ?? new Map<string, GoValue>();
      sortedKeys(entries).forEach((key, i) => {
        if (i > 0) this.buf += ' ';
        this.printValue(goString(key), verb, depth + 1);
        this.buf += ':';
        this.printValue(entries.get(key) ?? goString(''), verb, depth + 1);
      });
      this.buf += ']';
    } else if (value.kind === 'slice') {
      this.buf += '[';
      (value.value ?? []).forEach((item, i) => {
        if (i > 0) this.buf += ' ';
        this.printValue(item, verb, depth + 1);
      });
      this.buf += ']';
    } else if (value.kind === 'struct') {
      this.buf += '{';
      [...value.value].forEach(([name, field], i) => {
        if (i > 0) this.buf += ' ';
        if (this.flags.plusV) this.buf += `${name}:`;
        this.printValue(field, verb, depth + 1);
      });
      this.buf += '}';
    } else if (value.kind === 'ptr') {
      // Go prints a nested pointer as its address; we print what it points to, like the top level.
      if (value.value === null) this.padString('<nil>');
      else {
        this.buf += '&';
        this.printValue(value.value, verb, depth + 1);
      }
    }
  }

  fmtString(text: string, verb: string, arg: GoValue = goString(text)): void {
    const { prec } = this.flags;
    const truncated = prec === undefined ? text : [...text].slice(0, prec).join('');
    switch (verb) {
      case 'v':
        if (this.flags.sharpV) this.padString(goQuote(truncated));
        else this.padString(truncated);
        return;
      case 's':
        this.padString(truncated);
        return;
      case 'q':
        this.padString(
          this.flags.sharp && !/[`\x00-\x08\x0a-\x1f\x7f]/.test(truncated)
            ? `\`${truncated}\``
            : goQuote(truncated, this.flags.plus),
        );
        return;
      case 'x':
      case 'X':
        this.fmtHexBytes(UTF8.encode(text), verb === 'X');
        return;
      default:
        this.badVerb(verb, arg);
    }
  }

  /** fmtSbx: hex digits of the bytes; ' ' separates bytes, '#' adds 0x. */
  private fmtHexBytes(bytes: Uint8Array, upper: boolean): void {
    const { prec, space, sharp } = this.flags;
    const length = prec === undefined ? bytes.length : Math.min(prec, bytes.length);
    const prefix = upper ? '0X' : '0x';
    let out = sharp ? prefix : '';
    for (let i = 0; i < length; i++) {
      if (space && i > 0) out += sharp ? ` ${prefix}` : ' ';
      const hex = (bytes[i] ?? 0).toString(16).padStart(2, '0');
      out += upper ? hex.toUpperCase() : hex;
    }
    if (length === 0) out = '';
    this.padWithoutZeros(out);
  }

  private fmtInteger(value: bigint, arg: GoValue, verb: string): void {
    const bases: Readonly<Record<string, number>> = { v: 10, d: 10, b: 2, o: 8, O: 8, x: 16, X: 16 };
    const base = bases[verb];
    if (base !== undefined) this.fmtIntegerBase(value, base, verb);
    else if (verb === 'c') this.padString(String.fromCodePoint(validRune(value)));
    else if (verb === 'q') this.padString(goQuoteRune(validRune(value), this.flags.plus));
    else if (verb === 'U') this.fmtUnicode(value);
    else this.badVerb(verb, arg);
  }

  private fmtIntegerBase(value: bigint, base: number, verb: string): void {
    const { prec, wid, zero, minus, plus, space, sharp } = this.flags;
    const negative = value < 0n;
    const magnitude = negative ? -value : value;
    let minDigits = 0;
    if (prec !== undefined) {
      minDigits = prec;
      if (prec === 0 && magnitude === 0n) {
        this.padWithoutZeros('');
        return;
      }
    } else if (zero && !minus && wid !== undefined) {
      minDigits = negative || plus || space ? wid - 1 : wid;
    }
    let digits = magnitude.toString(base);
    if (verb === 'X') digits = digits.toUpperCase();
    digits = digits.padStart(minDigits, '0');
    if (sharp && base === 2) digits = `0b${digits}`;
    if (sharp && base === 8 && !digits.startsWith('0')) digits = `0${digits}`;
    if (sharp && base === 16) digits = (verb === 'X' ? '0X' : '0x') + digits;
    if (verb === 'O') digits = `0o${digits}`;
    const sign = negative ? '-' : plus ? '+' : space ? ' ' : '';
    this.padWithoutZeros(sign + digits);
  }

  private fmtUnicode(value: bigint): void {
    const digits = value
      .toString(16)
      .toUpperCase()
      .padStart(this.flags.prec ?? 4, '0');
    let text = `U+${digits}`;
    const rune = Number(value);
    if (this.flags.sharp && value <= 0x10ffffn && isPrint(rune)) text += ` '${String.fromCodePoint(rune)}'`;
    this.padWithoutZeros(text);
  }

  private fmtFloat(value: number, arg: GoValue, verb: string): void {
    const defaults: Readonly<Record<string, number>> = {
      v: -1,
      b: -1,
      g: -1,
      G: -1,
      x: -1,
      X: -1,
      f: 6,
      F: 6,
      e: 6,
      E: 6,
    };
    const defaultPrec = defaults[verb];
    if (defaultPrec === undefined) {
      this.badVerb(verb, arg);
      return;
    }
    const strconvVerb = verb === 'v' ? 'g' : verb === 'F' ? 'f' : verb;
    let num = formatFloat(value, strconvVerb, this.flags.prec ?? defaultPrec);
    if (num[0] !== '-' && num[0] !== '+') num = `+${num}`;
    const { space, plus, zero, minus, wid } = this.flags;
    if (space && num[0] === '+' && !plus) num = ` ${num.slice(1)}`;
    if (num[1] === 'I' || num[1] === 'N') {
      this.padWithoutZeros(num[1] === 'N' && !space && !plus ? num.slice(1) : num);
      return;
    }
    if (plus || num[0] !== '+') {
      if (zero && !minus && wid !== undefined && wid > num.length) {
        this.buf += num[0] ?? '';
        this.writePadding(wid - num.length);
        this.buf += num.slice(1);
      } else this.padString(num);
      return;
    }
    this.padString(num.slice(1));
  }
}

function validRune(value: bigint): number {
  const rune = Number(value);
  return value < 0n || value > 0x10ffffn || (rune >= 0xd800 && rune <= 0xdfff) ? 0xfffd : rune;
}
