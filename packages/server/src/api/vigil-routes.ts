import type { LogQueryService } from '../query/logs/log-query-service.ts';
import { LOG_LIMIT, parseLogSearch } from '../query/logs/log-search-request.ts';
import { InvalidParameterError } from '../query/traces/invalid-parameter-error.ts';
import {
  firstParam,
  parseLimit,
  parseSpanKind,
  parseTraceId,
  spanKindName,
} from '../query/traces/search-params.ts';
import type { TraceQueryService } from '../query/traces/trace-query-service.ts';
import { parseOptionalRange, parseTraceSearch } from '../query/traces/trace-search-request.ts';
import type { AttributeScope } from '../storage/store.ts';
import { nowUnixNano } from '../model/units.ts';
import { ApiError } from './api-error.ts';
import { sendJson } from './http-io.ts';
import type { Router } from './router.ts';
import { logJson, traceJson, traceSummaryJson } from './vigil-json.ts';

const PREFIX = '/api/vigil/v1';
const VALUES_LIMIT = { default: 100, max: 1000 } as const;

/**
 * Vigil's own JSON API (docs/api.md). Successful responses are `{"data": ...}`; errors are
 * `{"error": {"status", "message"}}` (written by the central handler in api-server.ts).
 */
export function registerVigilRoutes(router: Router, traces: TraceQueryService, logs: LogQueryService): void {
  router.get(`${PREFIX}/traces/{traceId}`, 'vigil', async ({ response, pathParams, query }) => {
    const traceId = parseTraceId('traceId', pathParams.traceId ?? '');
    const adjust = firstParam(query, 'adjustClockSkew');
    if (adjust !== undefined && adjust !== 'true' && adjust !== 'false') {
      throw new InvalidParameterError('adjustClockSkew', 'true or false');
    }
    const trace = await traces.getTrace(traceId, { adjustClockSkew: adjust !== 'false' });
    if (!trace) throw new ApiError(404, 'trace not found');
    sendJson(response, 200, { data: traceJson(trace) });
  });
  router.get(`${PREFIX}/traces`, 'vigil', async ({ response, query }) => {
    const summaries = await traces.searchTraces(parseTraceSearch(query, nowUnixNano()));
    sendJson(response, 200, { data: summaries.map(traceSummaryJson) });
  });
  router.get(`${PREFIX}/traces/{traceId}/logs`, 'vigil', async ({ response, pathParams, query }) => {
    const traceId = parseTraceId('traceId', pathParams.traceId ?? '');
    const records = await logs.logsOfTrace(
      traceId,
      parseLimit(query, { default: LOG_LIMIT.max, max: LOG_LIMIT.max }),
    );
    sendJson(response, 200, { data: records.map(logJson) });
  });
  router.get(`${PREFIX}/logs`, 'vigil', async ({ response, query }) => {
    const records = await logs.search(parseLogSearch(query, nowUnixNano()));
    sendJson(response, 200, { data: records.map(logJson) });
  });
  registerCatalogRoutes(router, traces);
}

/** Services, operations and attribute keys/values: what search forms autocomplete from. */
function registerCatalogRoutes(router: Router, traces: TraceQueryService): void {
  router.get(`${PREFIX}/services`, 'vigil', async ({ response, query }) => {
    sendJson(response, 200, { data: await traces.services(parseOptionalRange(query, nowUnixNano())) });
  });
  router.get(`${PREFIX}/services/{service}/operations`, 'vigil', async ({ response, pathParams, query }) => {
    const kindText = firstParam(query, 'kind');
    const kind = kindText === undefined ? undefined : parseSpanKind('kind', kindText);
    const range = parseOptionalRange(query, nowUnixNano());
    const operations = await traces.operations(pathParams.service ?? '', range, kind);
    sendJson(response, 200, {
      data: operations.map((operation) => ({ name: operation.name, kind: spanKindName(operation.kind) })),
    });
  });
  router.get(`${PREFIX}/attributes/keys`, 'vigil', async ({ response, query }) => {
    const keys = await traces.attributeKeys(parseScope(query), parseOptionalRange(query, nowUnixNano()));
    sendJson(response, 200, { data: keys });
  });
  router.get(`${PREFIX}/attributes/{key}/values`, 'vigil', async ({ response, pathParams, query }) => {
    const range = parseOptionalRange(query, nowUnixNano());
    const limit = parseLimit(query, VALUES_LIMIT);
    const values = await traces.attributeValues(parseScope(query), pathParams.key ?? '', range, limit);
    sendJson(response, 200, { data: values });
  });
}

function parseScope(query: URLSearchParams): AttributeScope {
  const scope = firstParam(query, 'scope') ?? 'span';
  if (scope !== 'span' && scope !== 'resource') throw new InvalidParameterError('scope', 'span or resource');
  return scope;
}
