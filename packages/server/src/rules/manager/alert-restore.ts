import { labelsFrom, labelsKey, labelsToRecord } from '../../query/promql/labels.ts';
import { MAX_SAVED_ALERTS, type SavedAlert, type SavedGroup, type SavedState } from './alert-state-file.ts';
import type { CompiledRule, GroupRuntime } from './rule-runtime.ts';

/**
 * Alert state across restarts, with Prometheus's restore rules (Group.RestoreForState): state
 * older than the outage tolerance is forgotten; a pending alert's `for` clock is moved on by the
 * outage so time spent down does not count as time pending, but never leaves less than the
 * grace period before it fires; rules whose `for` is shorter than the grace period start over.
 * Where Prometheus can only restore ActiveAt (from ALERTS_FOR_STATE) and so briefly shows a firing
 * alert as pending again, the state file keeps firing alerts firing, with their firing time.
 */

export interface RestoreSettings {
  forGracePeriodMs: number;
  outageToleranceMs: number;
}

/** Gives each alerting rule of a freshly loaded group its saved alerts (the first load only). */
export function attachSavedState(group: GroupRuntime, state: SavedState | undefined): void {
  const saved = state?.groups.find((candidate) => candidate.key === group.key);
  if (!saved) return;
  const unclaimed = [...saved.rules];
  for (const rule of group.rules) {
    if (rule.kind !== 'alerting') continue;
    const index = unclaimed.findIndex((candidate) => candidate.identity === rule.identity);
    const [match] = index >= 0 ? unclaimed.splice(index, 1) : [];
    if (match) rule.runtime.restore = { rule: match, downAtMs: saved.lastEvaluationMs };
  }
}

/** Puts a rule's saved alerts back before its first evaluation after a restart. */
export function restoreAlerts(rule: CompiledRule, timeMs: number, settings: RestoreSettings): void {
  const saved = rule.runtime.restore;
  rule.runtime.restore = undefined;
  if (!saved || timeMs - saved.downAtMs > settings.outageToleranceMs) return;
  for (const alert of saved.rule.alerts) {
    const activeAtMs = restoredActiveAt(alert, rule.forMs, saved.downAtMs, timeMs, settings);
    if (activeAtMs === undefined) continue;
    const labels = labelsFrom(alert.labels);
    const key = labelsKey(labels);
    if (rule.runtime.active.has(key)) continue;
    rule.runtime.active.set(key, {
      labels,
      key,
      annotations: { ...alert.annotations },
      state: alert.state,
      value: Number(alert.value),
      activeAtMs,
      firedAtMs: alert.firedAtMs,
      keepFiringSinceMs: alert.keepFiringSinceMs,
    });
  }
}

/** The ActiveAt a saved alert resumes with; undefined when it must start over. */
function restoredActiveAt(
  alert: SavedAlert,
  holdMs: number,
  downAtMs: number,
  nowMs: number,
  settings: RestoreSettings,
): number | undefined {
  if (alert.state === 'firing') return alert.activeAtMs;
  // Upstream skips rules with a short `for`: making them wait the grace period would be longer.
  if (holdMs < settings.forGracePeriodMs) return undefined;
  const remainingMs = holdMs - (downAtMs - alert.activeAtMs);
  if (remainingMs <= 0) return alert.activeAtMs;
  if (remainingMs < settings.forGracePeriodMs) return nowMs + settings.forGracePeriodMs - holdMs;
  return alert.activeAtMs + (nowMs - downAtMs);
}

/**
 * The state to save: pending and firing alerts of every evaluated group, and the still unused
 * saved state of groups not evaluated since the restart (so a quick restart loses nothing).
 * `truncated` is set when MAX_SAVED_ALERTS cut the list.
 */
export function snapshotAlertState(groups: Iterable<GroupRuntime>): {
  state: SavedState;
  truncated: boolean;
} {
  const budget = { left: MAX_SAVED_ALERTS, truncated: false };
  const saved: SavedGroup[] = [];
  for (const group of groups) {
    const snapshot = snapshotGroup(group, budget);
    if (snapshot) saved.push(snapshot);
  }
  return { state: { version: 1, groups: saved }, truncated: budget.truncated };
}

function snapshotGroup(
  group: GroupRuntime,
  budget: { left: number; truncated: boolean },
): SavedGroup | undefined {
  const rules = group.rules.filter((rule) => rule.kind === 'alerting');
  if (group.lastEvaluationMs === undefined) {
    const pending = rules.flatMap((rule) => (rule.runtime.restore ? [rule.runtime.restore] : []));
    const first = pending[0];
    if (!first) return undefined;
    return {
      key: group.key,
      lastEvaluationMs: first.downAtMs,
      rules: pending.map((restore) => restore.rule),
    };
  }
  const savedRules = rules.map((rule) => ({ identity: rule.identity, alerts: activeAlerts(rule, budget) }));
  return {
    key: group.key,
    lastEvaluationMs: group.lastEvaluationMs,
    rules: savedRules.filter((rule) => rule.alerts.length > 0),
  };
}

function activeAlerts(rule: CompiledRule, budget: { left: number; truncated: boolean }): SavedAlert[] {
  const alerts: SavedAlert[] = [];
  for (const alert of rule.runtime.active.values()) {
    if (alert.state === 'inactive') continue;
    if (budget.left <= 0) {
      budget.truncated = true;
      break;
    }
    budget.left--;
    const saved: SavedAlert = {
      labels: labelsToRecord(alert.labels),
      annotations: alert.annotations,
      state: alert.state,
      activeAtMs: alert.activeAtMs,
      value: String(alert.value),
    };
    if (alert.firedAtMs !== undefined) saved.firedAtMs = alert.firedAtMs;
    if (alert.keepFiringSinceMs !== undefined) saved.keepFiringSinceMs = alert.keepFiringSinceMs;
    alerts.push(saved);
  }
  return alerts;
}
