/**
 * Content negotiation for scraping: the Accept header Prometheus sends and the choice of parser
 * from the response's Content-Type (Prometheus scrape/scrape.go acceptHeader and
 * model/textparse/interface.go New).
 */

/** Which parser a scrape response needs. */
export type ExpositionFormat = 'openmetrics' | 'text';

/**
 * The Accept header Prometheus 3 sends by default (scrape protocols OpenMetricsText1.0.0,
 * OpenMetricsText0.0.1, PrometheusText1.0.0, PrometheusText0.0.4, weights from 0.5 down, then
 * `*\/*`): OpenMetrics preferred, the classic text format accepted.
 */
export const SCRAPE_ACCEPT_HEADER =
  'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,' +
  'application/openmetrics-text;version=0.0.1;q=0.4,' +
  'text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,' +
  'text/plain;version=0.0.4;q=0.2,' +
  '*/*;q=0.1';

/**
 * Picks the parser for a Content-Type. `application/openmetrics-text` (any version; 0.0.1 and
 * 1.0.0 share the syntax) selects OpenMetrics; `text/plain`, a missing header or anything else
 * falls back to the text format, as Prometheus 2 did (Prometheus 3 makes the fallback
 * configurable with fallback_scrape_protocol).
 *
 * @example
 * detectExpositionFormat('application/openmetrics-text; version=1.0.0; charset=utf-8'); // 'openmetrics'
 */
export function detectExpositionFormat(contentType: string | undefined): ExpositionFormat {
  if (contentType === undefined) return 'text';
  const semicolon = contentType.indexOf(';');
  const mediaType = (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  return mediaType === 'application/openmetrics-text' ? 'openmetrics' : 'text';
}
