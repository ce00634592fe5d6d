/**
 * Upstream conformance data (../shared/conformance, see its README): the OpenMetrics parser
 * suite, Prometheus's textparse scrape bodies, prometheus/common's text sample and fuzz corpus.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ExpositionParseError } from './exposition.ts';
import { parseOpenMetrics } from './openmetrics-parser.ts';
import { parseTextFormat } from './text-parser.ts';

const CONFORMANCE_DIR = fileURLToPath(new URL('../../../../../../shared/conformance/', import.meta.url));
const OPENMETRICS_CASES_DIR = join(CONFORMANCE_DIR, 'openmetrics/parsers');
const EXPFMT_DIR = join(CONFORMANCE_DIR, 'expfmt');

/**
 * The one list of OpenMetrics parser cases we knowingly get wrong, each with its reason. Empty:
 * all 211 pass in strict mode.
 */
const OPENMETRICS_KNOWN_FAILURES: ReadonlyMap<string, string> = new Map();

/**
 * textparse bodies that are valid for Prometheus (which does not check OpenMetrics validity rules)
 * but break an OpenMetrics 1.0 "MUST": they parse in the default mode, and strict mode must reject them.
 */
const STRICT_OPENMETRICS_REJECTS: ReadonlyMap<string, string> = new Map([
  ['alltypes.5mfs.om.txt', 'histogram with negative buckets has a negative _sum; the spec forbids _sum then'],
]);

interface OpenMetricsCase {
  shouldParse: boolean;
}

function isOpenMetricsCase(value: unknown): value is OpenMetricsCase {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { shouldParse?: unknown }).shouldParse === 'boolean'
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : typeof error;
}

function parseError(parse: () => unknown): unknown {
  try {
    parse();
    return undefined;
  } catch (error) {
    return error;
  }
}

test('OpenMetrics parser suite: accepts exactly the shouldParse cases (strict mode)', () => {
  const cases = readdirSync(OPENMETRICS_CASES_DIR).sort();
  const unexpected: string[] = [];
  let passed = 0;
  for (const name of cases) {
    const spec: unknown = JSON.parse(readFileSync(join(OPENMETRICS_CASES_DIR, name, 'test.json'), 'utf8'));
    assert.ok(isOpenMetricsCase(spec), `${name}: test.json without shouldParse`);
    const body = readFileSync(join(OPENMETRICS_CASES_DIR, name, 'metrics'), 'utf8');
    const error = parseError(() => parseOpenMetrics(body, { strict: true }));
    if (error !== undefined && !(error instanceof ExpositionParseError))
      assert.fail(`${name}: unexpected ${describe(error)}`);
    const pass = (error === undefined) === spec.shouldParse;
    if (pass) passed++;
    if (pass === OPENMETRICS_KNOWN_FAILURES.has(name))
      unexpected.push(
        `${name} (shouldParse ${spec.shouldParse}${error === undefined ? '' : `, ${describe(error)}`})`,
      );
  }
  console.log(`openmetrics parsers: ${passed}/${cases.length} pass`);
  assert.equal(cases.length, 211);
  assert.deepEqual(unexpected, [], 'cases that differ from the known-failures list');
});

test('textparse scrape bodies all parse with the parser their name says', () => {
  const dir = join(EXPFMT_DIR, 'textparse');
  const counts: string[] = [];
  for (const file of readdirSync(dir).sort()) {
    const body = readFileSync(join(dir, file), 'utf8');
    const isOpenMetrics = file.endsWith('.om.txt');
    const parsed = isOpenMetrics ? parseOpenMetrics(body) : parseTextFormat(body);
    assert.ok(parsed.samples.length > 0, file);
    counts.push(`${file}: ${parsed.samples.length} samples, ${parsed.families.length} families`);
    if (!isOpenMetrics) continue;
    const strictError = parseError(() => parseOpenMetrics(body, { strict: true }));
    assert.equal(
      strictError instanceof ExpositionParseError,
      STRICT_OPENMETRICS_REJECTS.has(file),
      `${file} in strict mode`,
    );
  }
  console.log(`textparse: ${counts.length} files parse\n  ${counts.join('\n  ')}`);
  assert.equal(counts.length, 4);
});

test('prometheus/common text sample parses', () => {
  const parsed = parseTextFormat(readFileSync(join(EXPFMT_DIR, 'testdata/text'), 'utf8'));
  console.log(`expfmt testdata/text: ${parsed.samples.length} samples, ${parsed.families.length} families`);
  assert.equal(parsed.samples.length, 248);
  assert.equal(parsed.families.length, 37);
});

test('fuzz corpus: both parsers throw nothing but ExpositionParseError', () => {
  const dir = join(EXPFMT_DIR, 'fuzz/corpus');
  let accepted = 0;
  const files = readdirSync(dir).sort();
  for (const file of files) {
    const body = readFileSync(join(dir, file), 'utf8');
    for (const parse of [
      () => parseTextFormat(body),
      () => parseOpenMetrics(body),
      () => parseOpenMetrics(body, { strict: true }),
    ]) {
      const error = parseError(parse);
      if (error !== undefined && !(error instanceof ExpositionParseError))
        assert.fail(`${file}: ${describe(error)}`);
    }
    if (parseError(() => parseTextFormat(body)) === undefined) accepted++;
  }
  console.log(
    `expfmt fuzz corpus: ${files.length} inputs, ${accepted} accepted by the text parser, no other errors`,
  );
  assert.equal(files.length, 26);
});
