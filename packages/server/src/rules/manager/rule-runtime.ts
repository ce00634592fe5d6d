import { formatExpr } from '../../query/promql/format-query.ts';
import { labelsKey, type Labels } from '../../query/promql/labels.ts';
import { parseExpr } from '../../query/promql/parser.ts';
import type { AlertState, RuleGroupSpec, RuleSpec } from '../rule-types.ts';
import { groupKey, groupOffsetMs } from './group-schedule.ts';
import type { RuleHealth } from './manager-types.ts';
import type { SavedRule } from './alert-state-file.ts';

/**
 * The rule manager's in-memory model: groups and rules as loaded, and the state that survives a
 * reload (health, alerts, the series written last time) kept apart in {@link RuleRuntime} so a
 * reload can hand it from the old rule to the new one (Prometheus Group.CopyState).
 */

/** One alert instance of an alerting rule (Prometheus rules.Alert). Unset times are Go's zero time. */
export interface ActiveAlert {
  /** Sample labels without `__name__`, rule labels (templated) and `alertname`. */
  labels: Labels;
  key: string;
  annotations: Record<string, string>;
  state: AlertState;
  value: number;
  activeAtMs: number;
  firedAtMs?: number;
  resolvedAtMs?: number;
  lastSentAtMs?: number;
  validUntilMs?: number;
  keepFiringSinceMs?: number;
}

export interface RuleRuntime {
  health: RuleHealth;
  lastError: string;
  evaluationTimeMs: number;
  lastEvaluationMs?: number;
  /** Series the rule wrote at its last evaluation, by labels key: they get stale markers when gone. */
  seriesInPreviousEval: Map<string, Labels>;
  /** Alerting rules: alerts by labels key, resolved ones kept for resolvedRetention. */
  active: Map<string, ActiveAlert>;
  /** Alert state read from the state file, applied at the rule's first evaluation. */
  restore?: { rule: SavedRule; downAtMs: number };
}

export interface CompiledRule {
  kind: 'alerting' | 'recording';
  /** The alert name or the recorded metric name. */
  name: string;
  /** The expression as Prometheus prints it; it is also what is queried (rule.vector.String()). */
  query: string;
  forMs: number;
  keepFiringForMs: number;
  /** Group labels with the rule's own labels over them. */
  labels: Readonly<Record<string, string>>;
  annotations: Readonly<Record<string, string>>;
  /** Name and labels: how a reload matches old and new rules (nameAndLabels in rules/group.go). */
  identity: string;
  runtime: RuleRuntime;
}

export interface GroupRuntime {
  key: string;
  spec: RuleGroupSpec;
  intervalMs: number;
  offsetMs: number;
  rules: CompiledRule[];
  nextSlotMs?: number;
  lastEvaluationMs?: number;
  evaluationTimeMs: number;
  /** Series of rules a reload removed: marked stale at the group's next evaluation. */
  staleSeries: Labels[];
}

export function newRuntime(): RuleRuntime {
  return {
    health: 'unknown',
    lastError: '',
    evaluationTimeMs: 0,
    seriesInPreviousEval: new Map(),
    active: new Map(),
  };
}

/** The identity of a rule across reloads: its name and its labels. */
export function ruleIdentity(name: string, labels: Readonly<Record<string, string>>): string {
  return `${name}\xff${labelsKey(new Map(Object.entries(labels)))}`;
}

export function compileGroup(spec: RuleGroupSpec, defaultIntervalMs: number): GroupRuntime {
  const intervalMs =
    spec.intervalMs !== undefined && spec.intervalMs > 0 ? spec.intervalMs : defaultIntervalMs;
  return {
    key: groupKey(spec.file, spec.name),
    spec,
    intervalMs,
    offsetMs: groupOffsetMs(spec.file, spec.name, intervalMs),
    rules: spec.rules.map((rule) => compileRule(rule, spec.labels)),
    evaluationTimeMs: 0,
    staleSeries: [],
  };
}

function compileRule(rule: RuleSpec, groupLabels: Readonly<Record<string, string>>): CompiledRule {
  const alerting = rule.alert !== undefined && rule.alert !== '';
  const name = (alerting ? rule.alert : rule.record) ?? '';
  // Prometheus merges group labels under the rule's at load time (rules.FromMaps).
  const labels = { ...groupLabels, ...rule.labels };
  return {
    kind: alerting ? 'alerting' : 'recording',
    name,
    query: printedQuery(rule.expr),
    forMs: alerting ? rule.forMs : 0,
    keepFiringForMs: alerting ? rule.keepFiringForMs : 0,
    labels,
    annotations: alerting ? rule.annotations : {},
    identity: ruleIdentity(name, labels),
    runtime: newRuntime(),
  };
}

/** `Expr.String()`; an expression that does not parse is kept as written (its evaluation fails). */
function printedQuery(expr: string): string {
  try {
    return formatExpr(parseExpr(expr));
  } catch {
    return expr.trim();
  }
}

/** Prometheus Group.Equals: a reload that changes nothing keeps the running group as it is. */
export function sameGroup(a: GroupRuntime, b: GroupRuntime): boolean {
  if (a.intervalMs !== b.intervalMs || a.spec.limit !== b.spec.limit) return false;
  if (a.spec.queryOffsetMs !== b.spec.queryOffsetMs || a.rules.length !== b.rules.length) return false;
  return a.rules.every((rule, i) => {
    const other = b.rules[i];
    return other !== undefined && ruleText(rule) === ruleText(other);
  });
}

function ruleText(rule: CompiledRule): string {
  return JSON.stringify([
    rule.kind,
    rule.name,
    rule.query,
    rule.forMs,
    rule.keepFiringForMs,
    sorted(rule.labels),
    sorted(rule.annotations),
  ]);
}

function sorted(record: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Hands state from the groups being replaced to the new one (Group.CopyState): rules match by
 * name and labels, duplicates first to first. Series of old rules left unmatched are returned to
 * be marked stale.
 */
export function copyState(target: GroupRuntime, source: GroupRuntime): void {
  target.lastEvaluationMs = source.lastEvaluationMs;
  target.evaluationTimeMs = source.evaluationTimeMs;
  const unmatched = new Map<string, CompiledRule[]>();
  for (const rule of source.rules)
    unmatched.set(rule.identity, [...(unmatched.get(rule.identity) ?? []), rule]);
  for (const rule of target.rules) {
    const candidates = unmatched.get(rule.identity);
    const from = candidates?.shift();
    if (!from) continue;
    // As upstream, health and timings start over; the maps are shared, not copied, so an
    // evaluation of the old group still in flight lands in the new rule's state.
    rule.runtime.seriesInPreviousEval = from.runtime.seriesInPreviousEval;
    if (from.kind === rule.kind) rule.runtime.active = from.runtime.active;
    rule.runtime.restore = from.runtime.restore;
  }
  target.staleSeries = [...source.staleSeries];
  for (const rules of unmatched.values()) {
    for (const rule of rules) target.staleSeries.push(...rule.runtime.seriesInPreviousEval.values());
  }
}
