import type { Expr } from '../../query/promql/ast.ts';
import { PromQLError } from '../../query/promql/errors.ts';
import { formatDuration, prettifyExpr } from '../../query/promql/format-query.ts';
import { parseExpr } from '../../query/promql/parser.ts';
import type { PromValue } from '../../query/promql/values.ts';
import type { RequestContext } from '../router.ts';
import {
  TRUNCATED_WARNING,
  type PromApiContext,
  type PromEndpoint,
  type PromResult,
} from './prom-api-context.ts';
import { translateAst } from './prom-ast-json.ts';
import { evaluateQuery, truncateResult } from './prom-evaluate.ts';
import { queryDataJson } from './prom-json.ts';
import {
  MAX_TIME_MS,
  MIN_TIME_MS,
  badData,
  durationParam,
  formValue,
  invalidParameter,
  limitParam,
  lookbackDeltaParam,
  requiredDurationParam,
  requiredTimeParam,
  timeParam,
} from './prom-params.ts';

/** Points per series a range query may return ("sufficient for 60s resolution for a week"). */
const MAX_POINTS_PER_SERIES = 11_000n;
const NANOS_PER_MILLI = 1_000_000;

/** /api/v1/query, query_range, query_exemplars, format_query, parse_query (web/api/v1/api.go). */
export const QUERY_ENDPOINTS: readonly PromEndpoint[] = [
  { name: 'query', path: '/api/v1/query', post: true, handler: instantQuery },
  { name: 'query_range', path: '/api/v1/query_range', post: true, handler: rangeQuery },
  { name: 'query_exemplars', path: '/api/v1/query_exemplars', post: true, handler: queryExemplars },
  { name: 'format_query', path: '/api/v1/format_query', post: true, handler: formatQuery },
  { name: 'parse_query', path: '/api/v1/parse_query', post: true, handler: parseQuery },
];

async function instantQuery(
  params: URLSearchParams,
  request: RequestContext,
  api: PromApiContext,
): Promise<PromResult> {
  const limit = limitParam(params);
  const timeMs = timeParam(params, 'time', api.nowMs());
  const timeoutMs = queryTimeoutMs(params, api);
  checkLookbackDelta(params, api);
  const query = formValue(params, 'query');
  const result = await evaluateQuery(() => api.engine.instantQuery(query, timeMs), {
    limiter: api.limiter,
    timeoutMs,
    response: request.response,
  });
  return queryResponse(result.value, result.warnings, result.infos, limit);
}

async function rangeQuery(
  params: URLSearchParams,
  request: RequestContext,
  api: PromApiContext,
): Promise<PromResult> {
  const limit = limitParam(params);
  const startMs = requiredTimeParam(params, 'start');
  const endMs = requiredTimeParam(params, 'end');
  if (endMs < startMs) throw invalidParameter('end', 'end timestamp must not be before start time');
  const stepMs = rangeStepMs(params, startMs, endMs);
  const timeoutMs = queryTimeoutMs(params, api);
  checkLookbackDelta(params, api);
  const query = formValue(params, 'query');
  const result = await evaluateQuery(() => api.engine.rangeQuery(query, startMs, endMs, stepMs), {
    limiter: api.limiter,
    timeoutMs,
    response: request.response,
  });
  return queryResponse(result.value, result.warnings, result.infos, limit);
}

/** `step` (a duration or float seconds), checked against the 11,000-point bound; in whole ms. */
function rangeStepMs(params: URLSearchParams, startMs: number, endMs: number): number {
  const stepNanos = requiredDurationParam(params, 'step');
  // The engine works in whole milliseconds (durationMilliseconds): a sub-ms step is a zero step.
  const stepMs = Math.trunc(stepNanos / NANOS_PER_MILLI);
  if (!(stepMs > 0))
    throw invalidParameter(
      'step',
      'zero or negative query resolution step widths are not accepted. Try a positive integer',
    );
  // end.Sub(start)/step in Go's integer nanoseconds.
  if ((BigInt(endMs - startMs) * BigInt(NANOS_PER_MILLI)) / BigInt(stepNanos) > MAX_POINTS_PER_SERIES)
    throw badData(
      'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
    );
  return stepMs;
}

function queryResponse(
  value: PromValue,
  warnings: readonly string[],
  infos: readonly string[],
  limit: number,
): PromResult {
  const truncated = truncateResult(value, limit);
  return {
    dataJson: queryDataJson(truncated.value),
    warnings: truncated.truncated ? [...warnings, TRUNCATED_WARNING] : warnings,
    infos,
  };
}

/** `timeout`, capped by the server's maximum (which also applies when it is absent). */
function queryTimeoutMs(params: URLSearchParams, api: PromApiContext): number {
  const timeoutNanos = durationParam(params, 'timeout');
  if (timeoutNanos === undefined) return api.maxQueryTimeoutMs;
  const timeoutMs = Number.isNaN(timeoutNanos) ? 0 : timeoutNanos / NANOS_PER_MILLI;
  return Math.min(timeoutMs, api.maxQueryTimeoutMs);
}

/**
 * `lookback_delta` is validated as Prometheus does; a value other than the engine's own cannot be
 * applied until the engine takes per-query options, so it is refused rather than ignored.
 * TODO(lead): pass it to the engine once instantQuery/rangeQuery accept { lookbackDeltaMs }.
 */
function checkLookbackDelta(params: URLSearchParams, api: PromApiContext): void {
  const lookbackNanos = lookbackDeltaParam(params);
  // Prometheus uses the engine default for 0 and negative values.
  if (lookbackNanos === undefined || !(lookbackNanos > 0)) return;
  const defaultMs = api.engine.options.lookbackDeltaMs;
  if (lookbackNanos / NANOS_PER_MILLI !== defaultMs)
    throw badData(
      `lookback_delta other than the server default (${formatDuration(defaultMs)}) is not supported yet`,
    );
}

/**
 * Validates like Prometheus; answers an empty list while Vigil stores no exemplars, and 204 for a
 * query without series selectors (Prometheus's nil result).
 */
function queryExemplars(params: URLSearchParams): Promise<PromResult> {
  const startMs = timeParam(params, 'start', MIN_TIME_MS);
  const endMs = timeParam(params, 'end', MAX_TIME_MS);
  if (endMs < startMs) throw badData('end timestamp must not be before start timestamp');
  const expr = parseExpr(formValue(params, 'query'));
  return Promise.resolve(hasSelector(expr) ? { dataJson: '[]' } : 'no_content');
}

function formatQuery(params: URLSearchParams): Promise<PromResult> {
  return Promise.resolve({ dataJson: JSON.stringify(prettifyExpr(parseQueryParam(params))) });
}

function parseQuery(params: URLSearchParams): Promise<PromResult> {
  return Promise.resolve({ dataJson: JSON.stringify(translateAst(parseQueryParam(params))) });
}

/** The `query` parameter parsed; errors as `invalid parameter "query": 1:5: parse error: ...`. */
function parseQueryParam(params: URLSearchParams): Expr {
  try {
    return parseExpr(formValue(params, 'query'));
  } catch (error: unknown) {
    if (error instanceof PromQLError) throw invalidParameter('query', error.message);
    throw error;
  }
}

/** Whether the expression reads any series (parser.ExtractSelectors is non-empty). */
function hasSelector(expr: Expr): boolean {
  switch (expr.kind) {
    case 'vector_selector':
    case 'matrix_selector':
      return true;
    case 'number':
    case 'string':
      return false;
    case 'call':
      return expr.args.some(hasSelector);
    case 'aggregate':
      return hasSelector(expr.expr) || (expr.param !== undefined && hasSelector(expr.param));
    case 'binary':
      return hasSelector(expr.lhs) || hasSelector(expr.rhs);
    case 'subquery':
    case 'unary':
    case 'paren':
      return hasSelector(expr.expr);
  }
}
