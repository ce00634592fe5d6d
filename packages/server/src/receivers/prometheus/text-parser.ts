/**
 * Prometheus text exposition format 0.0.4 (and 1.0.0, which adds UTF-8 quoted names), matching
 * model/textparse/promparse.go: one pass over the body, blanks and tabs allowed between tokens,
 * `#` lines other than HELP/TYPE are comments, timestamps are integer milliseconds.
 */
import type { ExposedFamily, ExposedMetricType, ExposedSample, ParsedExposition } from './exposition.ts';
import { ExpositionParseError } from './exposition.ts';
import { readLabelSet } from './exposition-labels.ts';
import type { LabelSetOptions } from './exposition-labels.ts';
import {
  CH_BRACE_OPEN,
  CH_HASH,
  CH_NEWLINE,
  CH_QUOTE,
  CH_SPACE,
  CH_TAB,
  parseFloatToken,
  parseIntegerToken,
  readQuoted,
  scanName,
  unescapeHelp,
} from './exposition-lexer.ts';

const TEXT_TYPES: ReadonlySet<string> = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const LABEL_OPTIONS: LabelSetOptions = { skipBlanks: true, allowTrailingComma: true, allowMetricName: true };

function isBlank(c: number): boolean {
  return c === CH_SPACE || c === CH_TAB;
}

class TextParser {
  private readonly samples: ExposedSample[] = [];
  private readonly families = new Map<string, ExposedFamily>();
  private lineNumber = 0;

  constructor(private readonly src: string) {}

  parse(): ParsedExposition {
    const src = this.src;
    let lineStart = 0;
    while (lineStart < src.length) {
      this.lineNumber++;
      let lineEnd = src.indexOf('\n', lineStart);
      if (lineEnd < 0) lineEnd = src.length;
      this.parseLine(this.skipBlanks(lineStart, lineEnd), lineEnd);
      lineStart = lineEnd + 1;
    }
    return { samples: this.samples, families: [...this.families.values()] };
  }

  private fail(message: string): never {
    throw new ExpositionParseError(this.lineNumber, message);
  }

  private skipBlanks(i: number, lineEnd: number): number {
    while (i < lineEnd && isBlank(this.src.charCodeAt(i))) i++;
    return i;
  }

  private parseLine(start: number, lineEnd: number): void {
    if (start === lineEnd) return;
    const c = this.src.charCodeAt(start);
    if (c === CH_HASH) this.parseComment(start + 1, lineEnd);
    else this.parseSample(start, lineEnd);
  }

  /** `# HELP name text` / `# TYPE name type`; any other `#` line is a comment (promlex.l consumeComment). */
  private parseComment(afterHash: number, lineEnd: number): void {
    const keywordStart = this.skipBlanks(afterHash, lineEnd);
    if (keywordStart === afterHash) return;
    const keyword = this.src.slice(keywordStart, keywordStart + 4);
    if ((keyword !== 'HELP' && keyword !== 'TYPE') || !isBlank(this.src.charCodeAt(keywordStart + 4))) return;
    let i = this.skipBlanks(keywordStart + 4, lineEnd);
    let name: string;
    if (this.src.charCodeAt(i) === CH_QUOTE) {
      const quoted = readQuoted(this.src, i, lineEnd, this.lineNumber);
      name = quoted.value;
      i = quoted.endIndex;
    } else {
      const nameEnd = scanName(this.src, i, lineEnd, true);
      if (nameEnd === i) this.fail(`expected metric name after ${keyword}`);
      name = this.src.slice(i, nameEnd);
      i = nameEnd;
    }
    if (i < lineEnd && !isBlank(this.src.charCodeAt(i))) this.fail(`expected blank after metric name in ${keyword}`);
    const text = this.src.slice(this.skipBlanks(i, lineEnd), lineEnd);
    const family = this.family(name);
    if (keyword === 'HELP') {
      family.help = unescapeHelp(text, false);
      return;
    }
    const type = text.trimEnd();
    if (!TEXT_TYPES.has(type)) this.fail('expected metric type counter, gauge, histogram, summary or untyped');
    family.type = type as ExposedMetricType;
  }

  private family(name: string): ExposedFamily {
    let family = this.families.get(name);
    if (family === undefined) {
      family = { name, type: 'untyped', help: '', unit: '' };
      this.families.set(name, family);
    }
    return family;
  }

  private parseSample(start: number, lineEnd: number): void {
    const labels = new Map<string, string>();
    let name: string | undefined;
    let i = scanName(this.src, start, lineEnd, true);
    if (i > start) {
      name = this.src.slice(start, i);
      i = this.skipBlanks(i, lineEnd);
    } else if (this.src.charCodeAt(start) !== CH_BRACE_OPEN) {
      this.fail('expected metric name or "{"');
    }
    if (this.src.charCodeAt(i) === CH_BRACE_OPEN) {
      const result = readLabelSet(this.src, i, lineEnd, this.lineNumber, labels, LABEL_OPTIONS);
      if (result.metricName !== undefined && name !== undefined) this.fail('metric name given twice');
      name ??= result.metricName;
      i = this.skipBlanks(result.endIndex, lineEnd);
    }
    if (name === undefined) this.fail('metric name not set');
    labels.set('__name__', name);
    this.samples.push(this.parseValueAndTimestamp(i, lineEnd, labels));
  }

  /** `value [timestampMs]` then the line end; the value token is `[^{ \t\n]+` as in promlex.l. */
  private parseValueAndTimestamp(start: number, lineEnd: number, labels: Map<string, string>): ExposedSample {
    const valueEnd = this.tokenEnd(start, lineEnd);
    const value = parseFloatToken(this.src.slice(start, valueEnd));
    if (value === undefined) this.fail('expected sample value');
    const timestampStart = this.skipBlanks(valueEnd, lineEnd);
    if (timestampStart === lineEnd) return { labels, value };
    const timestampEnd = this.tokenEnd(timestampStart, lineEnd);
    const timestampMs = parseIntegerToken(this.src.slice(timestampStart, timestampEnd));
    if (timestampMs === undefined) this.fail('expected integer timestamp in milliseconds');
    if (this.skipBlanks(timestampEnd, lineEnd) !== lineEnd) this.fail('expected end of line after timestamp');
    return { labels, value, timestampMs };
  }

  private tokenEnd(start: number, lineEnd: number): number {
    let i = start;
    while (i < lineEnd) {
      const c = this.src.charCodeAt(i);
      if (isBlank(c) || c === CH_BRACE_OPEN || c === CH_NEWLINE) break;
      i++;
    }
    return i;
  }
}

/**
 * Parses a Prometheus text-format (0.0.4) exposition. Histograms and summaries come out as their
 * plain `_bucket`/`_sum`/`_count`/quantile series.
 *
 * @throws {ExpositionParseError} on the first malformed line.
 * @example
 * const { samples } = parseTextFormat('# TYPE up gauge\nup{job="node"} 1 1700000000000\n');
 * samples[0]?.timestampMs; // 1700000000000
 */
export function parseTextFormat(body: string): ParsedExposition {
  return new TextParser(body).parse();
}
