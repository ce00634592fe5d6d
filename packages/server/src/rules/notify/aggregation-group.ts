/**
 * An aggregation group (Alertmanager dispatch/group.go aggrGroup): the alerts of one route with
 * the same group_by label values, flushed group_wait after the group appears and then every
 * group_interval.
 */
import { isResolved, type StoredAlert } from './alert-store.ts';
import { sortedNames, type LabelSet } from './label-set.ts';
import type { Route } from './route-tree.ts';
import type { FlushedAlert } from './template-data.ts';

export class AggregationGroup {
  /** Alertmanager's GroupKey(): `{route key}:{group labels}`. */
  readonly key: string;
  private readonly alerts = new Map<string, StoredAlert>();
  private nextFlushAtMs: number;
  private hasFlushed = false;
  /** A flush is delivering; the next one waits for it. */
  flushing = false;

  constructor(
    readonly route: Route,
    readonly labels: LabelSet,
    labelsString: string,
    nowMs: number,
  ) {
    this.key = `${route.key}:${labelsString}`;
    this.nextFlushAtMs = nowMs + route.options.groupWaitMs;
  }

  /**
   * Adds or replaces an alert. Before the first flush, an alert that started more than group_wait
   * ago makes the group flush now: waiting longer would only delay a notification that is due.
   */
  insert(alert: StoredAlert, nowMs: number): void {
    this.alerts.set(alert.fingerprint, alert);
    if (!this.hasFlushed && alert.startsAtMs + this.route.options.groupWaitMs < nowMs)
      this.nextFlushAtMs = nowMs;
  }

  get empty(): boolean {
    return this.alerts.size === 0;
  }

  get size(): number {
    return this.alerts.size;
  }

  isDue(nowMs: number): boolean {
    return !this.flushing && !this.empty && this.nextFlushAtMs <= nowMs;
  }

  /**
   * Starts a flush (aggrGroup.run + flush): the alerts as of now, firing ones with endsAt zeroed,
   * sorted as types.AlertSlice sorts; the next flush is one group_interval later.
   */
  beginFlush(nowMs: number): { alerts: FlushedAlert[]; snapshot: StoredAlert[] } {
    this.nextFlushAtMs = nowMs + this.route.options.groupIntervalMs;
    this.hasFlushed = true;
    this.flushing = true;
    const snapshot = [...this.alerts.values()].sort(compareAlerts);
    const alerts = snapshot.map((alert): FlushedAlert => {
      const resolved = isResolved(alert, nowMs);
      return {
        fingerprint: alert.fingerprint,
        labels: alert.labels,
        annotations: alert.annotations,
        startsAtMs: alert.startsAtMs,
        endsAtMs: resolved ? alert.endsAtMs : 0,
        generatorURL: alert.generatorURL,
        status: resolved ? 'resolved' : 'firing',
        activeUntilMs: alert.endsAtMs,
      };
    });
    return { alerts, snapshot };
  }

  /**
   * Ends a flush. After a successful one the resolved alerts were notified and are dropped,
   * unless they changed (fired again) during the flush (DeleteIfNotModified).
   */
  endFlush(succeeded: boolean, snapshot: readonly StoredAlert[], flushedAtMs: number): void {
    this.flushing = false;
    if (!succeeded) return;
    for (const alert of snapshot) {
      if (isResolved(alert, flushedAtMs) && this.alerts.get(alert.fingerprint) === alert)
        this.alerts.delete(alert.fingerprint);
    }
  }
}

/** types.AlertSlice.Less: by job, then instance, then label set (LabelSet.Before). */
export function compareAlerts(a: { labels: LabelSet }, b: { labels: LabelSet }): number {
  for (const key of ['job', 'instance']) {
    const aHas = Object.hasOwn(a.labels, key);
    const bHas = Object.hasOwn(b.labels, key);
    if (!aHas && !bHas) continue;
    if (!aHas) return 1;
    if (!bHas) return -1;
    const av = a.labels[key] ?? '';
    const bv = b.labels[key] ?? '';
    if (av !== bv) return av < bv ? -1 : 1;
  }
  return labelSetBefore(a.labels, b.labels) ? -1 : labelSetBefore(b.labels, a.labels) ? 1 : 0;
}

/** model.LabelSet.Before: fewer labels first, then the first differing value in name order. */
function labelSetBefore(a: LabelSet, b: LabelSet): boolean {
  const aNames = Object.keys(a);
  const bNames = Object.keys(b);
  if (aNames.length !== bNames.length) return aNames.length < bNames.length;
  for (const name of sortedNames({ ...a, ...b })) {
    if (!Object.hasOwn(a, name)) return true;
    if (!Object.hasOwn(b, name)) return false;
    const av = a[name] ?? '';
    const bv = b[name] ?? '';
    if (av !== bv) return av < bv;
  }
  return false;
}
