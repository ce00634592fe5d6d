import { compareLabels, labelsToRecord } from '../../query/promql/labels.ts';
import type { AlertState } from '../rule-types.ts';
import type { AlertView, RuleGroupView, RuleView } from './manager-types.ts';
import type { ActiveAlert, CompiledRule, GroupRuntime } from './rule-runtime.ts';

/** Read-only views of the manager's groups, rules and alerts (what /api/v1/rules and /alerts show). */

const STATE_RANK: Readonly<Record<AlertState, number>> = { inactive: 0, pending: 1, firing: 2 };

/** Groups by file, then name (Manager.RuleGroups); rules in file order. */
export function groupViews(groups: Iterable<GroupRuntime>): RuleGroupView[] {
  return [...groups].sort(compareGroups).map((group) => ({
    key: group.key,
    name: group.spec.name,
    file: group.spec.file,
    intervalMs: group.intervalMs,
    queryOffsetMs: group.spec.queryOffsetMs,
    limit: group.spec.limit,
    labels: { ...group.spec.labels },
    evaluationTimeMs: group.evaluationTimeMs,
    lastEvaluationMs: group.lastEvaluationMs,
    nextEvaluationMs: group.nextSlotMs,
    rules: group.rules.map((rule) => ruleView(group, rule)),
  }));
}

/** Pending and firing alerts of every alerting rule, in group and rule order. */
export function alertViews(groups: Iterable<GroupRuntime>): AlertView[] {
  return [...groups]
    .sort(compareGroups)
    .flatMap((group) => group.rules.flatMap((rule) => activeAlertViews(group, rule)));
}

function compareGroups(a: GroupRuntime, b: GroupRuntime): number {
  if (a.spec.file !== b.spec.file) return a.spec.file < b.spec.file ? -1 : 1;
  if (a.spec.name === b.spec.name) return 0;
  return a.spec.name < b.spec.name ? -1 : 1;
}

function ruleView(group: GroupRuntime, rule: CompiledRule): RuleView {
  const base = {
    name: rule.name,
    query: rule.query,
    labels: { ...rule.labels },
    health: rule.runtime.health,
    lastError: rule.runtime.lastError,
    evaluationTimeMs: rule.runtime.evaluationTimeMs,
    lastEvaluationMs: rule.runtime.lastEvaluationMs,
  };
  if (rule.kind === 'recording') return { ...base, type: 'recording' };
  return {
    ...base,
    type: 'alerting',
    state: ruleState(rule),
    forMs: rule.forMs,
    keepFiringForMs: rule.keepFiringForMs,
    annotations: { ...rule.annotations },
    alerts: activeAlertViews(group, rule),
  };
}

/** The highest state of the rule's alerts (AlertingRule.State); unknown before it was evaluated. */
function ruleState(rule: CompiledRule): AlertState | 'unknown' {
  if (rule.runtime.lastEvaluationMs === undefined) return 'unknown';
  let state: AlertState = 'inactive';
  for (const alert of rule.runtime.active.values())
    if (STATE_RANK[alert.state] > STATE_RANK[state]) state = alert.state;
  return state;
}

/** Alerts not resolved (AlertingRule.ActiveAlerts), ordered by labels. */
function activeAlertViews(group: GroupRuntime, rule: CompiledRule): AlertView[] {
  if (rule.kind !== 'alerting') return [];
  return [...rule.runtime.active.values()]
    .filter((alert) => alert.resolvedAtMs === undefined && alert.state !== 'inactive')
    .sort((a, b) => compareLabels(a.labels, b.labels))
    .map((alert) => alertView(group, rule, alert));
}

function alertView(group: GroupRuntime, rule: CompiledRule, alert: ActiveAlert): AlertView {
  const view: AlertView = {
    groupKey: group.key,
    ruleName: rule.name,
    labels: labelsToRecord(alert.labels),
    annotations: { ...alert.annotations },
    state: alert.state === 'firing' ? 'firing' : 'pending',
    activeAtMs: alert.activeAtMs,
    value: alert.value,
  };
  if (alert.firedAtMs !== undefined) view.firedAtMs = alert.firedAtMs;
  if (alert.keepFiringSinceMs !== undefined) view.keepFiringSinceMs = alert.keepFiringSinceMs;
  return view;
}
