/**
 * Test support: a Notifier over an alertmanager.yml whose receivers post to local capture
 * servers, with a simulated clock and fast retries.
 */
import type { NotifierAlert } from '../rule-types.ts';
import { startCaptureServer, type CaptureServer } from './capture-server.ts';
import { Notifier, type NotifierOptions } from './notifier.ts';
import { parseNotificationConfig } from './parse-notify-config.ts';

export const T0 = Date.parse('2024-05-01T12:00:00Z');
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;

export interface NotifierFixture {
  notifier: Notifier;
  /** Capture servers by name; `{{name}}` in the config is replaced by its URL. */
  servers: Record<string, CaptureServer>;
  clock: { nowMs: number };
  logLines: string[];
  /** Sends alerts at `atMs` (the clock moves there). */
  send(atMs: number, alerts: readonly NotifierAlert[]): void;
  /** Moves the clock and runs the notifier's due work. */
  tick(atMs: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * @example
 * const f = await startNotifierFixture(['hook'], 'route: {receiver: r}\nreceivers: [{name: r, webhook_configs: [{url: "{{hook}}"}]}]');
 */
export async function startNotifierFixture(
  serverNames: readonly string[],
  configText: string,
  options: Partial<NotifierOptions> = {},
): Promise<NotifierFixture> {
  const servers: Record<string, CaptureServer> = {};
  for (const name of serverNames) servers[name] = await startCaptureServer();
  const text = configText.replace(
    /\{\{(\w+)\}\}/g,
    (_, name: string) => servers[name]?.url ?? 'http://127.0.0.1:9',
  );
  const clock = { nowMs: T0 };
  const logLines: string[] = [];
  const notifier = new Notifier({
    config: parseNotificationConfig(text, 'test.yml'),
    externalURL: 'http://vigil.example:16700',
    now: () => clock.nowMs,
    log: (line) => logLines.push(line),
    retryPolicy: { initialBackoffMs: 1, maxBackoffMs: 4, timeoutMs: 5000, maxAttempts: 3 },
    ...options,
  });
  return {
    notifier,
    servers,
    clock,
    logLines,
    send(atMs, alerts) {
      clock.nowMs = atMs;
      notifier.send(alerts);
    },
    async tick(atMs) {
      clock.nowMs = atMs;
      await notifier.tick(atMs);
    },
    async close() {
      await notifier.close();
      await Promise.all(Object.values(servers).map((server) => server.close()));
    },
  };
}

/** A firing alert from the rule manager, valid for a day unless `endsAtMs` says otherwise. */
export function ruleAlert(
  labels: Record<string, string>,
  startsAtMs: number,
  extra: Partial<NotifierAlert> = {},
): NotifierAlert {
  return {
    labels,
    annotations: {},
    startsAtMs,
    endsAtMs: startsAtMs + 24 * HOUR,
    generatorURL: `http://vigil.example:16700/graph?g0.expr=${encodeURIComponent(labels['alertname'] ?? '')}`,
    ...extra,
  };
}

/** The alerts of a captured webhook message as `name:status` strings. */
export function alertSummary(body: unknown): string[] {
  const alerts = (body as { alerts: { labels: Record<string, string>; status: string }[] }).alerts;
  return alerts.map(
    (a) =>
      `${a.labels['alertname'] ?? ''}${a.labels['instance'] ? `/${a.labels['instance']}` : ''}:${a.status}`,
  );
}
