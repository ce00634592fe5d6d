import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExpositionParseError } from './exposition.ts';
import { SCRAPE_ACCEPT_HEADER, detectExpositionFormat, parseExposition } from './parse-exposition.ts';

test('content type selects the parser', () => {
  const cases: Array<[string | undefined, 'openmetrics' | 'text']> = [
    ['application/openmetrics-text; version=1.0.0; charset=utf-8', 'openmetrics'],
    ['application/openmetrics-text;version=0.0.1', 'openmetrics'],
    ['Application/OpenMetrics-Text', 'openmetrics'],
    ['text/plain; version=0.0.4; charset=utf-8', 'text'],
    [undefined, 'text'],
    ['application/json', 'text'],
  ];
  for (const [contentType, format] of cases) assert.equal(detectExpositionFormat(contentType), format, contentType);
});

test('parseExposition: OpenMetrics requires # EOF, text does not', () => {
  const body = 'up 1\n';
  assert.equal(parseExposition(body, 'text/plain; version=0.0.4').samples.length, 1);
  assert.throws(() => parseExposition(body, 'application/openmetrics-text; version=1.0.0'), ExpositionParseError);
  assert.equal(parseExposition(`${body}# EOF\n`, 'application/openmetrics-text; version=1.0.0').samples[0]?.value, 1);
});

test('Accept header prefers OpenMetrics and still accepts the text format', () => {
  const weights = SCRAPE_ACCEPT_HEADER.split(',').map((part) => [part.split(';')[0], Number(/q=([0-9.]+)/.exec(part)?.[1])] as const);
  assert.equal(weights[0]?.[0], 'application/openmetrics-text');
  assert.ok(weights.some(([type]) => type === 'text/plain'));
  const sorted = [...weights].sort((a, b) => b[1] - a[1]);
  assert.deepEqual(sorted, weights);
});
