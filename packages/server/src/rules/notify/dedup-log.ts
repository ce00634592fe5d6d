/**
 * What each integration was last told about each group (Alertmanager's nflog), and the decision
 * of notify.go's DedupStage.needsUpdate: notify on new firing alerts, on newly resolved ones when
 * send_resolved, when everything resolved, and otherwise only after repeat_interval.
 */

interface DedupEntry {
  firing: ReadonlySet<string>;
  resolved: ReadonlySet<string>;
  timestampMs: number;
}

/** The fingerprints of one flush, split by status. */
export interface FlushSets {
  firing: ReadonlySet<string>;
  resolved: ReadonlySet<string>;
}

const isSubset = (subset: ReadonlySet<string>, set: ReadonlySet<string>): boolean =>
  [...subset].every((item) => set.has(item));

export class DedupLog {
  private readonly entries = new Map<string, DedupEntry>();

  constructor(
    /** Entries older than this are forgotten (nflog retention; Alertmanager's default 120h). */
    private readonly retentionMs: number,
    private readonly maxEntries: number,
  ) {}

  /** DedupStage.needsUpdate for the integration's last entry. */
  needsUpdate(
    key: string,
    sets: FlushSets,
    sendResolved: boolean,
    repeatIntervalMs: number,
    nowMs: number,
  ): boolean {
    const entry = this.entries.get(key);
    // Never notified about this group: notify unless all alerts are resolved.
    if (entry === undefined) return sets.firing.size > 0;
    if (!isSubset(sets.firing, entry.firing)) return true;
    // All resolved: notify (regardless of send_resolved) only if the receiver saw them firing,
    // so the log is cleared; alerts that fired and resolved within one interval are not sent.
    if (sets.firing.size === 0) return entry.firing.size > 0;
    if (sendResolved && !isSubset(sets.resolved, entry.resolved)) return true;
    return entry.timestampMs <= nowMs - repeatIntervalMs;
  }

  /** SetNotifiesStage: records a successful notification. */
  record(key: string, sets: FlushSets, nowMs: number): void {
    if (!this.entries.has(key) && this.entries.size >= this.maxEntries) this.collectGarbage(nowMs);
    if (!this.entries.has(key) && this.entries.size >= this.maxEntries) {
      // Still full: forget the oldest entry; at worst that group is notified once more.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.delete(key);
    this.entries.set(key, {
      firing: new Set(sets.firing),
      resolved: new Set(sets.resolved),
      timestampMs: nowMs,
    });
  }

  collectGarbage(nowMs: number): void {
    for (const [key, entry] of this.entries)
      if (entry.timestampMs + this.retentionMs <= nowMs) this.entries.delete(key);
  }
}
