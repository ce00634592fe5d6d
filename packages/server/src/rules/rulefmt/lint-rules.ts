import type { DecodedGroup, DecodedRule, PositionedProblem } from './decoded-types.ts';

/** The annotation Vigil wants on every alerting rule. */
export const RUNBOOK_ANNOTATION = 'runbook_url';

/**
 * Lint findings for a file that validated: not errors (Prometheus loads the file), but what
 * `promtool check rules` reports as "lint error" plus Vigil's own rule.
 *
 * - Duplicate rules (promtool's default `--lint=duplicate-rules`, cmd/promtool checkDuplicates):
 *   two rules with the same name and the same labels write the same series.
 * - Alerting rules without a `runbook_url` annotation: whoever is paged at 3am needs the next step,
 *   and an alert nobody knows how to act on is the first to be silenced and ignored.
 */
export function lintGroups(groups: readonly DecodedGroup[]): PositionedProblem[] {
  return [...duplicateRules(groups), ...missingRunbooks(groups)];
}

function missingRunbooks(groups: readonly DecodedGroup[]): PositionedProblem[] {
  return groups.flatMap((group) =>
    group.rules
      .filter(
        (rule) => rule.alert.value !== '' && !rule.annotations.some((a) => a.name === RUNBOOK_ANNOTATION),
      )
      .map((rule) => ({
        position: rule.alert.position,
        message: `alerting rule ${rule.alert.value} has no ${RUNBOOK_ANNOTATION} annotation: add one so whoever is paged knows what to do`,
      })),
  );
}

function duplicateRules(groups: readonly DecodedGroup[]): PositionedProblem[] {
  const firstByKey = new Map<string, DecodedRule>();
  const reported = new Set<string>();
  const problems: PositionedProblem[] = [];
  for (const rule of groups.flatMap((group) => group.rules)) {
    const key = ruleIdentity(rule);
    const first = firstByKey.get(key);
    if (first === undefined) {
      firstByKey.set(key, rule);
    } else if (!reported.has(key)) {
      reported.add(key);
      problems.push({
        position: rule.position,
        message: `duplicate rule ${key} (first at line ${first.position.line}): might cause inconsistency while recording expressions`,
      });
    }
  }
  return problems;
}

/** promtool compares the rule's name and its sorted labels (labels.FromMap). */
function ruleIdentity(rule: DecodedRule): string {
  const labels = [...rule.labels]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((label) => `${label.name}=${JSON.stringify(label.value)}`);
  return `${rule.alert.value || rule.record.value}{${labels.join(', ')}}`;
}
