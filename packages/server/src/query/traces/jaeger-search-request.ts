import type { UnixNano } from '../../model/units.ts';
import type { TraceQuery } from '../../storage/store.ts';
import { applyDurationBounds, requireDurationNanos } from './duration.ts';
import { InvalidParameterError } from './invalid-parameter-error.ts';
import { TRACE_LIMIT, firstParam, parseLimit, parseTraceId, resolveRange } from './search-params.ts';
import { requireUnixMicrosAsNanos } from './timestamp.ts';

/** Jaeger query's default search window (`--query.lookback` style): 2 days before `end`. */
const JAEGER_DEFAULT_LOOKBACK_NANOS = 2n * 86_400_000_000_000n;
const MAX_TAGS = 32;

export interface JaegerTag {
  key: string;
  value: string;
}

/** A Jaeger trace search before its tags are resolved against the store (see TraceQueryService). */
export interface JaegerTraceSearch {
  /** Everything but the tags. */
  query: TraceQuery;
  /** `tags={json}` and `tag=key:value` pairs, compared as text by Jaeger. */
  tags: JaegerTag[];
  /** `traceID` params: when present, Jaeger returns exactly these traces and ignores the rest. */
  traceIds: string[];
}

/**
 * Parses Jaeger's GET /api/traces query string as jaeger-query's http_handler/query_parser.go does:
 * `service` (required unless `traceID` is given), `operation`, `tags` (a JSON object of strings) and
 * repeated `tag=key:value`, `minDuration`/`maxDuration` (Go durations; a plain number is µs),
 * `start`/`end` in Unix µs, `lookback` (used only when `start` is absent; Jaeger UI also sends
 * "custom"), `limit` (0 or absent → 20).
 *
 * @example
 * parseJaegerTraceSearch(new URLSearchParams('service=ranker&tags={"error":"true"}&start=1700000000000000'), now);
 */
export function parseJaegerTraceSearch(params: URLSearchParams, nowUnixNano: UnixNano): JaegerTraceSearch {
  const traceIds = params.getAll('traceID').map((text) => parseTraceId('traceID', text));
  const query: TraceQuery = {
    limit: parseLimit(params, TRACE_LIMIT, true),
    range: parseJaegerRange(params, nowUnixNano),
  };
  const service = firstParam(params, 'service');
  if (service === undefined && traceIds.length === 0)
    throw new InvalidParameterError('service', 'a service name (it is required)');
  if (service !== undefined) query.service = service;
  const operation = firstParam(params, 'operation');
  if (operation !== undefined) query.operation = operation;
  applyDurationBounds(params, 1_000n, query);
  return { query, tags: parseTags(params), traceIds };
}

function parseJaegerRange(params: URLSearchParams, nowUnixNano: UnixNano): NonNullable<TraceQuery['range']> {
  const start = firstParam(params, 'start');
  const end = firstParam(params, 'end');
  const lookback = firstParam(params, 'lookback');
  const lookbackNanos =
    lookback === undefined || lookback === 'custom'
      ? JAEGER_DEFAULT_LOOKBACK_NANOS
      : requireDurationNanos('lookback', lookback, 1_000n);
  return resolveRange(
    start === undefined ? undefined : requireUnixMicrosAsNanos('start', start),
    end === undefined ? undefined : requireUnixMicrosAsNanos('end', end),
    lookbackNanos,
    nowUnixNano,
  );
}

/** `tags={"k":"v",...}` (Jaeger UI, Grafana) plus legacy repeated `tag=k:v`. */
function parseTags(params: URLSearchParams): JaegerTag[] {
  const tags: JaegerTag[] = [];
  for (const json of params.getAll('tags')) {
    if (json.trim() !== '') tags.push(...parseTagsJson(json));
  }
  for (const pair of params.getAll('tag')) {
    const colon = pair.indexOf(':');
    if (colon <= 0) throw new InvalidParameterError('tag', 'key:value');
    tags.push({ key: pair.slice(0, colon), value: pair.slice(colon + 1) });
  }
  if (tags.length > MAX_TAGS) throw new InvalidParameterError('tags', `at most ${MAX_TAGS} tags`);
  return tags;
}

function parseTagsJson(json: string): JaegerTag[] {
  const expectation = 'a JSON object mapping tag keys to string values';
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new InvalidParameterError('tags', expectation);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new InvalidParameterError('tags', expectation);
  return Object.entries(parsed).map(([key, value]: [string, unknown]) => {
    // Grafana and Jaeger UI send strings; accept numbers and booleans as their text.
    if (typeof value === 'string') return { key, value };
    if (typeof value === 'number' || typeof value === 'boolean') return { key, value: String(value) };
    throw new InvalidParameterError('tags', expectation);
  });
}
