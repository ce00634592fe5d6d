import type { UnixNano } from '../../model/units.ts';
import type { LogQuery } from '../../storage/store.ts';
import { InvalidParameterError } from '../traces/invalid-parameter-error.ts';
import { firstParam, parseLimit, parseTraceId } from '../traces/search-params.ts';
import { parseRange } from '../traces/trace-search-request.ts';

export const LOG_LIMIT = { default: 100, max: 5000 } as const;

/**
 * OTLP severity ranges (logs data model, "Field: SeverityNumber"): each name covers four numbers
 * and `severity=warn` means "WARN or worse", i.e. at least 13.
 */
const MIN_SEVERITY_BY_NAME: Readonly<Record<string, number>> = {
  trace: 1,
  debug: 5,
  info: 9,
  warn: 13,
  warning: 13,
  error: 17,
  fatal: 21,
};

/**
 * Parses Vigil's log search query string (GET /api/vigil/v1/logs): `start`/`end` (Unix ns or
 * RFC 3339; default the last hour), `service`, `severity` (a minimum: a name like `warn` or a number
 * 1–24), `q` (case-insensitive substring of the body), `traceId`, `spanId`, `limit` (default 100).
 *
 * @example
 * parseLogSearch(new URLSearchParams('service=ranker&severity=error&q=timeout'), now);
 */
export function parseLogSearch(params: URLSearchParams, nowUnixNano: UnixNano): LogQuery {
  const query: LogQuery = { limit: parseLimit(params, LOG_LIMIT), range: parseRange(params, nowUnixNano) };
  const service = firstParam(params, 'service');
  if (service !== undefined) query.service = service;
  const severity = firstParam(params, 'severity');
  if (severity !== undefined) query.minSeverityNumber = parseMinSeverity(severity);
  const text = firstParam(params, 'q');
  if (text !== undefined) query.bodyContains = text;
  const traceId = firstParam(params, 'traceId');
  if (traceId !== undefined) query.traceId = parseTraceId('traceId', traceId);
  const spanId = firstParam(params, 'spanId');
  if (spanId !== undefined) query.spanId = parseSpanId(spanId);
  return query;
}

/** A severity name (trace, debug, info, warn, error, fatal; any case) or number 1–24 → minimum number. */
export function parseMinSeverity(text: string): number {
  const named = MIN_SEVERITY_BY_NAME[text.toLowerCase()];
  if (named !== undefined) return named;
  if (/^\d{1,2}$/.test(text)) {
    const number = Number(text);
    if (number >= 1 && number <= 24) return number;
  }
  throw new InvalidParameterError(
    'severity',
    'trace, debug, info, warn, error, fatal or a number from 1 to 24',
  );
}

function parseSpanId(text: string): string {
  const lower = text.toLowerCase();
  if (!/^[0-9a-f]{16}$/.test(lower))
    throw new InvalidParameterError('spanId', 'a span ID of 16 hexadecimal digits');
  return lower;
}
