import { SpanKind } from '../model/span.ts';
import { nowUnixNano } from '../model/units.ts';
import { apdexReport, type ApdexThresholds } from '../query/traces/apdex.ts';
import { InvalidParameterError } from '../query/traces/invalid-parameter-error.ts';
import { firstParam } from '../query/traces/search-params.ts';
import { parseRange } from '../query/traces/trace-search-request.ts';
import { parseDurationMillis } from '../config/duration.ts';
import type { Store } from '../storage/store.ts';
import { sendJson } from './http-io.ts';
import type { Router } from './router.ts';

const KIND_NAMES: Readonly<Record<string, SpanKind>> = {
  server: SpanKind.SERVER,
  consumer: SpanKind.CONSUMER,
  client: SpanKind.CLIENT,
  producer: SpanKind.PRODUCER,
  internal: SpanKind.INTERNAL,
};
const MAX_THRESHOLD_MS = 3_600_000;

/**
 * GET /api/vigil/v1/apdex?service=&threshold=500ms&kind=server,consumer&start=&end=&lookback=1h:
 * Apdex per service and operation (docs/api.md). Without `threshold`, each service is scored with its
 * configured T (`vigil.apdex`).
 */
export function registerApdexRoutes(router: Router, store: Store, thresholds: ApdexThresholds): void {
  router.get('/api/vigil/v1/apdex', 'vigil', async ({ response, query }) => {
    const range = parseRange(query, nowUnixNano());
    const service = firstParam(query, 'service');
    const thresholdText = firstParam(query, 'threshold');
    const kindText = firstParam(query, 'kind');
    const report = await apdexReport(store, range, thresholds, {
      ...(service === undefined ? {} : { service }),
      ...(thresholdText === undefined ? {} : { thresholdMs: parseThresholdMs(thresholdText) }),
      ...(kindText === undefined ? {} : { kinds: parseKinds(kindText) }),
    });
    sendJson(response, 200, { data: report });
  });
}

function parseThresholdMs(text: string): number {
  let millis: number;
  try {
    millis = parseDurationMillis(text);
  } catch {
    throw new InvalidParameterError('threshold', 'a duration such as 500ms');
  }
  if (millis <= 0 || millis > MAX_THRESHOLD_MS)
    throw new InvalidParameterError('threshold', 'between 1ms and 1h');
  return millis;
}

function parseKinds(text: string): SpanKind[] {
  return text.split(',').map((name) => {
    const kind = KIND_NAMES[name.trim().toLowerCase()];
    if (kind === undefined)
      throw new InvalidParameterError('kind', 'server, consumer, client, producer or internal');
    return kind;
  });
}
