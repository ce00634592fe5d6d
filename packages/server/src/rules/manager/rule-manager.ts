import type { Labels } from '../../query/promql/labels.ts';
import { STALE_NAN } from '../../query/promql/values.ts';
import type { RuleGroupSpec } from '../rule-types.ts';
import { attachSavedState, snapshotAlertState } from './alert-restore.ts';
import { loadAlertState, saveAlertState, type SavedState } from './alert-state-file.ts';
import { firstSlotAfter, latestDueSlot, slotAtOrBefore } from './group-schedule.ts';
import type { AlertView, RuleGroupView, RuleManagerOptions } from './manager-types.ts';
import { evaluateGroup, oneSample, type EvaluationDeps } from './rule-evaluation.ts';
import { compileGroup, copyState, sameGroup, type GroupRuntime } from './rule-runtime.ts';
import { alertViews, groupViews } from './rule-views.ts';

const DEFAULT_RESEND_DELAY_MS = 60_000;
const DEFAULT_FOR_GRACE_PERIOD_MS = 10 * 60_000;
const DEFAULT_OUTAGE_TOLERANCE_MS = 60 * 60_000;
const DRIVER_TICK_MS = 1000;

/** Series of a group a reload removed, marked stale two intervals later (Group.run's markStale). */
interface RetiredGroup {
  series: Labels[];
  intervalMs: number;
  queryOffsetMs: number;
  removedAtMs?: number;
}

/**
 * Evaluates recording and alerting rules as Prometheus's rule manager does (rules/manager.go,
 * group.go, alerting.go, recording.go): groups on hash-offset slots, rules in order with results
 * written before the next rule runs, the alert state machine with `for` and `keep_firing_for`,
 * ALERTS / ALERTS_FOR_STATE series, stale markers, notifications with resend and endsAt, and alert
 * state that survives restarts. Time is explicit: {@link evaluateDue} takes the current time, so
 * tests drive it in simulated time and {@link start} drives it from the clock.
 *
 * @example
 * const manager = new RuleManager({ engine, store, sinks: [notifier], evaluationIntervalMs: 60_000,
 *   externalLabels: {}, externalURL: 'http://vigil:16700', statePath: 'data/alert-state.json' });
 * manager.setGroups(groups);
 * manager.start();
 * // … on shutdown:
 * await manager.close();
 */
export class RuleManager {
  private readonly deps: EvaluationDeps;
  private groupsByKey = new Map<string, GroupRuntime>();
  private retired: RetiredGroup[] = [];
  private savedState: SavedState | undefined;
  private loaded = false;
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;
  private closed = false;
  private truncationLogged = false;

  constructor(private readonly options: RuleManagerOptions) {
    if (!(options.evaluationIntervalMs > 0)) throw new Error('evaluationIntervalMs must be positive');
    const log = options.log ?? ((line: string) => console.error(line));
    this.deps = {
      engine: options.engine,
      store: options.store,
      sinks: options.sinks,
      history: options.history,
      externalLabels: options.externalLabels,
      externalURL: options.externalURL.replace(/\/+$/, ''),
      pathPrefix: pathPrefixOf(options.externalURL),
      resendDelayMs: options.resendDelayMs ?? DEFAULT_RESEND_DELAY_MS,
      forGracePeriodMs: options.forGracePeriodMs ?? DEFAULT_FOR_GRACE_PERIOD_MS,
      outageToleranceMs: options.outageToleranceMs ?? DEFAULT_OUTAGE_TOLERANCE_MS,
      log,
    };
    if (options.statePath) this.savedState = loadAlertState(options.statePath, log);
  }

  /**
   * Replaces the rule groups (a reload). Unchanged groups keep running as they are; changed ones
   * keep the alert state of rules with the same name and labels; removed ones have their series
   * marked stale. The first call also restores alert state saved by a previous run.
   */
  setGroups(groups: readonly RuleGroupSpec[]): void {
    const next = new Map<string, GroupRuntime>();
    for (const spec of groups) {
      const group = compileGroup(spec, this.options.evaluationIntervalMs);
      const old = this.groupsByKey.get(group.key);
      if (old && sameGroup(old, group)) {
        next.set(group.key, old);
        continue;
      }
      if (old) copyState(group, old);
      else if (!this.loaded) attachSavedState(group, this.savedState);
      next.set(group.key, group);
    }
    for (const [key, old] of this.groupsByKey) {
      if (next.has(key)) continue;
      const series = old.rules.flatMap((rule) => [...rule.runtime.seriesInPreviousEval.values()]);
      series.push(...old.staleSeries);
      if (series.length > 0)
        this.retired.push({ series, intervalMs: old.intervalMs, queryOffsetMs: old.spec.queryOffsetMs });
    }
    this.groupsByKey = next;
    this.loaded = true;
    this.savedState = undefined;
  }

  /** Evaluates every group whose next slot is ≤ nowMs, in slot order, once each (missed slots are skipped). */
  evaluateDue(nowMs: number): Promise<void> {
    return this.exclusive(async () => {
      await this.writeRetiredStaleMarkers(nowMs);
      const due: { group: GroupRuntime; slotMs: number }[] = [];
      for (const group of this.groupsByKey.values()) {
        group.nextSlotMs ??= firstSlotAfter(nowMs, group.intervalMs, group.offsetMs);
        if (group.nextSlotMs <= nowMs)
          due.push({ group, slotMs: latestDueSlot(group.nextSlotMs, nowMs, group.intervalMs) });
      }
      due.sort((a, b) => a.slotMs - b.slotMs || (a.group.key < b.group.key ? -1 : 1));
      for (const { group, slotMs } of due) {
        await evaluateGroup(group, slotMs, this.deps);
        group.nextSlotMs = slotMs + group.intervalMs;
      }
      if (due.length > 0) await this.persist();
    });
  }

  /** Evaluates one group (key `file;name`) at exactly `timeMs`; its schedule moves past that time. */
  evaluateGroupAt(groupKey: string, timeMs: number): Promise<void> {
    return this.exclusive(async () => {
      const group = this.groupsByKey.get(groupKey);
      if (!group) throw new Error(`no rule group ${JSON.stringify(groupKey)}`);
      await evaluateGroup(group, timeMs, this.deps);
      const following = slotAtOrBefore(timeMs, group.intervalMs, group.offsetMs) + group.intervalMs;
      if (group.nextSlotMs !== undefined) group.nextSlotMs = Math.max(group.nextSlotMs, following);
      await this.persist();
    });
  }

  /** Evaluates due groups every second from the wall clock; the timer does not keep the process alive. */
  start(): void {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => this.tick(), DRIVER_TICK_MS);
    this.timer.unref();
  }

  /** Stops the driver, waits for an evaluation in flight and saves the alert state. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.exclusive(async () => {
      this.closed = true;
      await this.persist();
    });
  }

  /** Groups sorted by file and name, with their rules' health and alerts. */
  groups(): RuleGroupView[] {
    return groupViews(this.groupsByKey.values());
  }

  /** Pending and firing alerts of all rules. */
  alerts(): AlertView[] {
    return alertViews(this.groupsByKey.values());
  }

  private tick(): void {
    if (this.ticking) return;
    this.ticking = true;
    this.evaluateDue(Date.now())
      .catch((error: unknown) => this.deps.log(`rules: evaluation failed: ${describe(error)}`))
      .finally(() => {
        this.ticking = false;
      });
  }

  /** One evaluation at a time, in call order; nothing runs once closed. */
  private exclusive(work: () => Promise<void>): Promise<void> {
    const run = this.chain.then(() => (this.closed ? undefined : work()));
    this.chain = run.catch(() => undefined);
    return run;
  }

  /**
   * Removed groups' series get stale markers at the time they were first seen removed, written
   * two intervals later so a rule that moved to another group has written first (the store then
   * rejects the older marker).
   */
  private async writeRetiredStaleMarkers(nowMs: number): Promise<void> {
    const waiting: RetiredGroup[] = [];
    for (const group of this.retired) {
      group.removedAtMs ??= nowMs;
      if (nowMs < group.removedAtMs + 2 * group.intervalMs) {
        waiting.push(group);
        continue;
      }
      const markerTimeMs = group.removedAtMs - group.queryOffsetMs;
      try {
        await this.options.store.writeSamples(
          group.series.map((labels) => oneSample(labels, markerTimeMs, STALE_NAN)),
        );
      } catch (error: unknown) {
        this.deps.log(`rules: stale markers of a removed group failed: ${describe(error)}`);
      }
    }
    this.retired = waiting;
  }

  private async persist(): Promise<void> {
    if (!this.options.statePath) return;
    const { state, truncated } = snapshotAlertState(this.groupsByKey.values());
    if (truncated && !this.truncationLogged) {
      this.truncationLogged = true;
      this.deps.log(
        'rules: too many active alerts to save them all; some will restart their `for` after a restart',
      );
    }
    try {
      await saveAlertState(this.options.statePath, state);
    } catch (error: unknown) {
      this.deps.log(`rules: saving alert state failed: ${describe(error)}`);
    }
  }
}

/** `pathPrefix` in templates: the external URL's path (Prometheus externalURL.Path). */
function pathPrefixOf(externalURL: string): string {
  try {
    return new URL(externalURL).pathname.replace(/\/+$/, '');
  } catch {
    return '';
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export type {
  AlertView,
  AlertingRuleView,
  RecordingRuleView,
  RuleGroupView,
  RuleHealth,
  RuleManagerOptions,
  RuleQueryEngine,
  RuleView,
} from './manager-types.ts';
