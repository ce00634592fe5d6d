/**
 * Prometheus rules for SLOs: recording rules for the error ratio per window and the workbook's
 * multiwindow, multi-burn-rate alerts over them (burn-rate-policy.ts has the formulas), in the
 * shape Sloth generates (https://sloth.dev), with Vigil's own names.
 */
import type { RuleGroupSpec, RuleSpec } from '../rule-types.ts';
import { formatPromFloat } from '../../model/prom-naming.ts';
import {
  burnRateThreshold,
  formatWindow,
  policyFor,
  sliWindowsFor,
  type BurnRateAlertPolicy,
  type BurnRateCondition,
} from './burn-rate-policy.ts';
import { errorRatioQuery } from './sli-queries.ts';
import { errorBudgetRatio, type SloSpec } from './slo-spec.ts';

/** The alert name of every SLO burn alert; `slo`, `service` and `severity` labels tell them apart. */
export const SLO_ALERT_NAME = 'SLOErrorBudgetBurn';

/** `slo:sli_error:ratio_rate5m`: the recorded error ratio over a window (Sloth's metric names). */
export function sliRecordName(windowMs: number): string {
  return `slo:sli_error:ratio_rate${formatWindow(windowMs)}`;
}

/** The group key an SLO's rules live under (`file` and `name` are both `slo:<name>`). */
export function sloGroupName(sloName: string): string {
  return `slo:${sloName}`;
}

/**
 * One rule group per SLO: first the error-ratio recording rules
 * `slo:sli_error:ratio_rate{5m,30m,1h,2h,6h,1d,3d}` and one over the SLO window (e.g.
 * `ratio_rate30d`), labelled `{slo, service}`; then a `page` and a `ticket` alert
 * (`severity` configurable per SLO) that read the recorded series, since rules in a group run in
 * order and see the results of earlier ones.
 *
 * Alert condition, per workbook row (Google SRE Workbook ch. 5, "Multiwindow, Multi-Burn-Rate
 * Alerts"): `ratio_rate<long> / budget > threshold and ratio_rate<short> / budget > threshold`,
 * rows of one severity joined with `or`; budget = 1 - objective and threshold =
 * budgetShare × sloWindow / longWindow (14.4, 6, 3, 1 for 30 days). Dividing by the budget makes
 * the alert's `$value` the long window's burn rate.
 *
 * @example
 * ruleManager.setGroups([...fileGroups, ...generateSloRuleGroups(registry.specs())]);
 */
export function generateSloRuleGroups(slos: readonly SloSpec[]): RuleGroupSpec[] {
  return slos.map((slo) => ({
    name: sloGroupName(slo.name),
    file: sloGroupName(slo.name),
    queryOffsetMs: 0,
    limit: 0,
    labels: {},
    rules: [...recordingRules(slo), ...policyFor(slo.windowMs).map((policy) => alertRule(slo, policy))],
  }));
}

function sloLabels(slo: SloSpec): Record<string, string> {
  return slo.service === undefined ? { slo: slo.name } : { slo: slo.name, service: slo.service };
}

function recordingRules(slo: SloSpec): RuleSpec[] {
  return sliWindowsFor(slo.windowMs).map((windowMs) => ({
    record: sliRecordName(windowMs),
    expr: errorRatioQuery(slo.sli, windowMs),
    forMs: 0,
    keepFiringForMs: 0,
    labels: sloLabels(slo),
    annotations: {},
    line: 0,
  }));
}

function alertRule(slo: SloSpec, policy: BurnRateAlertPolicy): RuleSpec {
  const severity = policy.severity === 'page' ? slo.pageSeverity : slo.ticketSeverity;
  const conditions = policy.conditions.map((condition) => conditionExpr(slo, condition));
  return {
    alert: SLO_ALERT_NAME,
    expr:
      conditions.length === 1 ? (conditions[0] ?? '') : conditions.map((c) => `(\n${c}\n)`).join('\nor\n'),
    forMs: 0,
    keepFiringForMs: 0,
    labels: { ...slo.labels, ...sloLabels(slo), severity },
    annotations: alertAnnotations(slo, policy),
    line: 0,
  };
}

function conditionExpr(slo: SloSpec, condition: BurnRateCondition): string {
  const budget = formatPromFloat(errorBudgetRatio(slo));
  const threshold = formatPromFloat(burnRateThreshold(condition, slo.windowMs));
  const selector = (windowMs: number): string => `${sliRecordName(windowMs)}{slo="${slo.name}"}`;
  return [
    `  ${selector(condition.longWindowMs)} / ${budget} > ${threshold}`,
    'and',
    `  ${selector(condition.shortWindowMs)} / ${budget} > ${threshold}`,
  ].join('\n');
}

/**
 * Annotations are Prometheus templates; only generated text and `$value` go in, never the
 * free-text description, which could contain `{{`.
 */
function alertAnnotations(slo: SloSpec, policy: BurnRateAlertPolicy): Record<string, string> {
  const window = formatWindow(slo.windowMs);
  const objectivePercent = formatPromFloat(Number((slo.objectiveRatio * 100).toPrecision(12)));
  const rows = policy.conditions.map((condition) => {
    const threshold = burnRateThreshold(condition, slo.windowMs);
    const lasts = formatWindow(Math.round(slo.windowMs / threshold / 60_000) * 60_000);
    return `${formatWindow(condition.longWindowMs)} and ${formatWindow(condition.shortWindowMs)} burn rates above ${formatPromFloat(threshold)} (the budget would last ${lasts})`;
  });
  // The service is free text: read it from the alert's labels rather than pasting it into a template.
  const target = slo.service === undefined ? `SLO ${slo.name}` : `SLO ${slo.name} of {{ $labels.service }}`;
  const annotations: Record<string, string> = {
    summary: `${target}: error budget burning too fast (${policy.severity})`,
    description:
      `The ${window} error budget (objective ${objectivePercent}%) is burning at {{ $value | humanize }}x ` +
      `the sustainable rate. Fires on ${rows.join(', or ')}.`,
  };
  if (slo.runbookUrl !== undefined) annotations.runbook_url = slo.runbookUrl;
  return annotations;
}
