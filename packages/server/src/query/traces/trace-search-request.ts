import type { UnixNano } from '../../model/units.ts';
import type { AttributeFilter, TraceQuery } from '../../storage/store.ts';
import { parseAttributeFilter } from './attribute-filter.ts';
import { applyDurationBounds, requireDurationNanos } from './duration.ts';
import { InvalidParameterError } from './invalid-parameter-error.ts';
import {
  TRACE_LIMIT,
  firstParam,
  parseLimit,
  parseSpanKind,
  parseStatusCode,
  resolveRange,
} from './search-params.ts';
import { requireTimestampNanos } from './timestamp.ts';

/** Vigil's default search window when `start` is absent: the last hour before `end`. */
export const DEFAULT_LOOKBACK_NANOS = 3_600_000_000_000n;
export const MAX_ATTRIBUTE_FILTERS = 32;

/**
 * Parses Vigil's trace search query string (GET /api/vigil/v1/traces) into a store TraceQuery.
 * Times are Unix ns or RFC 3339; durations are "300ms"/"1.2s"/"5us" or plain ns; `attr` repeats
 * (see parseAttributeFilter). Throws InvalidParameterError (→ 400) naming the bad parameter.
 *
 * @example
 * parseTraceSearch(new URLSearchParams('service=ranker&status=error&minDuration=250ms&attr=ml.model.version=3'), now);
 */
export function parseTraceSearch(params: URLSearchParams, nowUnixNano: UnixNano): TraceQuery {
  const query: TraceQuery = {
    limit: parseLimit(params, TRACE_LIMIT),
    range: parseRange(params, nowUnixNano),
  };
  const service = firstParam(params, 'service');
  if (service !== undefined) query.service = service;
  const operation = firstParam(params, 'operation');
  if (operation !== undefined) query.operation = operation;
  const kind = firstParam(params, 'kind');
  if (kind !== undefined) query.kind = parseSpanKind('kind', kind);
  const status = firstParam(params, 'status');
  if (status !== undefined) query.statusCode = parseStatusCode('status', status);
  applyDurationBounds(params, 1n, query);
  const attributes = parseAttributeFilters(params.getAll('attr'));
  if (attributes.length > 0) query.attributes = attributes;
  return query;
}

/** `start`/`end` (ns or RFC 3339) and `lookback` (a duration, used when `start` is absent). */
export function parseRange(params: URLSearchParams, nowUnixNano: UnixNano): NonNullable<TraceQuery['range']> {
  const start = firstParam(params, 'start');
  const end = firstParam(params, 'end');
  const lookback = firstParam(params, 'lookback');
  return resolveRange(
    start === undefined ? undefined : requireTimestampNanos('start', start),
    end === undefined ? undefined : requireTimestampNanos('end', end),
    lookback === undefined ? DEFAULT_LOOKBACK_NANOS : requireDurationNanos('lookback', lookback, 1n),
    nowUnixNano,
  );
}

/** Optional range: only when `start` or `end` is given (services, operations, attribute keys). */
export function parseOptionalRange(params: URLSearchParams, nowUnixNano: UnixNano): TraceQuery['range'] {
  if (firstParam(params, 'start') === undefined && firstParam(params, 'end') === undefined) return undefined;
  return parseRange(params, nowUnixNano);
}

function parseAttributeFilters(texts: string[]): AttributeFilter[] {
  const nonEmpty = texts.filter((text) => text.trim() !== '');
  if (nonEmpty.length > MAX_ATTRIBUTE_FILTERS) {
    throw new InvalidParameterError('attr', `at most ${MAX_ATTRIBUTE_FILTERS} attribute filters`);
  }
  return nonEmpty.map((text, index) => parseAttributeFilter(text, `attr[${index}]`));
}
