import { goQuote, isPrint } from '../go/go-strconv.ts';
import {
  EOF,
  hasLeftTrimMarker,
  isAlphaNumeric,
  isSpace,
  KEYWORD_LOOKUP,
  Lexer,
  type StateFn,
} from './lex.ts';

/** The state functions of Go's text/template lexer (lex.go), in the same order. */

/** fmt's %#U: "U+0041 'A'", or just "U+00A0" for non-printable runes. */
function sharpU(r: number): string {
  const code = `U+${r.toString(16).toUpperCase().padStart(4, '0')}`;
  return isPrint(r) ? `${code} '${String.fromCodePoint(r)}'` : code;
}

function lexText(l: Lexer): StateFn | null {
  const x = l.input.indexOf(l.leftDelim, l.pos);
  if (x >= 0) {
    if (x > l.pos) {
      l.pos = x;
      let trimLength = 0;
      if (hasLeftTrimMarker(l.input, x + l.leftDelim.length)) {
        const text = l.input.slice(l.start, l.pos);
        trimLength = text.length - text.replace(/[ \t\r\n]+$/, '').length;
      }
      l.pos -= trimLength;
      l.line += l.countNewlinesIn(l.start, l.pos);
      const item = l.thisItem('text');
      l.pos += trimLength;
      l.ignore();
      if (item.val.length > 0) return l.emitItem(item);
    }
    return lexLeftDelim;
  }
  l.pos = l.input.length;
  if (l.pos > l.start) {
    l.line += l.countNewlinesIn(l.start, l.pos);
    return l.emit('text');
  }
  return l.emit('eof');
}

function lexLeftDelim(l: Lexer): StateFn | null {
  l.pos += l.leftDelim.length;
  const afterMarker = hasLeftTrimMarker(l.input, l.pos) ? 2 : 0;
  if (l.input.startsWith('/*', l.pos + afterMarker)) {
    l.pos += afterMarker;
    l.ignore();
    return lexComment;
  }
  const item = l.thisItem('leftDelim');
  l.insideAction = true;
  l.pos += afterMarker;
  l.ignore();
  l.parenDepth = 0;
  return l.emitItem(item);
}

function lexComment(l: Lexer): StateFn | null {
  l.pos += 2;
  const x = l.input.indexOf('*/', l.pos);
  if (x < 0) return l.errorf('unclosed comment');
  l.pos = x + 2;
  const { delim, trimSpaces } = l.atRightDelim();
  if (!delim) return l.errorf('comment ends before closing delimiter');
  l.line += l.countNewlinesIn(l.start, l.pos);
  l.thisItem('comment');
  if (trimSpaces) l.pos += 2;
  l.pos += l.rightDelim.length;
  if (trimSpaces) l.pos += l.trimLeftLength(l.pos);
  l.ignore();
  return lexText;
}

function lexRightDelim(l: Lexer): StateFn | null {
  const { trimSpaces } = l.atRightDelim();
  if (trimSpaces) {
    l.pos += 2;
    l.ignore();
  }
  l.pos += l.rightDelim.length;
  const item = l.thisItem('rightDelim');
  if (trimSpaces) {
    l.pos += l.trimLeftLength(l.pos);
    l.ignore();
  }
  l.insideAction = false;
  return l.emitItem(item);
}

const SINGLE_CHAR_ITEMS: Readonly<Record<string, 'assign' | 'pipe'>> = { '=': 'assign', '|': 'pipe' };

function lexInsideAction(l: Lexer): StateFn | null {
  if (l.atRightDelim().delim) return l.parenDepth === 0 ? lexRightDelim : l.errorf('unclosed left paren');
  const r = l.next();
  const char = r === EOF ? '' : String.fromCodePoint(r);
  if (r === EOF) return l.errorf('unclosed action');
  if (isSpace(r)) {
    l.backup(); // Put space back in case we have " -}}".
    return lexSpace;
  }
  const single = SINGLE_CHAR_ITEMS[char];
  if (single !== undefined) return l.emit(single);
  if (char === ':') return l.next() === 0x3d ? l.emit('declare') : l.errorf('expected :=');
  if (char === '"') return lexQuote;
  if (char === '`') return lexRawQuote;
  if (char === '$') return lexVariable;
  if (char === "'") return lexChar;
  if (char === '.' && l.pos < l.input.length && !/[0-9]/.test(l.input[l.pos] ?? '')) return lexField;
  if (char === '.' || char === '+' || char === '-' || /[0-9]/.test(char)) {
    l.backup();
    return lexNumber;
  }
  if (isAlphaNumeric(r)) {
    l.backup();
    return lexIdentifier;
  }
  return lexPunctuation(l, r, char);
}

function lexPunctuation(l: Lexer, r: number, char: string): StateFn | null {
  if (char === '(') {
    l.parenDepth++;
    return l.emit('leftParen');
  }
  if (char === ')') {
    l.parenDepth--;
    return l.parenDepth < 0 ? l.errorf('unexpected right paren') : l.emit('rightParen');
  }
  if (r < 0x80 && isPrint(r)) return l.emit('char');
  return l.errorf(`unrecognized character in action: ${sharpU(r)}`);
}

function lexSpace(l: Lexer): StateFn | null {
  let numSpaces = 0;
  while (isSpace(l.peek())) {
    l.next();
    numSpaces++;
  }
  // A trim-marked right delimiter starts with a space: leave it for lexRightDelim.
  if (l.input[l.pos] === '-' && l.input.startsWith(l.rightDelim, l.pos + 1)) {
    l.backup();
    if (numSpaces === 1) return lexRightDelim;
  }
  return l.emit('space');
}

function lexIdentifier(l: Lexer): StateFn | null {
  for (;;) {
    const r = l.next();
    if (isAlphaNumeric(r)) continue;
    l.backup();
    const word = l.input.slice(l.start, l.pos);
    if (!l.atTerminator()) return l.errorf(`bad character ${sharpU(r)}`);
    const keyword = KEYWORD_LOOKUP.get(word);
    if (keyword !== undefined) {
      const disabled =
        (keyword === 'break' && !l.options.breakOK) || (keyword === 'continue' && !l.options.continueOK);
      return l.emit(disabled ? 'identifier' : keyword);
    }
    if (word === 'true' || word === 'false') return l.emit('bool');
    return l.emit('identifier');
  }
}

function lexField(l: Lexer): StateFn | null {
  return lexFieldOrVariable(l, 'field');
}

function lexVariable(l: Lexer): StateFn | null {
  if (l.atTerminator()) return l.emit('variable');
  return lexFieldOrVariable(l, 'variable');
}

function lexFieldOrVariable(l: Lexer, typ: 'field' | 'variable'): StateFn | null {
  if (l.atTerminator()) return l.emit(typ === 'variable' ? 'variable' : 'dot');
  let r: number;
  for (;;) {
    r = l.next();
    if (!isAlphaNumeric(r)) {
      l.backup();
      break;
    }
  }
  if (!l.atTerminator()) return l.errorf(`bad character ${sharpU(r)}`);
  return l.emit(typ);
}

/** Scans a quoted literal ending at `quote`; backslash escapes may not hide a newline. */
function lexQuoted(l: Lexer, quote: number, typ: 'string' | 'charConstant', error: string): StateFn | null {
  for (;;) {
    let r = l.next();
    if (r === 0x5c) {
      r = l.next();
      if (r !== EOF && r !== 0x0a) continue;
    }
    if (r === EOF || r === 0x0a) return l.errorf(error);
    if (r === quote) return l.emit(typ);
  }
}

function lexChar(l: Lexer): StateFn | null {
  return lexQuoted(l, 0x27, 'charConstant', 'unterminated character constant');
}

function lexQuote(l: Lexer): StateFn | null {
  return lexQuoted(l, 0x22, 'string', 'unterminated quoted string');
}

function lexRawQuote(l: Lexer): StateFn | null {
  for (;;) {
    const r = l.next();
    if (r === EOF) return l.errorf('unterminated raw quoted string');
    if (r === 0x60) return l.emit('rawString');
  }
}

function lexNumber(l: Lexer): StateFn | null {
  if (!scanNumber(l)) return l.errorf(`bad number syntax: ${goQuote(l.input.slice(l.start, l.pos))}`);
  const sign = l.peek();
  if (sign === 0x2b || sign === 0x2d) {
    // Complex: 1+2i. No spaces, must end in 'i'.
    if (!scanNumber(l) || l.input[l.pos - 1] !== 'i') {
      return l.errorf(`bad number syntax: ${goQuote(l.input.slice(l.start, l.pos))}`);
    }
    return l.emit('complex');
  }
  return l.emit('number');
}

function scanNumber(l: Lexer): boolean {
  l.accept('+-');
  let digits = '0123456789_';
  if (l.accept('0')) {
    if (l.accept('xX')) digits = '0123456789abcdefABCDEF_';
    else if (l.accept('oO')) digits = '01234567_';
    else if (l.accept('bB')) digits = '01_';
  }
  l.acceptRun(digits);
  if (l.accept('.')) l.acceptRun(digits);
  if (digits.length === 11 && l.accept('eE')) {
    l.accept('+-');
    l.acceptRun('0123456789_');
  }
  if (digits.length === 23 && l.accept('pP')) {
    l.accept('+-');
    l.acceptRun('0123456789_');
  }
  l.accept('i');
  if (isAlphaNumeric(l.peek())) {
    l.next();
    return false;
  }
  return true;
}

/** A lexer over `input` (Go's lex()). */
export function newLexer(input: string): Lexer {
  return new Lexer(input, { text: lexText, insideAction: lexInsideAction });
}
