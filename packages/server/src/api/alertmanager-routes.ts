/**
 * Alertmanager API v2 on Vigil's API port (/api/v2/alerts, /api/v2/silences, /api/v2/silence/{id}),
 * so a Prometheus can use Vigil as its Alertmanager and amtool-style clients manage silences, plus
 * Vigil's notification log at /api/vigil/v1/notifications.
 */
import {
  AmApiInputError,
  gettableAlert,
  gettableSilence,
  parsePostableAlerts,
  parsePostableSilence,
} from '../rules/notify/am-api-json.ts';
import { matchesAll, MatcherError, parseMatchers, type CompiledMatcher } from '../rules/notify/matchers.ts';
import type { Notifier } from '../rules/notify/notifier.ts';
import { SilenceError } from '../rules/notify/silences.ts';
import { compilePromRegex } from '../model/prom-series.ts';
import { ApiError } from './api-error.ts';
import { sendJson } from './http-io.ts';
import { readJsonBody } from './json-body.ts';
import type { RequestContext, Router } from './router.ts';

/**
 * Registers the Alertmanager-compatible routes for a notifier.
 *
 * @example
 * registerAlertmanagerRoutes(router, notifier);
 * // prometheus.yml: alerting: { alertmanagers: [{ static_configs: [{ targets: ['vigil:16700'] }] }] }
 */
export function registerAlertmanagerRoutes(router: Router, notifier: Notifier): void {
  router.post('/api/v2/alerts', 'vigil', (context) => postAlerts(context, notifier));
  router.get('/api/v2/alerts', 'vigil', ({ response, query }) => {
    sendJson(response, 200, listAlerts(notifier, query));
  });
  router.get('/api/v2/silences', 'vigil', ({ response, query }) => {
    const filter = filterMatchers(query);
    const nowMs = notifier.currentTimeMs();
    const silences = notifier.silences.list(nowMs).filter((silence) => {
      // api/v2 CheckFiltersForSilence: each filter must match the silence's matcher of that name.
      const values = new Map(silence.matchers.map((m) => [m.name, m.value]));
      return filter.every((m) => values.has(m.name) && m.matches(values.get(m.name) ?? ''));
    });
    sendJson(
      response,
      200,
      silences.map((silence) => gettableSilence(silence, nowMs)),
    );
  });
  router.post('/api/v2/silences', 'vigil', (context) => postSilence(context, notifier));
  router.get('/api/v2/silence/{id}', 'vigil', ({ response, pathParams }) => {
    const silence = notifier.silences.get(pathParams['id'] ?? '');
    if (silence === undefined) throw new ApiError(404, 'silence not found');
    sendJson(response, 200, gettableSilence(silence, notifier.currentTimeMs()));
  });
  router.delete('/api/v2/silence/{id}', 'vigil', ({ response, pathParams }) => {
    withSilenceErrors(() => notifier.silences.expire(pathParams['id'] ?? '', notifier.currentTimeMs()));
    sendJson(response, 200, {});
  });
  router.get('/api/vigil/v1/notifications', 'vigil', ({ response, query }) => {
    sendJson(response, 200, { notifications: listNotifications(notifier, query) });
  });
}

async function postAlerts(context: RequestContext, notifier: Notifier): Promise<void> {
  const body = await readJsonBody(context);
  const nowMs = notifier.currentTimeMs();
  let parsed;
  try {
    parsed = parsePostableAlerts(body, nowMs, notifier.resolveTimeoutMs);
  } catch (error: unknown) {
    if (error instanceof AmApiInputError) throw new ApiError(400, error.message);
    throw error;
  }
  // Like Alertmanager, the valid alerts are taken even when others in the batch are invalid.
  notifier.put(parsed.alerts, nowMs);
  if (parsed.errors.length > 0) throw new ApiError(400, parsed.errors.join('; '));
  context.response.writeHead(200, { 'content-length': 0 });
  context.response.end();
}

function listAlerts(notifier: Notifier, query: URLSearchParams): Record<string, unknown>[] {
  const filter = filterMatchers(query);
  const flag = (name: string): boolean => query.get(name) !== 'false';
  const receiver = query.get('receiver');
  let receiverRegex: RegExp | undefined;
  if (receiver !== null && receiver !== '') {
    try {
      receiverRegex = compilePromRegex(receiver);
    } catch {
      throw new ApiError(400, 'receiver is not a valid regular expression');
    }
  }
  return notifier
    .alerts()
    .filter((view) => {
      if (receiverRegex && !view.receivers.some((name) => receiverRegex.test(name))) return false;
      if (view.state === 'active' && !flag('active')) return false;
      if (view.silencedBy.length > 0 && !flag('silenced')) return false;
      if (view.inhibitedBy.length > 0 && !flag('inhibited')) return false;
      return matchesAll(filter, view.alert.labels);
    })
    .sort((a, b) => (a.alert.fingerprint < b.alert.fingerprint ? -1 : 1))
    .map(gettableAlert);
}

async function postSilence(context: RequestContext, notifier: Notifier): Promise<void> {
  const body = await readJsonBody(context);
  let input;
  try {
    input = parsePostableSilence(body);
  } catch (error: unknown) {
    if (error instanceof AmApiInputError) throw new ApiError(400, error.message);
    throw error;
  }
  const silenceID = withSilenceErrors(() => notifier.silences.set(input, notifier.currentTimeMs()));
  sendJson(context.response, 200, { silenceID });
}

function withSilenceErrors<T>(operation: () => T): T {
  try {
    return operation();
  } catch (error: unknown) {
    if (!(error instanceof SilenceError)) throw error;
    const status = error.kind === 'not_found' ? 404 : error.kind === 'limit' ? 429 : 400;
    throw new ApiError(
      status,
      error.kind === 'invalid' ? `failed to create silence: ${error.message}` : error.message,
    );
  }
}

function filterMatchers(query: URLSearchParams): CompiledMatcher[] {
  try {
    return query.getAll('filter').flatMap((text) => parseMatchers(text));
  } catch (error: unknown) {
    if (error instanceof MatcherError) throw new ApiError(400, 'bad matcher format in filter');
    throw error;
  }
}

function listNotifications(notifier: Notifier, query: URLSearchParams): Record<string, unknown>[] {
  const outcome = query.get('outcome');
  if (outcome !== null && outcome !== 'ok' && outcome !== 'failed')
    throw new ApiError(400, 'outcome must be ok or failed');
  const limitText = query.get('limit');
  const limit = limitText === null ? 100 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1) throw new ApiError(400, 'limit must be a positive integer');
  const receiver = query.get('receiver');
  return notifier
    .notifications({
      ...(receiver !== null ? { receiver } : {}),
      ...(outcome !== null ? { outcome } : {}),
      limit,
    })
    .map(({ atMs, ...record }) => ({ at: new Date(atMs).toISOString(), ...record }));
}
