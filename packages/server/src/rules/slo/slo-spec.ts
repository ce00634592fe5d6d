/**
 * A validated SLO declaration (parse-slo-spec.ts builds it from config YAML or API JSON). The SLI
 * is always reduced to an error ratio per window (sli-queries.ts), so rules, status and alerts treat
 * every kind alike.
 */
import type { LabelMatcher } from '../../query/promql/matchers.ts';

/**
 * Two PromQL expressions with `{{.window}}` where the range goes (Sloth's convention): either bad
 * events (`error_query`) or good events (`good_query`), over all events (`total_query`).
 */
export interface EventsSli {
  kind: 'events';
  /** True for `error_query`, false for `good_query`. */
  countsErrors: boolean;
  numeratorQuery: string;
  totalQuery: string;
}

/**
 * Latency from a classic histogram: good events are observations at or below `threshold` (the
 * `_bucket{le=threshold}` series), all events the `_count` series.
 */
export interface LatencySli {
  kind: 'latency';
  /** The histogram's base name (no `_bucket` / `_count`). */
  metric: string;
  matchers: readonly LabelMatcher[];
  /** In the metric's unit (seconds for `_seconds` metrics); must be one of its bucket bounds. */
  threshold: number;
}

/** Availability from the OTel Collector spanmetrics connector's calls counter: 1 - errors / calls. */
export interface SpansSli {
  kind: 'spans';
  service: string;
  /** The span name; all spans of the service when absent. */
  operation: string | undefined;
}

/**
 * A quality signal that is good while below a threshold (drift score, null-feature rate): the
 * error ratio is the share of evaluation minutes in which the expression is at or above it.
 */
export interface QualitySli {
  kind: 'quality';
  expr: string;
  threshold: number;
}

export type SliSpec = EventsSli | LatencySli | SpansSli | QualitySli;

export interface SloSpec {
  /** Unique; `[A-Za-z0-9][A-Za-z0-9_.-]*`, so it is safe in URLs, label values and rule names. */
  name: string;
  service: string | undefined;
  description: string | undefined;
  /** The objective as a ratio in (0, 1): 99.9 % is 0.999. */
  objectiveRatio: number;
  /** The SLO (compliance) window, 30 days by default. */
  windowMs: number;
  /** Extra labels on the generated alerts (routing, team). */
  labels: Readonly<Record<string, string>>;
  runbookUrl: string | undefined;
  /** `severity` label of the fast-burn alert; default `page`. */
  pageSeverity: string;
  /** `severity` label of the slow-burn alert; default `ticket`. */
  ticketSeverity: string;
  sli: SliSpec;
}

/** The error budget as a ratio: 1 - objective (0.001 for 99.9 %), rounded to shed float noise. */
export function errorBudgetRatio(slo: Pick<SloSpec, 'objectiveRatio'>): number {
  return roundSignificant(1 - slo.objectiveRatio);
}

/** `value` with at most 12 significant digits: 1 - 0.999 is 0.0010000000000000009 in binary floats. */
export function roundSignificant(value: number, digits = 12): number {
  return Number(value.toPrecision(digits));
}
