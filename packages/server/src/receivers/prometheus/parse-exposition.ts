/**
 * Entry point for scraped bodies: chooses the text or OpenMetrics parser from the Content-Type.
 */
import type { ParsedExposition } from './exposition.ts';
import { detectExpositionFormat } from './exposition-format.ts';
import { parseOpenMetrics } from './openmetrics-parser.ts';
import type { OpenMetricsOptions } from './openmetrics-parser.ts';
import { parseTextFormat } from './text-parser.ts';

export { SCRAPE_ACCEPT_HEADER, detectExpositionFormat } from './exposition-format.ts';
export type { ExpositionFormat } from './exposition-format.ts';

/**
 * Parses a scrape response body in the format its Content-Type names (missing → text 0.0.4).
 *
 * @throws {ExpositionParseError} with the 1-based line of the first malformed line.
 * @example
 * const parsed = parseExposition(body, response.headers['content-type']);
 * for (const sample of parsed.samples) store(sample.labels, sample.value, sample.timestampMs ?? scrapeTimeMs);
 */
export function parseExposition(body: string, contentType: string | undefined, options: OpenMetricsOptions = {}): ParsedExposition {
  return detectExpositionFormat(contentType) === 'openmetrics' ? parseOpenMetrics(body, options) : parseTextFormat(body);
}
