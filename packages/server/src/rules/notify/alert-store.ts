/**
 * The alerts Vigil's notifier knows, keyed by fingerprint, merged as Alertmanager's in-memory
 * provider merges re-sent alerts (provider/mem Put + types.Alert.Merge): an alert that overlaps
 * the stored one keeps the earliest start, and a later explicit end wins over a timeout end.
 */
import { fingerprint, type LabelSet } from './label-set.ts';

/** An alert as the notifier holds it. Times are Unix ms. */
export interface StoredAlert {
  readonly fingerprint: string;
  readonly labels: LabelSet;
  readonly annotations: LabelSet;
  readonly startsAtMs: number;
  readonly endsAtMs: number;
  readonly generatorURL: string;
  /** When Vigil last received it: the younger of two alerts wins a merge. */
  readonly updatedAtMs: number;
  /** endsAt was not given and was set to now + resolve_timeout (types.Alert.Timeout). */
  readonly timeout: boolean;
}

/** An incoming alert before it is stored. */
export type IncomingAlert = Omit<StoredAlert, 'fingerprint' | 'updatedAtMs'>;

/** Resolved at `nowMs`: endsAt is not after now (types.Alert.ResolvedAt). */
export function isResolved(alert: Pick<StoredAlert, 'endsAtMs'>, nowMs: number): boolean {
  return alert.endsAtMs <= nowMs;
}

/** types.Alert.Merge: `older` and `younger` by updatedAt. */
export function mergeAlerts(older: StoredAlert, younger: StoredAlert, nowMs: number): StoredAlert {
  let startsAtMs = younger.startsAtMs;
  let endsAtMs = younger.endsAtMs;
  if (older.startsAtMs < younger.startsAtMs) startsAtMs = older.startsAtMs;
  if (isResolved(younger, nowMs)) {
    // The latest explicit resolve time wins when both are resolved.
    if (isResolved(older, nowMs) && older.endsAtMs > younger.endsAtMs) endsAtMs = older.endsAtMs;
  } else if (older.endsAtMs > younger.endsAtMs && !older.timeout) {
    // A non-timeout end always rules if it is the latest.
    endsAtMs = older.endsAtMs;
  }
  return { ...younger, startsAtMs, endsAtMs };
}

/** Alerts by fingerprint, bounded; see {@link AlertStore.put}. */
export class AlertStore {
  private readonly alerts = new Map<string, StoredAlert>();

  constructor(private readonly maxAlerts: number) {}

  /**
   * Stores an alert, merged with the stored one when their activity ranges overlap (provider/mem
   * Put). Returns the stored alert, or undefined when the store is full and the alert is new.
   */
  put(incoming: IncomingAlert, nowMs: number): StoredAlert | undefined {
    let alert: StoredAlert = { ...incoming, fingerprint: fingerprint(incoming.labels), updatedAtMs: nowMs };
    const old = this.alerts.get(alert.fingerprint);
    if (old === undefined && this.alerts.size >= this.maxAlerts) return undefined;
    if (old !== undefined) {
      const overlaps =
        (alert.endsAtMs > old.startsAtMs && alert.endsAtMs < old.endsAtMs) ||
        (alert.startsAtMs > old.startsAtMs && alert.startsAtMs < old.endsAtMs);
      if (overlaps) alert = mergeAlerts(old, alert, nowMs);
    }
    this.alerts.set(alert.fingerprint, alert);
    return alert;
  }

  get(fingerprintHex: string): StoredAlert | undefined {
    return this.alerts.get(fingerprintHex);
  }

  list(): StoredAlert[] {
    return [...this.alerts.values()];
  }

  get size(): number {
    return this.alerts.size;
  }

  /** Forgets alerts resolved for longer than `retentionMs` (Alertmanager's periodic alert GC). */
  collectGarbage(nowMs: number, retentionMs: number): void {
    for (const [key, alert] of this.alerts)
      if (alert.endsAtMs + retentionMs <= nowMs) this.alerts.delete(key);
  }
}
