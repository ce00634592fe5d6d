import { LokiDecodeError, type LokiLabelPairs } from './push-request.ts';
import { SIMPLE_ESCAPES } from '../../model/go-unquote.ts';
import { isLegacyLabelName } from '../../model/prom-names.ts';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;

/**
 * Parses a protobuf stream's label text, a LogQL stream selector of equality matchers such as
 * `{job="api", level="info"}`, as Loki's distributor does with syntax.ParseLabels: names are
 * Prometheus label names, values Go string literals ("double quoted" with escapes, or `raw`).
 * A stream needs at least one label and no name twice (Loki's validator: "error at least one label
 * pair is required per stream", "duplicate label name"). Errors give the offset, never the text.
 *
 * @example
 * parseStreamLabels('{job="api", level="info"}'); // [['job', 'api'], ['level', 'info']]
 */
export function parseStreamLabels(text: string): LokiLabelPairs {
  const scanner = new SelectorScanner(text);
  scanner.skipSpace();
  scanner.expect('{');
  const pairs: [string, string][] = [];
  scanner.skipSpace();
  while (!scanner.eat('}')) {
    if (pairs.length > 0) {
      scanner.expect(',');
      scanner.skipSpace();
    }
    const name = scanner.labelName();
    scanner.skipSpace();
    scanner.expect('=');
    scanner.skipSpace();
    pairs.push([name, scanner.stringLiteral()]);
    scanner.skipSpace();
  }
  scanner.skipSpace();
  if (!scanner.atEnd()) throw scanner.error('unexpected text after "}"');
  return checkLabelPairs(pairs, 'stream labels');
}

/** Refuses an empty label set, empty names and repeated names (Loki's stream validation). */
export function checkLabelPairs(pairs: LokiLabelPairs, where: string): LokiLabelPairs {
  if (pairs.length === 0)
    throw new LokiDecodeError(`${where}: at least one label pair is required per stream`);
  const seen = new Set<string>();
  for (const [name] of pairs) {
    if (!isLegacyLabelName(name)) throw new LokiDecodeError(`${where}: invalid label name`);
    if (seen.has(name)) throw new LokiDecodeError(`${where}: duplicate label name`);
    seen.add(name);
  }
  return pairs;
}

class SelectorScanner {
  private pos = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  skipSpace(): void {
    while (/\s/.test(this.text[this.pos] ?? '')) this.pos++;
  }

  eat(char: string): boolean {
    if (this.text[this.pos] !== char) return false;
    this.pos++;
    return true;
  }

  expect(char: string): void {
    if (!this.eat(char)) throw this.error(`expected "${char}"`);
  }

  labelName(): string {
    const match = LABEL_NAME.exec(this.text.slice(this.pos));
    if (match === null) throw this.error('expected a label name');
    this.pos += match[0].length;
    return match[0];
  }

  /** A Go string literal (LogQL's lexer unquotes values with strconv.Unquote). */
  stringLiteral(): string {
    if (this.eat('`')) {
      const end = this.text.indexOf('`', this.pos);
      if (end < 0) throw this.error('unterminated raw string');
      const value = this.text.slice(this.pos, end);
      this.pos = end + 1;
      return value;
    }
    if (!this.eat('"')) throw this.error('expected a quoted label value');
    let value = '';
    for (;;) {
      const char = this.text[this.pos++];
      if (char === undefined || char === '\n') throw this.error('unterminated string');
      if (char === '"') return value;
      value += char === '\\' ? this.escape() : char;
    }
  }

  private escape(): string {
    const char = this.text[this.pos++] ?? '';
    const simple = SIMPLE_ESCAPES[char];
    if (simple !== undefined) return simple;
    const hexDigits = char === 'x' ? 2 : char === 'u' ? 4 : char === 'U' ? 8 : 0;
    if (hexDigits === 0) throw this.error('invalid escape in label value');
    const hex = this.text.slice(this.pos, this.pos + hexDigits);
    if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== hexDigits)
      throw this.error('invalid escape in label value');
    this.pos += hexDigits;
    const code = Number.parseInt(hex, 16);
    if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
      throw this.error('invalid escape in label value');
    // \xHH is a byte in Go; for the ASCII range that is the same character, and above it Go would
    // produce a raw byte that is not valid UTF-8 on its own, which a label value cannot hold anyway.
    if (char === 'x' && code > 0x7f) throw this.error('non-ASCII \\x escape in label value');
    return String.fromCodePoint(code);
  }

  error(what: string): LokiDecodeError {
    return new LokiDecodeError(`stream labels: ${what} at offset ${this.pos}`);
  }
}
