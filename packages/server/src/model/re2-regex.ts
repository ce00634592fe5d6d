/**
 * Translates the RE2 syntax Prometheus regex matchers use into an equivalent JavaScript regex
 * source. Node 20's V8 lacks scoped flag groups, so `(?i)` and `(?i:…)` are expanded to case
 * classes (`a` → `[aA]`); RE2-only spellings (`(?P<name>`, `\z`, `[[:alpha:]]`, `\pL`) get their
 * JS equivalents. `.` matching newlines comes from the `s` flag (Prometheus wraps in `(?s:…)`).
 */
export function re2ToJs(pattern: string): string {
  return new Translator(pattern).translate();
}

/**
 * A Go regexp as the Collector's components use it (`regexp.MatchString`: unanchored, on runes), for
 * `test`/`exec` as written. Throws SyntaxError when the pattern is not valid.
 */
export function re2SearchRegExp(pattern: string): RegExp {
  return new RegExp(re2ToJs(pattern), 'u');
}

/** RE2's `[[:name:]]` classes as JS class contents. */
export const POSIX_CLASSES: Readonly<Record<string, string>> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

class Translator {
  private index = 0;
  private out = '';
  /** Case-insensitivity of each open group; the last entry is the current scope. */
  private readonly ignoreCase: boolean[] = [false];

  constructor(private readonly pattern: string) {}

  translate(): string {
    while (this.index < this.pattern.length) this.step();
    return this.out;
  }

  private get folding(): boolean {
    return this.ignoreCase[this.ignoreCase.length - 1] ?? false;
  }

  private step(): void {
    const rest = this.pattern.slice(this.index);
    const char = rest[0] ?? '';
    if (char === '\\') return this.escape(rest);
    if (char === '[') return this.characterClass();
    if (char === '(') return this.openGroup(rest);
    if (char === ')') {
      if (this.ignoreCase.length > 1) this.ignoreCase.pop();
      this.emit(')', 1);
      return;
    }
    this.emit(this.folding ? foldChar(char) : char, 1);
  }

  private emit(text: string, consumed: number): void {
    this.out += text;
    this.index += consumed;
  }

  private escape(rest: string): void {
    const next = rest[1] ?? '';
    if (next === 'z') return this.emit('$', 2);
    if (next === 'A') return this.emit('^', 2);
    if ((next === 'p' || next === 'P') && rest[2] !== '{') return this.emit(`\\${next}{${rest[2] ?? ''}}`, 3);
    this.emit(`\\${next}`, 2);
  }

  private openGroup(rest: string): void {
    const flags = /^\(\?([imsU-]+)(:|\))/.exec(rest);
    if (flags) {
      const on = (flags[1] ?? '').split('-')[0] ?? '';
      const fold = on.includes('i') ? true : (flags[1] ?? '').includes('-i') ? false : this.folding;
      if (flags[2] === ')') {
        // `(?i)` changes the rest of the current group.
        this.ignoreCase[this.ignoreCase.length - 1] = fold;
        this.index += flags[0].length;
        return;
      }
      this.ignoreCase.push(fold);
      return this.emit('(?:', flags[0].length);
    }
    this.ignoreCase.push(this.folding);
    if (rest.startsWith('(?P<')) return this.emit('(?<', 4);
    this.emit('(', 1);
  }

  private characterClass(): void {
    let end = this.index + 1;
    if (this.pattern[end] === '^') end++;
    if (this.pattern[end] === ']') end++;
    while (end < this.pattern.length && this.pattern[end] !== ']') {
      if (this.pattern[end] === '\\') end++;
      else if (this.pattern.startsWith('[:', end)) end = this.pattern.indexOf(':]', end) + 1;
      end++;
    }
    const body = this.pattern.slice(this.index + 1, end);
    let translated = body.replace(/\[:(\^?)(\w+):\]/g, (_, negated: string, name: string) =>
      negated ? '' : (POSIX_CLASSES[name] ?? ''),
    );
    if (this.folding) translated += foldClassBody(translated);
    this.emit(`[${translated}]`, end + 1 - this.index);
  }
}

function foldChar(char: string): string {
  const lower = char.toLowerCase();
  const upper = char.toUpperCase();
  return lower === upper ? char : `[${lower}${upper}]`;
}

/** The other-case counterparts of the letters and letter ranges in a class body. */
function foldClassBody(body: string): string {
  let extra = '';
  for (const [, from, to] of body.matchAll(/([A-Za-z])-([A-Za-z])/g)) {
    extra += `${swapCase(from ?? '')}-${swapCase(to ?? '')}`;
  }
  for (const letter of body
    .replace(/[A-Za-z]-[A-Za-z]/g, '')
    .replace(/\\./g, '')
    .match(/[A-Za-z]/g) ?? []) {
    extra += swapCase(letter);
  }
  return extra;
}

function swapCase(char: string): string {
  return char === char.toLowerCase() ? char.toUpperCase() : char.toLowerCase();
}
