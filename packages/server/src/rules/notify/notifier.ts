/**
 * Vigil's built-in Alertmanager: receives alerts (from the rule manager, or from any Prometheus
 * through the /api/v2/alerts API), routes, groups, inhibits, silences and delivers them to the
 * receivers of an alertmanager.yml. Deterministic: `tick(nowMs)` does all work that is due, so
 * tests drive simulated time; `start()` calls it every second in production.
 */
import type { AlertSink, NotifierAlert } from '../rule-types.ts';
import { AlertStore, isResolved, type IncomingAlert, type StoredAlert } from './alert-store.ts';
import { DedupLog } from './dedup-log.ts';
import { Dispatcher } from './dispatcher.ts';
import { flushGroup } from './flush-group.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './http-delivery.ts';
import { Inhibitor } from './inhibitor.ts';
import { buildIntegrations, type Integration } from './integrations/integration.ts';
import { NotificationLog, type NotificationQuery, type NotificationRecord } from './notification-log.ts';
import type { NotificationConfig } from './notify-config.ts';
import { notifyMetrics } from './notify-metrics.ts';
import { Route } from './route-tree.ts';
import { Silences } from './silences.ts';

export interface NotifierOptions {
  config: NotificationConfig;
  /** Vigil's external URL, sent as `externalURL` in notifications. */
  externalURL?: string;
  /** Directory for silences.json; silences are in memory only without it. */
  dataDir?: string;
  /** Expired silences and notification dedup entries are kept this long (default 120h). */
  retentionMs?: number;
  maxSilences?: number;
  /** Alerts held at once (default 20,000) and aggregation groups (default 10,000). */
  maxAlerts?: number;
  maxGroups?: number;
  /** Entries of the queryable notification log (default 1,000). */
  notificationLogSize?: number;
  retryPolicy?: Partial<RetryPolicy>;
  /** Clock for alerts arriving through `send` and the API (default Date.now). */
  now?: () => number;
  /** One line per failed delivery; never holds URLs or payloads. */
  log?: (line: string) => void;
}

/** An alert as the API shows it: with its receivers and why it is muted. */
export interface AlertView {
  alert: StoredAlert;
  receivers: string[];
  silencedBy: string[];
  inhibitedBy: string[];
  /** `suppressed` when silenced or inhibited (types.AlertState). */
  state: 'active' | 'suppressed';
}

const DEFAULT_RETENTION_MS = 120 * 3_600_000;
/** How long resolved alerts stay in the store, as Alertmanager's 30 min alert GC interval. */
const RESOLVED_ALERT_RETENTION_MS = 30 * 60_000;
const TICK_INTERVAL_MS = 1000;

/**
 * @example
 * const notifier = new Notifier({ config: parseNotificationConfig(text, path), dataDir, externalURL });
 * notifier.start();
 * ruleManager.addSink(notifier);
 */
export class Notifier implements AlertSink {
  readonly silences: Silences;
  private readonly store: AlertStore;
  private readonly dispatcher: Dispatcher;
  private readonly inhibitor: Inhibitor;
  private readonly integrations = new Map<string, Integration[]>();
  private readonly dedup: DedupLog;
  private readonly notificationLog: NotificationLog;
  private readonly now: () => number;
  private readonly log: (line: string) => void;
  private readonly abort = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: NotifierOptions) {
    const retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
    this.now = options.now ?? Date.now;
    this.log = options.log ?? ((line) => console.error(line));
    this.silences = new Silences({ dir: options.dataDir, retentionMs, maxSilences: options.maxSilences });
    this.store = new AlertStore(options.maxAlerts ?? 20_000);
    this.dispatcher = new Dispatcher(new Route(options.config.route), options.maxGroups ?? 10_000);
    this.inhibitor = new Inhibitor(options.config.inhibitRules);
    this.dedup = new DedupLog(retentionMs, 100_000);
    this.notificationLog = new NotificationLog(options.notificationLogSize ?? 1000);
    const policy = { ...DEFAULT_RETRY_POLICY, ...options.retryPolicy };
    for (const receiver of options.config.receivers)
      this.integrations.set(receiver.name, buildIntegrations(receiver, policy, options.config.templates));
  }

  /** The notifier's clock (the API uses it, so tests with a simulated clock see one time). */
  currentTimeMs(): number {
    return this.now();
  }

  /** `global.resolve_timeout`: the endsAt API alerts without one get. */
  get resolveTimeoutMs(): number {
    return this.options.config.global.resolveTimeoutMs;
  }

  /** AlertSink: alerts from the rule manager, at the notifier's clock. */
  send(alerts: readonly NotifierAlert[]): void {
    this.put(
      alerts.map((alert) => ({ ...alert, timeout: false })),
      this.now(),
    );
  }

  /** Stores alerts and sorts them into groups; returns how many were taken. */
  put(alerts: readonly IncomingAlert[], nowMs: number = this.now()): number {
    let taken = 0;
    for (const incoming of alerts) {
      notifyMetrics.alertsReceived.inc({ status: isResolved(incoming, nowMs) ? 'resolved' : 'firing' });
      const stored = this.store.put(incoming, nowMs);
      if (stored === undefined) {
        notifyMetrics.alertsDropped.inc({ reason: 'alert_limit' });
        continue;
      }
      const refused = this.dispatcher.dispatch(stored, nowMs);
      if (refused > 0) notifyMetrics.alertsDropped.inc({ reason: 'group_limit' }, refused);
      taken++;
    }
    return taken;
  }

  /** Does all work due at `nowMs` and resolves when the deliveries it started are done. */
  async tick(nowMs: number): Promise<void> {
    this.store.collectGarbage(nowMs, RESOLVED_ALERT_RETENTION_MS);
    this.silences.collectGarbage(nowMs);
    this.dedup.collectGarbage(nowMs);
    this.dispatcher.removeEmpty();
    const due = this.dispatcher.due(nowMs);
    if (due.length === 0) return;
    const firing = this.store.list().filter((alert) => !isResolved(alert, nowMs));
    const deps = {
      integrations: this.integrations,
      inhibitor: this.inhibitor,
      silences: this.silences,
      firing,
      timeIntervals: this.options.config.timeIntervals,
      dedup: this.dedup,
      notificationLog: this.notificationLog,
      externalURL: this.options.externalURL ?? '',
      log: this.log,
      signal: this.abort.signal,
    };
    const flushes = due.map((group) => this.track(flushGroup(group, deps, nowMs)));
    await Promise.all(flushes);
  }

  /** Runs `tick` every second (unref'd: it never keeps the process alive). */
  start(): void {
    if (this.timer !== undefined) return;
    // A failing tick (e.g. the silences file cannot be written) is logged; the next one retries.
    const run = (): void =>
      void this.tick(this.now()).catch((error: unknown) =>
        this.log(`notify: tick failed: ${describe(error)}`),
      );
    this.timer = setInterval(run, TICK_INTERVAL_MS);
    this.timer.unref();
  }

  /** Stops the timer, cuts retries short and waits for deliveries in flight. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.abort.abort();
    await Promise.all(this.inFlight);
  }

  /** The alerts not yet resolved, with receivers and muting (GET /api/v2/alerts). */
  alerts(nowMs: number = this.now()): AlertView[] {
    const all = this.store.list();
    const firing = all.filter((alert) => !isResolved(alert, nowMs));
    return firing.map((alert) => {
      const silencedBy = this.silences.mutedBy(alert.labels, nowMs);
      const inhibitedBy = this.inhibitor.inhibitedBy(alert.labels, firing);
      const suppressed = silencedBy.length > 0 || inhibitedBy.length > 0;
      return {
        alert,
        receivers: this.dispatcher.receiversFor(alert.labels),
        silencedBy,
        inhibitedBy,
        state: suppressed ? 'suppressed' : 'active',
      };
    });
  }

  /** The notification log, newest first. */
  notifications(query: NotificationQuery = {}): NotificationRecord[] {
    return this.notificationLog.query(query);
  }

  /** The receiver names of the config. */
  receiverNames(): string[] {
    return this.options.config.receivers.map((receiver) => receiver.name);
  }

  private track(flush: Promise<void>): Promise<void> {
    const tracked = flush.catch((error: unknown) =>
      this.log(`notify: flush failed: ${(error as Error).name}`),
    );
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
    return tracked;
  }
}

/** An error's class (and errno code), never its message: messages may quote URLs or payloads. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const code = (error as NodeJS.ErrnoException).code;
  return code === undefined ? error.name : `${error.name} ${code}`;
}
