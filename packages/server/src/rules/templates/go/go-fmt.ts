import { clearFlags, GoPrinter } from './go-fmt-printer.ts';
import type { GoValue } from './go-values.ts';

/**
 * fmt.Sprint, fmt.Sprintln and fmt.Sprintf over template values (fmt/print.go doPrint, doPrintln,
 * doPrintf), with Go's argument indexes (`%[2]d`), `*` widths and `%!(EXTRA …)` reports.
 */

/** fmt.Sprint: a space between operands when neither side is a string. */
export function sprint(args: readonly GoValue[]): string {
  const printer = new GoPrinter();
  let previousString = false;
  args.forEach((arg, i) => {
    const isString = arg.kind === 'string';
    if (i > 0 && !isString && !previousString) printer.buf += ' ';
    printer.printArg(arg, 'v');
    previousString = isString;
  });
  return printer.buf;
}

/** fmt.Sprintln: spaces between all operands and a trailing newline. */
export function sprintln(args: readonly GoValue[]): string {
  const printer = new GoPrinter();
  args.forEach((arg, i) => {
    if (i > 0) printer.buf += ' ';
    printer.printArg(arg, 'v');
  });
  return `${printer.buf}\n`;
}

/** The value of a `%v` operand on its own (what a template action prints). */
export function formatValue(arg: GoValue): string {
  return sprint([arg]);
}

/** Numbers above this are rejected as widths and precisions (fmt's tooLarge). */
const MAX_WIDTH = 1_000_000;

/** fmt's parsenum: a decimal number at `start`; undefined when absent or too large. */
function parseNumber(format: string, start: number): { value: number | undefined; end: number } {
  let end = start;
  while (end < format.length && format[end]! >= '0' && format[end]! <= '9') end++;
  if (end === start) return { value: undefined, end };
  const value = Number(format.slice(start, end));
  return { value: value > MAX_WIDTH ? undefined : value, end };
}

class FormatState {
  argNum = 0;
  reordered = false;
  goodArgNum = true;
  readonly printer = new GoPrinter();

  constructor(
    readonly format: string,
    readonly args: readonly GoValue[],
  ) {}

  /** fmt's argNumber: an explicit `[n]` index at i. */
  argNumber(i: number): { i: number; found: boolean } {
    if (this.format[i] !== '[') return { i, found: false };
    this.reordered = true;
    const close = this.format.indexOf(']', i + 1);
    if (this.format.length - i < 3 || close < 0) {
      this.goodArgNum = false;
      return { i: i + 1, found: false };
    }
    const { value, end } = parseNumber(this.format, i + 1);
    if (value === undefined || end !== close) {
      this.goodArgNum = false;
      return { i: close + 1, found: false };
    }
    if (value - 1 >= 0 && value - 1 < this.args.length) {
      this.argNum = value - 1;
      return { i: close + 1, found: true };
    }
    this.goodArgNum = false;
    return { i: close + 1, found: true };
  }

  /** fmt's intFromArg: the int operand for a `*` width or precision. */
  intFromArg(): number | undefined {
    const arg = this.args[this.argNum];
    if (arg === undefined) return undefined;
    this.argNum++;
    if (arg.kind !== 'int' && arg.kind !== 'uint') return undefined;
    const value = Number(arg.value);
    return Math.abs(value) > MAX_WIDTH ? undefined : value;
  }
}

/** Parses flags at i; returns the index after them. */
function parseFlags(state: FormatState, start: number): number {
  const flags = state.printer.flags;
  let i = start;
  for (; i < state.format.length; i++) {
    const c = state.format[i];
    if (c === '#') flags.sharp = true;
    else if (c === '0') flags.zero = true;
    else if (c === '+') flags.plus = true;
    else if (c === '-') flags.minus = true;
    else if (c === ' ') flags.space = true;
    else break;
  }
  return i;
}

function parseWidth(
  state: FormatState,
  start: number,
  afterIndex: boolean,
): { i: number; afterIndex: boolean } {
  const flags = state.printer.flags;
  if (state.format[start] === '*') {
    const width = state.intFromArg();
    if (width === undefined) state.printer.buf += '%!(BADWIDTH)';
    else if (width < 0) {
      flags.wid = -width;
      flags.minus = true;
      flags.zero = false;
    } else flags.wid = width;
    return { i: start + 1, afterIndex: false };
  }
  const { value, end } = parseNumber(state.format, start);
  flags.wid = value;
  if (afterIndex && value !== undefined) state.goodArgNum = false;
  return { i: end, afterIndex };
}

function parsePrecision(
  state: FormatState,
  start: number,
  afterIndex: boolean,
): { i: number; afterIndex: boolean } {
  const flags = state.printer.flags;
  if (!(start + 1 < state.format.length && state.format[start] === '.')) return { i: start, afterIndex };
  if (afterIndex) state.goodArgNum = false;
  const index = state.argNumber(start + 1);
  if (state.format[index.i] === '*') {
    const prec = state.intFromArg();
    if (prec === undefined || prec < 0) state.printer.buf += '%!(BADPREC)';
    else flags.prec = prec;
    return { i: index.i + 1, afterIndex: false };
  }
  const { value, end } = parseNumber(state.format, index.i);
  flags.prec = value ?? 0;
  return { i: end, afterIndex: index.found };
}

/** Handles one `%…` directive starting after the '%'; returns the index after it, or -1 at NOVERB. */
function formatDirective(state: FormatState, start: number): number {
  const printer = state.printer;
  printer.flags = clearFlags();
  state.goodArgNum = true;
  let i = parseFlags(state, start);
  const index = state.argNumber(i);
  const width = parseWidth(state, index.i, index.found);
  const precision = parsePrecision(state, width.i, width.afterIndex);
  i = precision.i;
  if (!precision.afterIndex) i = state.argNumber(i).i;
  const verb = String.fromCodePoint(state.format.codePointAt(i) ?? 0);
  if (i >= state.format.length) {
    printer.buf += '%!(NOVERB)';
    return -1;
  }
  i += verb.length;
  if (verb === '%') printer.buf += '%';
  else if (!state.goodArgNum) printer.buf += `%!${verb}(BADINDEX)`;
  else if (state.argNum >= state.args.length) printer.buf += `%!${verb}(MISSING)`;
  else {
    if (verb === 'v') {
      printer.flags.sharpV = printer.flags.sharp;
      printer.flags.sharp = false;
      printer.flags.plusV = printer.flags.plus;
      printer.flags.plus = false;
    }
    printer.printArg(state.args[state.argNum]!, verb);
    state.argNum++;
  }
  return i;
}

/** fmt.Sprintf. @example sprintf('%.2f', [goFloat(3720.01)]) // "3720.01" */
export function sprintf(format: string, args: readonly GoValue[]): string {
  const state = new FormatState(format, args);
  const printer = state.printer;
  for (let i = 0; i < format.length;) {
    const percent = format.indexOf('%', i);
    const textEnd = percent < 0 ? format.length : percent;
    printer.buf += format.slice(i, textEnd);
    if (percent < 0) break;
    i = formatDirective(state, percent + 1);
    if (i < 0) break;
  }
  if (!state.reordered && state.argNum < args.length) {
    printer.flags = clearFlags();
    printer.buf += '%!(EXTRA ';
    args.slice(state.argNum).forEach((arg, i) => {
      if (i > 0) printer.buf += ', ';
      if (arg.kind === 'invalid') printer.buf += '<nil>';
      else {
        printer.buf += `${arg.type.name}=`;
        printer.printArg(arg, 'v');
      }
    });
    printer.buf += ')';
  }
  return printer.buf;
}
