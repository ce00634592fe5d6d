/**
 * The lexer of Go's text/template (text/template/parse/lex.go, Go 1.22+), state function by state
 * function, so that tokens, trim markers (`{{- ` / ` -}}`), comments and error texts match Go's.
 * Positions are UTF-16 indices into the template; error messages convert them to Go's byte columns.
 */

export type ItemType =
  | 'error'
  | 'bool'
  | 'char'
  | 'charConstant'
  | 'comment'
  | 'complex'
  | 'assign'
  | 'declare'
  | 'eof'
  | 'field'
  | 'identifier'
  | 'leftDelim'
  | 'leftParen'
  | 'number'
  | 'pipe'
  | 'rawString'
  | 'rightDelim'
  | 'rightParen'
  | 'space'
  | 'string'
  | 'text'
  | 'variable'
  // Keywords (Go's itemType > itemKeyword); '.' and nil are keywords too.
  | 'block'
  | 'break'
  | 'continue'
  | 'dot'
  | 'define'
  | 'else'
  | 'end'
  | 'if'
  | 'nil'
  | 'range'
  | 'template'
  | 'with';

export interface Item {
  readonly typ: ItemType;
  readonly pos: number;
  readonly val: string;
  readonly line: number;
}

export const KEYWORD_LOOKUP: ReadonlyMap<string, ItemType> = new Map<string, ItemType>([
  ['.', 'dot'],
  ['block', 'block'],
  ['break', 'break'],
  ['continue', 'continue'],
  ['define', 'define'],
  ['else', 'else'],
  ['end', 'end'],
  ['if', 'if'],
  ['range', 'range'],
  ['nil', 'nil'],
  ['template', 'template'],
  ['with', 'with'],
]);

const KEYWORD_TYPES = new Set(KEYWORD_LOOKUP.values());

export function isKeyword(typ: ItemType): boolean {
  return KEYWORD_TYPES.has(typ);
}

export const EOF = -1;
const LEFT_DELIM = '{{';
const RIGHT_DELIM = '}}';

export function isSpace(r: number): boolean {
  return r === 0x20 || r === 0x09 || r === 0x0d || r === 0x0a;
}

const LETTER_OR_DIGIT = /^[\p{L}\p{Nd}]$/u;

/** unicode.IsLetter, IsDigit or '_'. */
export function isAlphaNumeric(r: number): boolean {
  return r === 0x5f || (r >= 0 && LETTER_OR_DIGIT.test(String.fromCodePoint(r)));
}

function countNewlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

export function hasLeftTrimMarker(text: string, at: number): boolean {
  return text[at] === '-' && isSpace(text.charCodeAt(at + 1));
}

function hasRightTrimMarker(text: string, at: number): boolean {
  return isSpace(text.charCodeAt(at)) && text[at + 1] === '-';
}

function trimLeftLength(text: string, from: number): number {
  let i = from;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i - from;
}

export type StateFn = (l: Lexer) => StateFn | null;

/** Options the parser sets (Go's lexOptions). */
export interface LexOptions {
  breakOK: boolean;
  continueOK: boolean;
}

/** Lexer state; the state functions live in lex-states.ts. */
export class Lexer {
  pos = 0;
  start = 0;
  atEOF = false;
  parenDepth = 0;
  line = 1;
  startLine = 1;
  insideAction = false;
  item: Item;
  options: LexOptions = { breakOK: true, continueOK: true };

  constructor(
    public input: string,
    private readonly states: { text: StateFn; insideAction: StateFn },
  ) {
    this.item = { typ: 'eof', pos: 0, val: 'EOF', line: 1 };
  }

  readonly leftDelim = LEFT_DELIM;
  readonly rightDelim = RIGHT_DELIM;

  next(): number {
    if (this.pos >= this.input.length) {
      this.atEOF = true;
      return EOF;
    }
    const r = this.input.codePointAt(this.pos) ?? EOF;
    this.pos += r > 0xffff ? 2 : 1;
    if (r === 0x0a) this.line++;
    return r;
  }

  peek(): number {
    const r = this.next();
    this.backup();
    return r;
  }

  backup(): void {
    if (this.atEOF || this.pos <= 0) return;
    const low = this.input.charCodeAt(this.pos - 1);
    const isPair = low >= 0xdc00 && low <= 0xdfff && this.pos >= 2;
    this.pos -= isPair ? 2 : 1;
    if (low === 0x0a) this.line--;
  }

  thisItem(typ: ItemType): Item {
    const item: Item = {
      typ,
      pos: this.start,
      val: this.input.slice(this.start, this.pos),
      line: this.startLine,
    };
    this.start = this.pos;
    this.startLine = this.line;
    return item;
  }

  emit(typ: ItemType): StateFn | null {
    return this.emitItem(this.thisItem(typ));
  }

  emitItem(item: Item): StateFn | null {
    this.item = item;
    return null;
  }

  ignore(): void {
    this.line += countNewlines(this.input.slice(this.start, this.pos));
    this.start = this.pos;
    this.startLine = this.line;
  }

  accept(valid: string): boolean {
    const r = this.next();
    if (r !== EOF && valid.includes(String.fromCodePoint(r))) return true;
    this.backup();
    return false;
  }

  acceptRun(valid: string): void {
    while (this.accept(valid));
  }

  errorf(message: string): StateFn | null {
    this.item = { typ: 'error', pos: this.start, val: message, line: this.startLine };
    this.start = 0;
    this.pos = 0;
    this.input = '';
    return null;
  }

  nextItem(): Item {
    this.item = { typ: 'eof', pos: this.pos, val: 'EOF', line: this.startLine };
    let state: StateFn | null = this.insideAction ? this.states.insideAction : this.states.text;
    while (state !== null) state = state(this);
    return this.item;
  }

  /** Whether a right delimiter (possibly with a trim marker) starts here. */
  atRightDelim(): { delim: boolean; trimSpaces: boolean } {
    if (hasRightTrimMarker(this.input, this.pos) && this.input.startsWith(this.rightDelim, this.pos + 2)) {
      return { delim: true, trimSpaces: true };
    }
    return { delim: this.input.startsWith(this.rightDelim, this.pos), trimSpaces: false };
  }

  /** Whether the next rune may end an identifier, field or variable. */
  atTerminator(): boolean {
    const r = this.peek();
    if (isSpace(r)) return true;
    if (r === EOF || '.,|:)('.includes(String.fromCodePoint(r))) return true;
    return this.input.startsWith(this.rightDelim, this.pos);
  }

  countNewlinesIn(from: number, to: number): number {
    return countNewlines(this.input.slice(from, to));
  }

  trimLeftLength(from: number): number {
    return trimLeftLength(this.input, from);
  }
}
