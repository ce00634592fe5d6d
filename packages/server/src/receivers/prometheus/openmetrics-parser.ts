/**
 * OpenMetrics 1.0 text format, matching Prometheus model/textparse/openmetricsparse.go: single
 * spaces between tokens, `# EOF` required and last, timestamps in (fractional) seconds, exemplars
 * after ` # `. With `strict` the spec's validity rules (families, grouping, histogram buckets…)
 * are checked too, as the OpenMetrics reference parser does; Prometheus itself does not check
 * them, so scraping leaves them off.
 */
import type { ExposedExemplar, ExposedFamily, ExposedMetricType, ExposedSample, ParsedExposition } from './exposition.ts';
import { ExpositionParseError } from './exposition.ts';
import { readLabelSet } from './exposition-labels.ts';
import {
  CH_BRACE_OPEN,
  CH_HASH,
  CH_QUOTE,
  CH_SPACE,
  codePointLength,
  parseFloatToken,
  readQuoted,
  scanName,
  unescapeHelp,
} from './exposition-lexer.ts';
import { OpenMetricsValidator } from './openmetrics-validator.ts';

/** Options for {@link parseOpenMetrics}. */
export interface OpenMetricsOptions {
  /** Check the OpenMetrics 1.0 validity rules beyond syntax (default false, like Prometheus). */
  strict?: boolean;
}

const OPENMETRICS_TYPES: ReadonlySet<string> = new Set([
  'counter', 'gauge', 'histogram', 'gaugehistogram', 'summary', 'info', 'stateset', 'unknown',
]);
/** OpenMetrics 1.0 §Exemplars: the label set's names and values together at most 128 UTF-8 characters. */
const EXEMPLAR_LABELS_MAX_CHARS = 128;

class OpenMetricsParser {
  private readonly samples: ExposedSample[] = [];
  private readonly families = new Map<string, ExposedFamily>();
  private readonly validator: OpenMetricsValidator | undefined;
  private lineNumber = 0;

  constructor(
    private readonly src: string,
    private readonly strict: boolean,
  ) {
    this.validator = strict ? new OpenMetricsValidator() : undefined;
  }

  parse(): ParsedExposition {
    const src = this.src;
    let lineStart = 0;
    let sawEof = false;
    while (lineStart < src.length) {
      this.lineNumber++;
      if (sawEof) this.fail('unexpected data after "# EOF"');
      let lineEnd = src.indexOf('\n', lineStart);
      if (lineEnd < 0) lineEnd = src.length;
      if (lineEnd === lineStart) this.fail('unexpected blank line');
      if (src.charCodeAt(lineStart) !== CH_HASH) this.parseSample(lineStart, lineEnd);
      else if (lineEnd - lineStart === 5 && src.startsWith('# EOF', lineStart)) sawEof = true;
      else this.parseMetadata(lineStart, lineEnd);
      lineStart = lineEnd + 1;
    }
    if (!sawEof) throw new ExpositionParseError(Math.max(this.lineNumber, 1), 'expected "# EOF" at the end');
    this.validator?.end(this.lineNumber);
    return { samples: this.samples, families: [...this.families.values()] };
  }

  private fail(message: string): never {
    throw new ExpositionParseError(this.lineNumber, message);
  }

  /** `# HELP|TYPE|UNIT name text`: exactly one space between the parts (openmetricslex.l). */
  private parseMetadata(lineStart: number, lineEnd: number): void {
    const keyword = this.src.slice(lineStart + 2, lineStart + 6);
    const isKeyword = keyword === 'HELP' || keyword === 'TYPE' || keyword === 'UNIT';
    if (this.src.charCodeAt(lineStart + 1) !== CH_SPACE || !isKeyword || this.src.charCodeAt(lineStart + 6) !== CH_SPACE) {
      this.fail('expected "# HELP", "# TYPE", "# UNIT" or "# EOF"');
    }
    const { name, endIndex } = this.readMetadataName(lineStart + 7, lineEnd, keyword);
    if (this.src.charCodeAt(endIndex) !== CH_SPACE || endIndex >= lineEnd) this.fail(`expected " " after metric name in ${keyword}`);
    const text = this.src.slice(endIndex + 1, lineEnd);
    const family = this.family(name);
    if (keyword === 'HELP') {
      family.help = unescapeHelp(text, true);
    } else if (keyword === 'TYPE') {
      if (!OPENMETRICS_TYPES.has(text)) this.fail('expected an OpenMetrics metric type');
      family.type = text as ExposedMetricType;
    } else {
      // openmetricsparse.go: a non-empty unit must be the name's `_unit` suffix.
      if (text !== '' && !name.endsWith(`_${text}`)) this.fail('unit is not a suffix of the metric name');
      family.unit = text;
    }
    this.validator?.metadata(keyword, name, text, this.lineNumber);
  }

  private readMetadataName(start: number, lineEnd: number, keyword: string): { name: string; endIndex: number } {
    if (this.src.charCodeAt(start) === CH_QUOTE) {
      const quoted = readQuoted(this.src, start, lineEnd, this.lineNumber);
      return { name: quoted.value, endIndex: quoted.endIndex };
    }
    const nameEnd = scanName(this.src, start, lineEnd, true);
    if (nameEnd === start) this.fail(`expected metric name after ${keyword}`);
    return { name: this.src.slice(start, nameEnd), endIndex: nameEnd };
  }

  private family(name: string): ExposedFamily {
    let family = this.families.get(name);
    if (family === undefined) {
      family = { name, type: 'unknown', help: '', unit: '' };
      this.families.set(name, family);
    }
    return family;
  }

  private parseSample(lineStart: number, lineEnd: number): void {
    const labels = new Map<string, string>();
    let i = scanName(this.src, lineStart, lineEnd, true);
    let name = i > lineStart ? this.src.slice(lineStart, i) : undefined;
    if (name === undefined && this.src.charCodeAt(lineStart) !== CH_BRACE_OPEN) this.fail('expected metric name');
    if (this.src.charCodeAt(i) === CH_BRACE_OPEN) {
      const options = { skipBlanks: false, allowTrailingComma: !this.strict, allowMetricName: true };
      const result = readLabelSet(this.src, i, lineEnd, this.lineNumber, labels, options);
      if (result.metricName !== undefined && name !== undefined) this.fail('metric name given twice');
      name ??= result.metricName;
      i = result.endIndex;
    }
    if (name === undefined) this.fail('metric name not set');
    labels.set('__name__', name);
    const sample = this.parseSampleTail(i, lineEnd, labels);
    this.samples.push(sample.sample);
    this.validator?.sample(name, sample.sample, sample.timestampSeconds, this.lineNumber);
  }

  /** ` value[ timestamp][ # {labels} value[ timestamp]]` up to the line end. */
  private parseSampleTail(start: number, lineEnd: number, labels: Map<string, string>): { sample: ExposedSample; timestampSeconds: number | undefined } {
    if (this.src.charCodeAt(start) !== CH_SPACE) this.fail('expected " " before sample value');
    const valueEnd = this.tokenEnd(start + 1, lineEnd);
    const value = parseFloatToken(this.src.slice(start + 1, valueEnd));
    if (value === undefined) this.fail('expected sample value');
    const sample: ExposedSample = { labels, value };
    let i = valueEnd + 1;
    if (valueEnd === lineEnd) return { sample, timestampSeconds: undefined };
    let timestampSeconds: number | undefined;
    if (this.src.charCodeAt(i) !== CH_HASH) {
      const timestampEnd = this.tokenEnd(i, lineEnd);
      timestampSeconds = this.parseTimestampSeconds(i, timestampEnd);
      sample.timestampMs = Math.trunc(timestampSeconds * 1000);
      if (timestampEnd === lineEnd) return { sample, timestampSeconds };
      i = timestampEnd + 1;
    }
    sample.exemplar = this.parseExemplar(i, lineEnd);
    return { sample, timestampSeconds };
  }

  /** `# {labels} value[ timestamp]`: exemplar syntax from OpenMetrics 1.0 §Exemplars. */
  private parseExemplar(start: number, lineEnd: number): ExposedExemplar {
    const src = this.src;
    if (src.charCodeAt(start) !== CH_HASH || src.charCodeAt(start + 1) !== CH_SPACE || src.charCodeAt(start + 2) !== CH_BRACE_OPEN) {
      this.fail('expected "# {" to start an exemplar');
    }
    const labels = new Map<string, string>();
    const options = { skipBlanks: false, allowTrailingComma: !this.strict, allowMetricName: false };
    const { endIndex } = readLabelSet(src, start + 2, lineEnd, this.lineNumber, labels, options);
    let labelChars = 0;
    for (const [labelName, labelValue] of labels) labelChars += codePointLength(labelName) + codePointLength(labelValue);
    if (labelChars > EXEMPLAR_LABELS_MAX_CHARS) this.fail('exemplar labels longer than 128 characters');
    if (src.charCodeAt(endIndex) !== CH_SPACE) this.fail('expected " " before exemplar value');
    const valueEnd = this.tokenEnd(endIndex + 1, lineEnd);
    const value = parseFloatToken(src.slice(endIndex + 1, valueEnd));
    if (value === undefined) this.fail('expected exemplar value');
    if (valueEnd === lineEnd) return { labels, value };
    const timestampEnd = this.tokenEnd(valueEnd + 1, lineEnd);
    const timestampMs = Math.trunc(this.parseTimestampSeconds(valueEnd + 1, timestampEnd) * 1000);
    if (timestampEnd !== lineEnd) this.fail('expected end of line after exemplar timestamp');
    return { labels, value, timestampMs };
  }

  private parseTimestampSeconds(start: number, end: number): number {
    const seconds = parseFloatToken(this.src.slice(start, end));
    if (seconds === undefined || !Number.isFinite(seconds)) this.fail('expected finite timestamp in seconds');
    return seconds;
  }

  private tokenEnd(start: number, lineEnd: number): number {
    let i = start;
    while (i < lineEnd && this.src.charCodeAt(i) !== CH_SPACE) i++;
    return i;
  }
}

/**
 * Parses an OpenMetrics 1.0 text exposition. Sample names keep their suffixes (`_total`,
 * `_created`, `_bucket`…); timestamps and exemplar timestamps become milliseconds.
 *
 * @throws {ExpositionParseError} on the first malformed (or, with `strict`, invalid) line.
 * @example
 * const { samples } = parseOpenMetrics('# TYPE jobs counter\njobs_total 3 # {trace_id="ab"} 1 1.5\n# EOF\n');
 * samples[0]?.exemplar?.timestampMs; // 1500
 */
export function parseOpenMetrics(body: string, options: OpenMetricsOptions = {}): ParsedExposition {
  return new OpenMetricsParser(body, options.strict ?? false).parse();
}
