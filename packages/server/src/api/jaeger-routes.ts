import { nowUnixNano } from '../model/units.ts';
import { requireDurationNanos } from '../query/traces/duration.ts';
import { InvalidParameterError } from '../query/traces/invalid-parameter-error.ts';
import { parseJaegerTraceSearch } from '../query/traces/jaeger-search-request.ts';
import { toJaegerTrace } from '../query/traces/jaeger-model.ts';
import { firstParam, parseSpanKind, parseTraceId, spanKindName } from '../query/traces/search-params.ts';
import type { TraceQueryService } from '../query/traces/trace-query-service.ts';
import type { TimeRange } from '../storage/store.ts';
import { ApiError } from './api-error.ts';
import { sendJson } from './http-io.ts';
import type { Router } from './router.ts';

const NANOS_PER_MILLI = 1_000_000n;
/** Jaeger's default dependencies lookback (query's defaultDependencyLookbackDuration): 24 h. */
const DEFAULT_DEPENDENCY_LOOKBACK_NANOS = 86_400_000_000_000n;

/**
 * Jaeger's structuredResponse (jaeger cmd/query/app/http_handler.go): every answer, success or
 * error, has this envelope; Jaeger UI and Grafana's Jaeger data source read `data` and `errors`.
 */
export function jaegerEnvelope(data: unknown, total = 0): Record<string, unknown> {
  return { data, total, limit: 0, offset: 0, errors: null };
}

export function jaegerErrorEnvelope(status: number, message: string): Record<string, unknown> {
  return { data: null, total: 0, limit: 0, offset: 0, errors: [{ code: status, msg: message }] };
}

/** The Jaeger-compatible query API (what Jaeger UI and Grafana's Jaeger data source call). */
export function registerJaegerRoutes(router: Router, traces: TraceQueryService): void {
  router.get('/api/services', 'jaeger', async ({ response }) => {
    const services = await traces.services();
    sendJson(response, 200, jaegerEnvelope(services, services.length));
  });
  router.get('/api/services/{service}/operations', 'jaeger', async ({ response, pathParams }) => {
    const operations = await traces.operations(pathParams.service ?? '');
    const names = [...new Set(operations.map((operation) => operation.name))].sort();
    sendJson(response, 200, jaegerEnvelope(names, names.length));
  });
  router.get('/api/operations', 'jaeger', async ({ response, query }) => {
    const service = firstParam(query, 'service');
    if (service === undefined) throw new InvalidParameterError('service', 'a service name (it is required)');
    const kindText = firstParam(query, 'spanKind');
    const kind = kindText === undefined ? undefined : parseSpanKind('spanKind', kindText);
    const operations = await traces.operations(service, undefined, kind);
    const data = operations.map((operation) => ({
      name: operation.name,
      spanKind: jaegerSpanKind(operation.kind),
    }));
    sendJson(response, 200, jaegerEnvelope(data, data.length));
  });
  router.get('/api/traces', 'jaeger', async ({ response, query }) => {
    const found = await traces.findJaegerTraces(parseJaegerTraceSearch(query, nowUnixNano()));
    sendJson(response, 200, jaegerEnvelope(found.map(toJaegerTrace), found.length));
  });
  router.get('/api/traces/{traceId}', 'jaeger', async ({ response, pathParams }) => {
    const trace = await traces.getTrace(parseTraceId('traceID', pathParams.traceId ?? ''));
    if (!trace) throw new ApiError(404, 'trace not found');
    sendJson(response, 200, jaegerEnvelope([toJaegerTrace(trace)], 1));
  });
  router.get('/api/dependencies', 'jaeger', async ({ response, query }) => {
    const edges = await traces.dependencies(parseDependencyRange(query));
    const data = edges.map((edge) => ({ parent: edge.parent, child: edge.child, callCount: edge.callCount }));
    sendJson(response, 200, jaegerEnvelope(data, data.length));
  });
}

/** Jaeger writes an unspecified kind as "" in /api/operations. */
function jaegerSpanKind(kind: number): string {
  return kind === 0 ? '' : spanKindName(kind as Parameters<typeof spanKindName>[0]);
}

/** `endTs` (Unix ms, default now) and `lookback` (ms, or a duration like "1h"; default 24 h). */
function parseDependencyRange(query: URLSearchParams): TimeRange {
  const endText = firstParam(query, 'endTs');
  if (endText !== undefined && !/^\d{1,15}$/.test(endText))
    throw new InvalidParameterError('endTs', 'Unix milliseconds');
  const endUnixNano = endText === undefined ? nowUnixNano() : BigInt(endText) * NANOS_PER_MILLI;
  const lookbackText = firstParam(query, 'lookback');
  const lookbackNanos =
    lookbackText === undefined
      ? DEFAULT_DEPENDENCY_LOOKBACK_NANOS
      : requireDurationNanos('lookback', lookbackText, NANOS_PER_MILLI);
  const startUnixNano = endUnixNano > lookbackNanos ? endUnixNano - lookbackNanos : 0n;
  return { startUnixNano, endUnixNano };
}
