import type { PromQLEngine } from '../../query/promql/engine.ts';
import type { QueryLimiter } from '../../query/promql/query-limiter.ts';
import type { SeriesCatalog } from '../../query/promql/series-source.ts';
import type { RequestContext } from '../router.ts';

/** What the API needs of the engine (a PromQLEngine, or a stand-in in tests). */
export type PromQueryEngine = Pick<PromQLEngine, 'instantQuery' | 'rangeQuery' | 'options'>;

/** /api/v1/status/buildinfo's data (PrometheusVersion in web/api/v1/api.go). */
export interface PromBuildInfo {
  version: string;
  revision: string;
  branch: string;
  buildUser: string;
  buildDate: string;
  goVersion: string;
}

/** Everything a Prometheus API handler works with, built once per server. */
export interface PromApiContext {
  engine: PromQueryEngine;
  catalog: SeriesCatalog;
  limiter: QueryLimiter;
  /** Upper bound of the `timeout` parameter and the timeout when it is absent. */
  maxQueryTimeoutMs: number;
  /** Most series, label names, values or metadata entries one response holds, `limit` or not. */
  maxCatalogResults: number;
  buildInfo: PromBuildInfo;
  nowMs(): number;
}

/** A handler's answer: `data` as JSON text with annotations, or 204 No Content (as Prometheus for nil data). */
export type PromResult =
  { dataJson: string; warnings?: readonly string[]; infos?: readonly string[] } | 'no_content';

/** `params` are the merged URL and form-body parameters (prom-form.ts). */
export type PromHandler = (
  params: URLSearchParams,
  request: RequestContext,
  api: PromApiContext,
) => Promise<PromResult>;

/** One /api/v1 endpoint: `name` is the low-cardinality label of its metrics. */
export interface PromEndpoint {
  name: string;
  path: string;
  /** Whether Prometheus also registers it for POST (form-encoded parameters). */
  post: boolean;
  handler: PromHandler;
}

/** Prometheus adds this warning whenever `limit` (or Vigil's own cap) cut a result short. */
export const TRUNCATED_WARNING = 'results truncated due to limit';
