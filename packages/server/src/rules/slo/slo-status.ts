/**
 * Where an SLO stands now: SLI over its window, error budget left, burn rates and which burn
 * alerts hold. Computed from the SLI queries directly (not from recorded series), so it works for
 * a new SLO over old data and does not depend on the rule manager having run.
 */
import type { PromValue } from '../../query/promql/values.ts';
import { PromQLError } from '../../query/promql/errors.ts';
import {
  burnRateThreshold,
  CURRENT_BURN_WINDOW_MS,
  formatWindow,
  policyFor,
  sliWindowsFor,
  type BurnSeverity,
} from './burn-rate-policy.ts';
import { errorRatioQuery, type SloQueryEngine } from './sli-queries.ts';
import { errorBudgetRatio, type SloSpec } from './slo-spec.ts';
import { latencyBucketProblem } from './latency-bucket-check.ts';

export type { SloQueryEngine };

export interface SloBurnConditionStatus {
  longWindow: string;
  shortWindow: string;
  /** Burn-rate threshold both windows must exceed. */
  threshold: number;
  longBurnRate: number | null;
  shortBurnRate: number | null;
  met: boolean;
}

export interface SloAlertStatus {
  policy: BurnSeverity;
  /** The `severity` label the alert carries. */
  severity: string;
  /** Any condition met; the generated rules have no `for:`, so the rule fires at the same evaluation. */
  firing: boolean;
  conditions: SloBurnConditionStatus[];
}

export interface SloStatus {
  name: string;
  objective: number;
  window: string;
  windowMs: number;
  /** 1 - objective. */
  errorBudget: number;
  /** Share of good events over the SLO window; null without data. */
  sliRatio: number | null;
  errorRatio: number | null;
  /** Fraction of the window's budget left: 1 untouched, 0 spent, negative when overspent. */
  errorBudgetRemaining: number | null;
  /** Error ratio / budget per window (`5m` … `3d` and the SLO window); null without data. */
  burnRates: Record<string, number | null>;
  /** The 1h burn rate. */
  currentBurnRate: number | null;
  /**
   * Time until the remaining budget is spent at the current burn rate: remaining × window / burn
   * rate (ignores old errors leaving the rolling window). 0 when already spent; null when not burning.
   */
  timeToExhaustionMs: number | null;
  alerts: SloAlertStatus[];
  /** Why numbers may be missing or misleading (query errors, latency threshold not a bucket bound). */
  problems: string[];
  evaluatedAtMs: number;
}

/**
 * Computes an SLO's status at `nowMs` with one instant query per window.
 *
 * @example
 * const status = await sloStatus(new PromQLEngine(new StoreSeriesSource(store)), spec, Date.now());
 * status.errorBudgetRemaining; // 0.42: 58 % of the 30d budget spent
 */
export async function sloStatus(engine: SloQueryEngine, slo: SloSpec, nowMs: number): Promise<SloStatus> {
  const problems: string[] = [];
  const windows = sliWindowsFor(slo.windowMs);
  const [ratios, bucketProblem] = await Promise.all([
    Promise.all(windows.map((windowMs) => errorRatioAt(engine, slo, windowMs, nowMs, problems))),
    slo.sli.kind === 'latency' ? latencyBucketProblem(engine, slo.sli, nowMs) : undefined,
  ]);
  if (bucketProblem !== undefined) problems.push(bucketProblem);
  const budget = errorBudgetRatio(slo);
  const burnByWindowMs = new Map<number, number | null>();
  windows.forEach((windowMs, i) => {
    const ratio = ratios[i] ?? null;
    burnByWindowMs.set(windowMs, ratio === null ? null : ratio / budget);
  });
  const errorRatio = ratios[ratios.length - 1] ?? null;
  const remaining = errorRatio === null ? null : 1 - errorRatio / budget;
  const currentBurnRate = burnByWindowMs.get(CURRENT_BURN_WINDOW_MS) ?? null;
  return {
    name: slo.name,
    objective: slo.objectiveRatio,
    window: formatWindow(slo.windowMs),
    windowMs: slo.windowMs,
    errorBudget: budget,
    sliRatio: errorRatio === null ? null : 1 - errorRatio,
    errorRatio,
    errorBudgetRemaining: remaining,
    burnRates: Object.fromEntries(
      [...burnByWindowMs].map(([windowMs, burn]) => [formatWindow(windowMs), burn]),
    ),
    currentBurnRate,
    timeToExhaustionMs: timeToExhaustion(remaining, currentBurnRate, slo.windowMs),
    alerts: alertStatuses(slo, burnByWindowMs),
    problems: [...new Set(problems)],
    evaluatedAtMs: nowMs,
  };
}

/** remaining × window / burn rate: burning at rate r spends the whole budget in window / r. */
function timeToExhaustion(
  remaining: number | null,
  burnRate: number | null,
  windowMs: number,
): number | null {
  if (remaining === null) return null;
  if (remaining <= 0) return 0;
  if (burnRate === null || !(burnRate > 0)) return null;
  return Math.round((remaining * windowMs) / burnRate);
}

function alertStatuses(slo: SloSpec, burnByWindowMs: ReadonlyMap<number, number | null>): SloAlertStatus[] {
  return policyFor(slo.windowMs).map((policy) => {
    const conditions = policy.conditions.map((condition): SloBurnConditionStatus => {
      const threshold = burnRateThreshold(condition, slo.windowMs);
      const longBurnRate = burnByWindowMs.get(condition.longWindowMs) ?? null;
      const shortBurnRate = burnByWindowMs.get(condition.shortWindowMs) ?? null;
      return {
        longWindow: formatWindow(condition.longWindowMs),
        shortWindow: formatWindow(condition.shortWindowMs),
        threshold,
        longBurnRate,
        shortBurnRate,
        met:
          longBurnRate !== null &&
          shortBurnRate !== null &&
          longBurnRate > threshold &&
          shortBurnRate > threshold,
      };
    });
    return {
      policy: policy.severity,
      severity: policy.severity === 'page' ? slo.pageSeverity : slo.ticketSeverity,
      firing: conditions.some((condition) => condition.met),
      conditions,
    };
  });
}

/** The error ratio over one window: the single (or highest) finite value, or null. */
async function errorRatioAt(
  engine: SloQueryEngine,
  slo: SloSpec,
  windowMs: number,
  nowMs: number,
  problems: string[],
): Promise<number | null> {
  const window = formatWindow(windowMs);
  let value: PromValue;
  try {
    ({ value } = await engine.instantQuery(errorRatioQuery(slo.sli, windowMs), nowMs));
  } catch (error: unknown) {
    if (!(error instanceof PromQLError)) throw error;
    problems.push(`${window} error ratio: ${error.message}`);
    return null;
  }
  const values =
    value.type === 'scalar'
      ? [value.value]
      : value.type === 'vector'
        ? value.samples.map((sample) => sample.value)
        : [];
  const finite = values.filter((ratio) => Number.isFinite(ratio));
  if (values.length > 1)
    problems.push(
      'the SLI gives several series; status shows the highest (aggregate the queries, e.g. with sum)',
    );
  return finite.length === 0 ? null : Math.max(...finite);
}
