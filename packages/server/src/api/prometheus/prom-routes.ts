import { PromQLError } from '../../query/promql/errors.ts';
import { DEFAULT_QUERY_LIMITER_OPTIONS, QueryLimiter } from '../../query/promql/query-limiter.ts';
import type { SeriesCatalog } from '../../query/promql/series-source.ts';
import { selfMetrics } from '../../telemetry/self-metrics.ts';
import { ApiError, toApiError } from '../api-error.ts';
import { sendJsonText } from '../http-io.ts';
import type { RequestContext, RouteHandler, Router } from '../router.ts';
import type { PromApiContext, PromBuildInfo, PromEndpoint, PromQueryEngine } from './prom-api-context.ts';
import { CATALOG_ENDPOINTS } from './prom-catalog-routes.ts';
import { readPromForm } from './prom-form.ts';
import { successBody } from './prom-json.ts';
import { QUERY_ENDPOINTS } from './prom-query-routes.ts';

/** Options of the Prometheus-compatible API (ApiServerOptions.promql). */
export interface PrometheusApiOptions {
  engine: PromQueryEngine;
  catalog: SeriesCatalog;
  /** Queries evaluated at once (Prometheus --query.max-concurrency); default 20. */
  maxConcurrentQueries?: number;
  /** Queries waiting for a slot before new ones are refused with 503; default 200. */
  maxQueuedQueries?: number;
  /** Cap of the `timeout` parameter, and the timeout without one; default the engine's timeoutMs. */
  maxQueryTimeoutMs?: number;
  /** Most series/label names/values/metadata entries per response; default 10,000. */
  maxCatalogResults?: number;
  buildInfo?: Partial<PromBuildInfo>;
}

/**
 * What /api/v1/status/buildinfo reports. Grafana and other clients pick features by `version`,
 * so it names the Prometheus API version Vigil implements, not Vigil's own version.
 */
const DEFAULT_BUILD_INFO: PromBuildInfo = {
  version: '3.0.0',
  revision: 'vigil',
  branch: '',
  buildUser: 'vigil',
  buildDate: '',
  goVersion: `none (Vigil on Node.js ${process.version})`,
};
const DEFAULT_MAX_CATALOG_RESULTS = 10_000;

const promMetrics = {
  requests: selfMetrics.counter(
    'vigil_promql_api_requests_total',
    'Prometheus API (/api/v1) requests, by endpoint and outcome (success or the Prometheus errorType).',
  ),
  active: selfMetrics.gauge('vigil_promql_queries_active', 'PromQL queries being evaluated now.'),
  queued: selfMetrics.gauge('vigil_promql_queries_queued', 'PromQL queries waiting for an evaluation slot.'),
};

/**
 * The Prometheus HTTP API under /api/v1 (query, query_range, series, labels, label values,
 * metadata, query_exemplars, format_query, parse_query, status/buildinfo), as Prometheus 3's
 * web/api/v1/api.go answers it; documented in docs/api.md. Endpoints Prometheus accepts by POST
 * take form-encoded bodies too.
 *
 * @example
 * registerPrometheusRoutes(router, { engine: new PromQLEngine(source), catalog: source });
 */
export function registerPrometheusRoutes(router: Router, options: PrometheusApiOptions): void {
  const limiter = new QueryLimiter({
    maxConcurrent: options.maxConcurrentQueries ?? DEFAULT_QUERY_LIMITER_OPTIONS.maxConcurrent,
    maxQueued: options.maxQueuedQueries ?? DEFAULT_QUERY_LIMITER_OPTIONS.maxQueued,
  });
  promMetrics.active.collect({}, () => limiter.active);
  promMetrics.queued.collect({}, () => limiter.queued);
  const api: PromApiContext = {
    engine: options.engine,
    catalog: options.catalog,
    limiter,
    maxQueryTimeoutMs: options.maxQueryTimeoutMs ?? options.engine.options.timeoutMs,
    maxCatalogResults: options.maxCatalogResults ?? DEFAULT_MAX_CATALOG_RESULTS,
    buildInfo: { ...DEFAULT_BUILD_INFO, ...options.buildInfo },
    nowMs: () => Date.now(),
  };
  for (const endpoint of [...QUERY_ENDPOINTS, ...CATALOG_ENDPOINTS]) {
    const handler = endpointHandler(endpoint, api);
    router.get(endpoint.path, 'prometheus', handler);
    if (endpoint.post) router.post(endpoint.path, 'prometheus', handler);
  }
}

/** Reads the parameters, runs the endpoint, writes its answer and counts the outcome. */
function endpointHandler(endpoint: PromEndpoint, api: PromApiContext): RouteHandler {
  return async (context: RequestContext) => {
    try {
      const params = await readPromForm(context);
      const result = await endpoint.handler(params, context, api);
      if (result === 'no_content') {
        context.response.writeHead(204).end();
      } else {
        sendJsonText(context.response, 200, successBody(result.dataJson, result.warnings, result.infos));
      }
      promMetrics.requests.inc({ endpoint: endpoint.name, outcome: 'success' });
    } catch (error: unknown) {
      promMetrics.requests.inc({ endpoint: endpoint.name, outcome: outcomeOf(error) });
      throw error;
    }
  };
}

function outcomeOf(error: unknown): string {
  if (error instanceof PromQLError) return error.type;
  if (error instanceof ApiError) return error.errorType ?? `http_${error.status}`;
  return toApiError(error).status === 500 ? 'internal' : 'unavailable';
}
