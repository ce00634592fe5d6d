import type { ScrapeHealthView, ScrapeTargetView } from '../scrape-targets.ts';
import { formatDuration } from '../../query/promql/format-query.ts';
import { sendText } from '../http-io.ts';
import type { Router } from '../router.ts';
import { successBody } from './prom-json.ts';

/**
 * GET /api/v1/targets as Prometheus serves it (web/api/v1/api.go targets): every active scrape
 * target with its labels, URL, health, last error and last scrape time. `state=active|dropped|any`
 * and `scrapePool` filter as upstream; Vigil does not keep dropped targets, so that list is empty.
 */
export function registerTargetsRoute(router: Router, targets: () => ScrapeTargetView[]): void {
  router.get('/api/v1/targets', 'prometheus', ({ response, query }) => {
    const state = query.get('state') ?? 'any';
    const pool = query.get('scrapePool');
    const active =
      state === 'dropped'
        ? []
        : targets()
            .filter((target) => pool === null || target.target.jobName === pool)
            .map(activeTarget);
    sendText(
      response,
      200,
      successBody(JSON.stringify({ activeTargets: active, droppedTargets: [] })),
      'application/json',
    );
  });
}

function activeTarget({ target, health }: ScrapeTargetView): Record<string, unknown> {
  const labels = Object.fromEntries([...target.labels].sort(([a], [b]) => (a < b ? -1 : 1)));
  return {
    discoveredLabels: labels,
    labels,
    scrapePool: target.jobName,
    scrapeUrl: target.url.toString(),
    globalUrl: target.url.toString(),
    lastError: health?.error ?? '',
    lastScrape: health ? new Date(health.lastScrapeMs).toISOString() : '0001-01-01T00:00:00Z',
    lastScrapeDuration: health?.durationSeconds ?? 0,
    health: healthWord(health),
    scrapeInterval: formatDuration(target.scrapeIntervalMs),
    scrapeTimeout: formatDuration(target.scrapeTimeoutMs),
  };
}

function healthWord(health: ScrapeHealthView | undefined): 'up' | 'down' | 'unknown' {
  if (!health) return 'unknown';
  return health.up ? 'up' : 'down';
}
