import { METRIC_NAME } from '../../query/promql/labels.ts';
import { parseExpr } from '../../query/promql/parser.ts';
import { checkTemplate } from '../templates/expand.ts';
import type { DecodedEntry, DecodedGroup, DecodedRule, PositionedProblem } from './decoded-types.ts';
import {
  isValidLabelName,
  isValidLabelValue,
  isValidMetricName,
  type NameValidationScheme,
} from '../../model/prom-names.ts';
import { quoteGoString } from '../../query/promql/format-query.ts';

/**
 * rulefmt's RuleGroups.Validate and Rule.Validate (model/rulefmt/rulefmt.go), with the same
 * messages. Where rulefmt has no YAML node for an error (label names, templates, a missing
 * `expr`, which it prints as "0:0"), we point at the label's key or the rule instead.
 */
export function validateGroups(
  groups: readonly DecodedGroup[],
  scheme: NameValidationScheme,
): PositionedProblem[] {
  const problems: PositionedProblem[] = [];
  const seenNames = new Set<string>();
  for (const group of groups) {
    if (group.name === '')
      problems.push({ position: group.position, message: 'Groupname must not be empty' });
    if (seenNames.has(group.name))
      problems.push({
        position: group.position,
        message: `groupname: "${group.name}" is repeated in the same file`,
      });
    seenNames.add(group.name);
    problems.push(...labelProblems(group.labels, scheme));
    group.rules.forEach((rule, index) => {
      // rulefmt's Error: `group "g", rule 1, "name": ...`, the name being the alert's if set.
      const prefix = `group ${quoteGoString(group.name)}, rule ${index + 1}, ${quoteGoString(rule.alert.value || rule.record.value)}: `;
      for (const problem of validateRule(rule, scheme))
        problems.push({ ...problem, message: prefix + problem.message });
    });
  }
  return problems;
}

function validateRule(rule: DecodedRule, scheme: NameValidationScheme): PositionedProblem[] {
  const problems: PositionedProblem[] = [];
  const { record, alert, expr } = rule;
  if (record.value !== '' && alert.value !== '')
    problems.push({
      position: record.position,
      alsoAt: alert.position,
      message: "only one of 'record' and 'alert' must be set",
    });
  if (record.value === '' && alert.value === '')
    problems.push({ position: rule.position, message: "one of 'record' or 'alert' must be set" });
  if (expr.value === '') {
    problems.push({ position: expr.position, message: "field 'expr' must be set in rule" });
  } else {
    const parseError = exprError(expr.value);
    if (parseError !== undefined)
      problems.push({ position: expr.position, message: `could not parse expression: ${parseError}` });
  }
  if (record.value !== '') problems.push(...recordingRuleProblems(rule, scheme));
  problems.push(...labelProblems(rule.labels, scheme));
  for (const annotation of rule.annotations) {
    if (!isValidLabelName(annotation.name, scheme))
      problems.push({
        position: annotation.position,
        message: `invalid annotation name: ${annotation.name}`,
      });
  }
  if (alert.value !== '') problems.push(...templateProblems(rule));
  return problems;
}

function recordingRuleProblems(rule: DecodedRule, scheme: NameValidationScheme): PositionedProblem[] {
  const { record } = rule;
  const at = (message: string): PositionedProblem => ({ position: record.position, message });
  const problems: PositionedProblem[] = [];
  if (rule.annotations.length > 0) problems.push(at("invalid field 'annotations' in recording rule"));
  if (rule.forMs !== 0) problems.push(at("invalid field 'for' in recording rule"));
  if (rule.keepFiringForMs !== 0) problems.push(at("invalid field 'keep_firing_for' in recording rule"));
  if (!isValidMetricName(record.value, scheme))
    problems.push(at(`invalid recording rule name: ${record.value}`));
  // rulefmt: UTF-8 allows braces, but a `{` in a record name is nearly always a selector pasted there.
  if (record.value.includes('{') || record.value.includes('}'))
    problems.push(at(`braces present in the recording rule name; should it be in expr?: ${record.value}`));
  return problems;
}

function labelProblems(labels: readonly DecodedEntry[], scheme: NameValidationScheme): PositionedProblem[] {
  const problems: PositionedProblem[] = [];
  for (const label of labels) {
    if (!isValidLabelName(label.name, scheme) || label.name === METRIC_NAME)
      problems.push({ position: label.position, message: `invalid label name: ${label.name}` });
    if (!isValidLabelValue(label.value))
      problems.push({ position: label.position, message: `invalid label value: ${label.value}` });
  }
  return problems;
}

/** rulefmt's testTemplateParsing: alerting rules' label and annotation templates must parse. */
function templateProblems(rule: DecodedRule): PositionedProblem[] {
  const name = `__alert_${rule.alert.value}`;
  const check = (kind: string, entry: DecodedEntry): PositionedProblem[] => {
    const error = checkTemplate(entry.value, name);
    return error === undefined
      ? []
      : [{ position: entry.position, message: `${kind} ${quoteGoString(entry.name)}: ${error}` }];
  };
  return [
    ...rule.labels.flatMap((entry) => check('label', entry)),
    ...rule.annotations.flatMap((entry) => check('annotation', entry)),
  ];
}

function exprError(expr: string): string | undefined {
  try {
    parseExpr(expr);
    return undefined;
  } catch (error: unknown) {
    return error instanceof Error ? error.message : String(error);
  }
}
