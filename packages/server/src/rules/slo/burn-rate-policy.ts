/**
 * Multiwindow, multi-burn-rate alerting from the Google SRE Workbook, chapter 5 "Alerting on SLOs"
 * (https://sre.google/workbook/alerting-on-slos/), section 6 "Multiwindow, Multi-Burn-Rate Alerts".
 *
 * The burn rate is how fast the error budget is spent relative to spending it evenly over the SLO
 * window: burn rate = error ratio / (1 - objective). Burning at rate 1 spends exactly the budget in
 * one window; spending `share` of the budget within `longWindow` means a burn rate of
 * `share × sloWindow / longWindow`. The workbook's table for a 30-day SLO:
 *
 * | severity | budget spent | long window | short window | burn rate |
 * |----------|--------------|-------------|--------------|-----------|
 * | page     | 2 %          | 1h          | 5m           | 14.4      |
 * | page     | 5 %          | 6h          | 30m          | 6         |
 * | ticket   | 10 %         | 1d          | 2h           | 3         |
 * | ticket   | 10 %         | 3d          | 6h           | 1         |
 *
 * A condition holds when the error ratio over both the long and the short window (1/12 of the
 * long one) exceeds `burn rate × budget`: the long window makes it significant, the short one
 * makes the alert reset soon after the burn stops.
 */
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** The windows the SLI error ratio is recorded over (`slo:sli_error:ratio_rate5m` …), besides the SLO window. */
export const SLI_WINDOWS_MS: readonly number[] = [
  5 * MINUTE_MS,
  30 * MINUTE_MS,
  HOUR_MS,
  2 * HOUR_MS,
  6 * HOUR_MS,
  DAY_MS,
  3 * DAY_MS,
];

/** The window whose burn rate status calls "current" (the fast page's long window). */
export const CURRENT_BURN_WINDOW_MS = HOUR_MS;

export type BurnSeverity = 'page' | 'ticket';

/** One workbook row: `budgetShare` of the budget spent within `longWindowMs`. */
export interface BurnRateCondition {
  longWindowMs: number;
  shortWindowMs: number;
  budgetShare: number;
}

export interface BurnRateAlertPolicy {
  severity: BurnSeverity;
  /** Any condition firing fires the alert (`or`). */
  conditions: readonly BurnRateCondition[];
}

/** The workbook's recommended policy (table above); the windows are fixed, the burn rates scale. */
export const WORKBOOK_POLICY: readonly BurnRateAlertPolicy[] = [
  {
    severity: 'page',
    conditions: [
      { longWindowMs: HOUR_MS, shortWindowMs: 5 * MINUTE_MS, budgetShare: 0.02 },
      { longWindowMs: 6 * HOUR_MS, shortWindowMs: 30 * MINUTE_MS, budgetShare: 0.05 },
    ],
  },
  {
    severity: 'ticket',
    conditions: [
      { longWindowMs: DAY_MS, shortWindowMs: 2 * HOUR_MS, budgetShare: 0.1 },
      { longWindowMs: 3 * DAY_MS, shortWindowMs: 6 * HOUR_MS, budgetShare: 0.1 },
    ],
  },
];

/**
 * The burn-rate threshold of a condition for an SLO window: `budgetShare × sloWindow / longWindow`
 * (14.4, 6, 3 and 1 for 30 days). Other SLO windows keep the workbook's budget shares, so a 7-day
 * SLO pages at 3.36 / 1.4 and tickets at 0.7 / 0.233: the same fraction of its (smaller) budget.
 *
 * @example
 * burnRateThreshold(WORKBOOK_POLICY[0].conditions[0], 30 * 86_400_000); // 14.4
 */
export function burnRateThreshold(condition: BurnRateCondition, sloWindowMs: number): number {
  return Number(((condition.budgetShare * sloWindowMs) / condition.longWindowMs).toPrecision(6));
}

/**
 * The policy for an SLO window. A condition whose long window is longer than the SLO window is
 * dropped (spending part of a 1-day budget "over 3 days" has no meaning); a severity left with no
 * condition is dropped too.
 */
export function policyFor(sloWindowMs: number): BurnRateAlertPolicy[] {
  return WORKBOOK_POLICY.map((policy) => ({
    severity: policy.severity,
    conditions: policy.conditions.filter((condition) => condition.longWindowMs <= sloWindowMs),
  })).filter((policy) => policy.conditions.length > 0);
}

/** The windows an SLO records its error ratio over: the fixed ones up to its window, then the window. */
export function sliWindowsFor(sloWindowMs: number): number[] {
  const windows = SLI_WINDOWS_MS.filter((windowMs) => windowMs < sloWindowMs);
  return [...windows, sloWindowMs];
}

/**
 * A window as rule names and range selectors write it: whole days as `30d` (not Prometheus's `4w2d`
 * spelling), otherwise `1h30m`-style.
 */
export function formatWindow(windowMs: number): string {
  if (windowMs % DAY_MS === 0) return `${windowMs / DAY_MS}d`;
  let remainingMs = windowMs;
  let text = '';
  for (const [unit, unitMs] of [
    ['h', HOUR_MS],
    ['m', MINUTE_MS],
    ['s', 1000],
    ['ms', 1],
  ] as const) {
    const count = Math.floor(remainingMs / unitMs);
    if (count > 0) text += `${count}${unit}`;
    remainingMs -= count * unitMs;
  }
  return text === '' ? '0s' : text;
}
