import { labelsKey, METRIC_NAME, type Labels } from '../../query/promql/labels.ts';
import type { AlertState } from '../rule-types.ts';
import type { ExpandedAlert } from './alert-templates.ts';
import type { ActiveAlert, CompiledRule } from './rule-runtime.ts';

/**
 * The alerting rule state machine of Prometheus's rules/alerting.go (AlertingRule.Eval): new
 * results become pending alerts, pending ones fire after `for`, alerts no longer returned resolve
 * (or keep firing for `keep_firing_for`), resolved ones are kept 15 minutes so notifiers hear of
 * the resolution. Also the ALERTS and ALERTS_FOR_STATE series of each evaluation.
 */

/** How long a resolved alert is kept and re-sent as resolved (resolvedRetention). */
export const RESOLVED_RETENTION_MS = 15 * 60_000;

export const DUPLICATE_ALERT_ERROR =
  'vector contains metrics with the same labelset after applying alert labels';

/** One state change of one alert in an evaluation. */
export interface AlertChange {
  alert: ActiveAlert;
  from: AlertState;
  to: AlertState;
  value: number;
}

/** A sample a rule writes: ALERTS, ALERTS_FOR_STATE or a recording rule's result. */
export interface OutputSample {
  labels: Labels;
  value: number;
}

export interface AlertingOutcome {
  changes: AlertChange[];
  series: OutputSample[];
}

/** An expanded result sample, ready to meet the rule's alerts. */
export interface FoundAlert extends ExpandedAlert {
  value: number;
}

/**
 * Applies one evaluation's results at `timeMs`. Throws (leaving state as it was) when two results
 * have the same alert labels; throws after dropping all alerts when more than `limit` are active,
 * as upstream does.
 */
export function applyAlertResults(
  rule: CompiledRule,
  results: readonly FoundAlert[],
  timeMs: number,
  limit: number,
): AlertingOutcome {
  const found = byKey(results, timeMs);
  const active = rule.runtime.active;
  const created = mergeFound(active, found);
  const changes: AlertChange[] = [];
  const current: ActiveAlert[] = [];
  for (const [key, alert] of active) {
    if (found.has(key)) {
      alert.keepFiringSinceMs = undefined;
    } else {
      const missing = resolveMissing(rule, alert, timeMs);
      if (missing.remove) active.delete(key);
      if (missing.change) changes.push(missing.change);
      if (!missing.keepFiring) continue;
    }
    current.push(alert);
    if (alert.state === 'pending' && timeMs - alert.activeAtMs >= rule.forMs) {
      alert.state = 'firing';
      alert.firedAtMs = timeMs;
      // A `for: 0` alert fires in the evaluation that created it: one change, not two.
      const creation = created.get(key);
      if (creation) creation.to = 'firing';
      else changes.push({ alert, from: 'pending', to: 'firing', value: alert.value });
    }
  }
  if (limit > 0 && current.length > limit) {
    active.clear();
    throw new Error(`exceeded limit of ${limit} with ${current.length} alerts`);
  }
  const series = current.flatMap((alert) => alertSeries(rule, alert));
  return { changes: [...created.values(), ...changes], series };
}

/**
 * Alerts still active take the new value and annotations; everything else found (new, or a
 * resolved alert back again) becomes a new pending alert. Returns the creations by key.
 */
function mergeFound(
  active: Map<string, ActiveAlert>,
  found: ReadonlyMap<string, ActiveAlert>,
): Map<string, AlertChange> {
  const created = new Map<string, AlertChange>();
  for (const [key, alert] of found) {
    const existing = active.get(key);
    if (existing && existing.state !== 'inactive') {
      existing.value = alert.value;
      existing.annotations = alert.annotations;
      continue;
    }
    active.set(key, alert);
    created.set(key, { alert, from: 'inactive', to: 'pending', value: alert.value });
  }
  return created;
}

function byKey(results: readonly FoundAlert[], timeMs: number): Map<string, ActiveAlert> {
  const found = new Map<string, ActiveAlert>();
  for (const result of results) {
    const key = labelsKey(result.labels);
    if (found.has(key)) throw new Error(DUPLICATE_ALERT_ERROR);
    found.set(key, {
      labels: result.labels,
      key,
      annotations: result.annotations,
      state: 'pending',
      value: result.value,
      activeAtMs: timeMs,
    });
  }
  return found;
}

interface MissingOutcome {
  keepFiring: boolean;
  remove: boolean;
  change?: AlertChange;
}

/**
 * An alert the expression no longer returns. A firing alert with keep_firing_for stays firing
 * until that long after it was first missed; a pending one is dropped at once; a resolved one is
 * kept until RESOLVED_RETENTION_MS after it resolved.
 */
function resolveMissing(rule: CompiledRule, alert: ActiveAlert, timeMs: number): MissingOutcome {
  let keepFiring = false;
  if (alert.state === 'firing' && rule.keepFiringForMs > 0) {
    alert.keepFiringSinceMs ??= timeMs;
    keepFiring = timeMs - alert.keepFiringSinceMs < rule.keepFiringForMs;
  }
  const remove =
    alert.state === 'pending' ||
    (alert.resolvedAtMs !== undefined && timeMs - alert.resolvedAtMs > RESOLVED_RETENTION_MS);
  if (alert.state === 'inactive' || keepFiring) return { keepFiring, remove };
  const change: AlertChange = { alert, from: alert.state, to: 'inactive', value: NaN };
  alert.state = 'inactive';
  alert.resolvedAtMs = timeMs;
  return { keepFiring, remove, change };
}

/**
 * ALERTS{alertstate} = 1 and ALERTS_FOR_STATE = ActiveAt in Unix seconds. Their labels start from
 * the rule's labels as written (not templated) under the alert's labels, as upstream builds them.
 */
function alertSeries(rule: CompiledRule, alert: ActiveAlert): OutputSample[] {
  const base = new Map(Object.entries(rule.labels));
  for (const [name, value] of alert.labels) base.set(name, value);
  base.set('alertname', rule.name);
  const forState = withoutEmpty(new Map([...base, [METRIC_NAME, 'ALERTS_FOR_STATE']]));
  const alerts = withoutEmpty(new Map([...base, [METRIC_NAME, 'ALERTS'], ['alertstate', alert.state]]));
  return [
    { labels: alerts, value: 1 },
    { labels: forState, value: Math.floor(alert.activeAtMs / 1000) },
  ];
}

function withoutEmpty(labels: Map<string, string>): Labels {
  for (const [name, value] of labels) if (value === '') labels.delete(name);
  return labels;
}
