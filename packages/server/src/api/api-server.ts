import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LogQueryService } from '../query/logs/log-query-service.ts';
import { TraceQueryService, type TraceQueryOptions } from '../query/traces/trace-query-service.ts';
import type { Store } from '../storage/store.ts';
import { selfMetrics } from '../telemetry/self-metrics.ts';
import { DEFAULT_APDEX_THRESHOLDS, type ApdexThresholds } from '../query/traces/apdex.ts';
import { ApiError, toApiError } from './api-error.ts';
import { registerApdexRoutes } from './apdex-routes.ts';
import { sendJson, sendText } from './http-io.ts';
import { registerJaegerRoutes, jaegerErrorEnvelope } from './jaeger-routes.ts';
import { errorBody as prometheusErrorBody } from './prometheus/prom-json.ts';
import { registerPrometheusRoutes, type PrometheusApiOptions } from './prometheus/prom-routes.ts';
import { registerTargetsRoute } from './prometheus/prom-targets-route.ts';
import type { ScrapeTargetView } from './scrape-targets.ts';
import { registerRemoteWriteRoute } from './prometheus/prom-write-route.ts';
import { registerLokiPushRoute } from './loki-push-route.ts';
import { registerSamplingRoutes } from './sampling-routes.ts';
import { PromQLEngine } from '../query/promql/engine.ts';
import { StoreSeriesSource } from '../query/promql/store-series-source.ts';
import { Router, flavorOf, type ApiFlavor, type RouteMatch } from './router.ts';
import { registerVigilRoutes } from './vigil-routes.ts';

export interface ApiServerOptions {
  /** Default 127.0.0.1: the API has no authentication (DESIGN.md, "Ports"). */
  host?: string;
  /** Default 16700; 0 picks a free port. */
  port?: number;
  store: Store;
  /** Prometheus text exposition of Vigil's own metrics, served on GET /metrics. */
  metricsText: () => string;
  traceQuery?: TraceQueryOptions;
  /**
   * The Prometheus-compatible API under /api/v1 (a PromQL engine and the series catalog behind
   * it). Default: an engine with default limits over `store`; `false` leaves /api/v1 out (its
   * routes then answer 404 in Prometheus's error format).
   */
  promql?: PrometheusApiOptions | false;
  /** Scrape targets and their health for GET /api/v1/targets; without it the list is empty. */
  scrapeTargets?: () => ScrapeTargetView[];
  /** Apdex thresholds for GET /api/vigil/v1/apdex (default T 500 ms). */
  apdex?: ApdexThresholds;
  /** Where Loki push requests go (the `loki` receiver's pipelines); default: the store. */
  lokiPush?: Pick<Store, 'writeLogs'>;
  /** More routes (rules, alerts, silences, SLOs: wired by app/start-alerting.ts). */
  extraRoutes?: (router: Router) => void;
  /** Called once per unexpected (500) error with a description that holds no request data. */
  logError?: (line: string) => void;
}

export interface ApiServer {
  port: number;
  close(): Promise<void>;
}

const MAX_URL_LENGTH = 16 * 1024;
const apiMetrics = {
  requests: selfMetrics.histogram(
    'vigil_api_request_duration_seconds',
    'Query API request latency, by route and status code.',
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  ),
};

/**
 * Starts the HTTP query API: Vigil's JSON API under /api/vigil/v1, the Prometheus-compatible API
 * under /api/v1, the Jaeger-compatible API under /api (services, operations,
 * traces, dependencies) and /metrics. Routes and formats are
 * documented in docs/api.md.
 *
 * @example
 * const api = await startApiServer({ port: 0, store, metricsText: () => selfMetrics.render() });
 * await fetch(`http://127.0.0.1:${api.port}/api/services`);
 * await api.close();
 */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const router = buildRouter(options);
  const logError = options.logError ?? ((line: string) => console.error(line));
  const server = createServer((request, response) => {
    void handleRequest(router, request, response, logError);
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 16700, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}

function buildRouter(options: ApiServerOptions): Router {
  const router = new Router();
  const traces = new TraceQueryService(options.store, options.traceQuery);
  registerVigilRoutes(router, traces, new LogQueryService(options.store));
  registerJaegerRoutes(router, traces);
  registerApdexRoutes(router, options.store, options.apdex ?? DEFAULT_APDEX_THRESHOLDS);
  registerTargetsRoute(router, options.scrapeTargets ?? (() => []));
  if (options.promql !== false)
    registerPrometheusRoutes(router, options.promql ?? promqlOverStore(options.store));
  registerRemoteWriteRoute(router, options.store);
  registerLokiPushRoute(router, options.lokiPush ?? options.store);
  registerSamplingRoutes(router);
  options.extraRoutes?.(router);
  router.get('/metrics', 'plain', ({ response }) => {
    sendText(response, 200, options.metricsText(), 'text/plain; version=0.0.4; charset=utf-8');
  });
  return router;
}

function promqlOverStore(store: Store): PrometheusApiOptions {
  const source = new StoreSeriesSource(store);
  return { engine: new PromQLEngine(source), catalog: source };
}

/** The central handler: routing, and every error written once, in the format of its API. */
async function handleRequest(
  router: Router,
  request: IncomingMessage,
  response: ServerResponse,
  logError: (line: string) => void,
): Promise<void> {
  const startedMillis = performance.now();
  const rawUrl = request.url ?? '/';
  const path = rawUrl.split('?', 1)[0] ?? '/';
  let match: RouteMatch | undefined;
  try {
    if (rawUrl.length > MAX_URL_LENGTH) throw new ApiError(414, 'request URL too long');
    match = router.match(request.method ?? 'GET', path);
    const url = new URL(rawUrl, 'http://localhost');
    await match.route.handler({ request, response, pathParams: match.pathParams, query: url.searchParams });
  } catch (error: unknown) {
    const apiError = toApiError(error);
    // Log the error's class and stack only: messages of unknown errors may quote request data.
    if (apiError.status >= 500 && !(error instanceof ApiError))
      logError(`api: ${match?.route.pattern ?? 'unrouted'}: ${describe(error)}`);
    if (!response.headersSent) writeError(response, match?.route.flavor ?? flavorOf(path), apiError);
    else response.destroy();
  } finally {
    const route = match?.route.pattern ?? 'unmatched';
    apiMetrics.requests.observe(
      { route, code: String(response.statusCode) },
      (performance.now() - startedMillis) / 1000,
    );
  }
}

function writeError(response: ServerResponse, flavor: ApiFlavor, error: ApiError): void {
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined)
    headers['retry-after'] = String(Math.ceil(error.retryAfterSeconds));
  const body =
    flavor === 'jaeger'
      ? jaegerErrorEnvelope(error.status, error.message)
      : flavor === 'prometheus'
        ? prometheusErrorBody(error)
        : { error: { status: error.status, message: error.message } };
  sendJson(response, error.status, body, headers);
}

function describe(error: unknown): string {
  if (error instanceof Error)
    return `${error.name}${error.stack ? ` ${error.stack.split('\n').slice(1, 4).join(' ')}` : ''}`;
  return typeof error;
}
