/**
 * PromQL for an SLI's error ratio over a window: the one number rules, status and alerts use.
 * Each query yields one series per SLO when the inputs aggregate (the built-in kinds sum).
 */
import { formatExpr } from '../../query/promql/format-query.ts';
import type { LabelMatcher } from '../../query/promql/matchers.ts';
import { formatPromFloat } from '../../model/prom-naming.ts';
import { formatWindow } from './burn-rate-policy.ts';
import type { EventsSli, LatencySli, QualitySli, SliSpec, SpansSli } from './slo-spec.ts';
import type { PromValue } from '../../query/promql/values.ts';

/** The part of PromQLEngine that SLO status needs. */
export interface SloQueryEngine {
  instantQuery(query: string, timeMs: number): Promise<{ value: PromValue; warnings: string[] }>;
}

/** Sloth's placeholder for the range in user queries; spaces inside the braces are allowed. */
export const WINDOW_PLACEHOLDER = /\{\{\s*\.window\s*\}\}/g;

/** The OTel Collector spanmetrics connector's calls counter as Prometheus names it (namespace `traces.span.metrics`). */
export const SPAN_CALLS_METRIC = 'traces_span_metrics_calls_total';
export const SPAN_ERROR_STATUS = 'STATUS_CODE_ERROR';

/** How often the quality SLI samples its expression: "evaluation minutes". */
const QUALITY_STEP = '1m';

/**
 * The error ratio (0 = all good, 1 = all bad) of an SLI over `windowMs`, as an instant-vector query.
 *
 * @example
 * errorRatioQuery({ kind: 'spans', service: 'checkout', operation: undefined }, 300_000);
 * // (sum(rate(traces_span_metrics_calls_total{service_name="checkout",status_code="STATUS_CODE_ERROR"}[5m])) or vector(0))
 * //   / sum(rate(traces_span_metrics_calls_total{service_name="checkout"}[5m]))
 */
export function errorRatioQuery(sli: SliSpec, windowMs: number): string {
  const window = formatWindow(windowMs);
  switch (sli.kind) {
    case 'events':
      return eventsQuery(sli, window);
    case 'latency':
      return latencyQuery(sli, window);
    case 'spans':
      return spansQuery(sli, window);
    case 'quality':
      return qualityQuery(sli, window);
  }
}

/** A user query with `{{.window}}` replaced by the range, e.g. `5m`. */
export function withWindow(query: string, window: string): string {
  return query.replace(WINDOW_PLACEHOLDER, window);
}

/** Sloth's form: `(errors) / (total)`, or `1 - ((good) / (total))` for good-event queries. */
function eventsQuery(sli: EventsSli, window: string): string {
  const ratio = `(${withWindow(sli.numeratorQuery, window)}) / (${withWindow(sli.totalQuery, window)})`;
  return sli.countsErrors ? ratio : `1 - (${ratio})`;
}

/**
 * `1 - good / total` with good = rate of the `le` bucket at the threshold and total = rate of
 * `_count`. `le` is matched by regex on the spellings exporters use for the same bound (Go clients
 * write `1`, Python clients and Prometheus 3's normalisation `1.0`), since `le` is a string label.
 */
function latencyQuery(sli: LatencySli, window: string): string {
  const bucket = selectorText(`${sli.metric}_bucket`, [
    ...sli.matchers,
    { name: 'le', type: '=~', value: leRegex(sli.threshold) },
  ]);
  const count = selectorText(`${sli.metric}_count`, sli.matchers);
  return `1 - (sum(rate(${bucket}[${window}])) / sum(rate(${count}[${window}])))`;
}

/**
 * errors / calls of the span-metrics counter. With no error series at all (a healthy service whose
 * connector never saw an error) `or vector(0)` keeps the ratio at 0 instead of absent.
 */
function spansQuery(sli: SpansSli, window: string): string {
  const matchers: LabelMatcher[] = [{ name: 'service_name', type: '=', value: sli.service }];
  if (sli.operation !== undefined) matchers.push({ name: 'span_name', type: '=', value: sli.operation });
  const errors = selectorText(SPAN_CALLS_METRIC, [
    ...matchers,
    { name: 'status_code', type: '=', value: SPAN_ERROR_STATUS },
  ]);
  const calls = selectorText(SPAN_CALLS_METRIC, matchers);
  return `(sum(rate(${errors}[${window}])) or vector(0)) / sum(rate(${calls}[${window}]))`;
}

/**
 * The share of minutes in the window in which the expression is at or above the threshold: a
 * 1-minute subquery of `max(expr) >= bool threshold` averaged. `max` makes one bad series (one
 * drifting feature) a bad minute; minutes without data do not count either way.
 */
function qualityQuery(sli: QualitySli, window: string): string {
  return `avg_over_time((max(${sli.expr}) >= bool ${formatPromFloat(sli.threshold)})[${window}:${QUALITY_STEP}])`;
}

/** The bucket selector text for the good events of a latency SLI (for the status's bucket check). */
export function bucketSelector(sli: LatencySli): string {
  return selectorText(`${sli.metric}_bucket`, sli.matchers);
}

/** Regex alternatives for one `le` value: `0.5`; `1|1\.0`; `1e-07`-style spellings are not covered. */
export function leRegex(threshold: number): string {
  const spellings = new Set([formatPromFloat(threshold)]);
  if (Number.isInteger(threshold)) spellings.add(`${formatPromFloat(threshold)}.0`);
  return [...spellings].map((text) => text.replace(/[.+]/g, (char) => `\\${char}`)).join('|');
}

function selectorText(metric: string, matchers: readonly LabelMatcher[]): string {
  return formatExpr({
    kind: 'vector_selector',
    name: metric,
    matchers: [{ name: '__name__', type: '=', value: metric }, ...matchers],
    offsetMs: 0,
    at: undefined,
    pos: { start: 0, end: 0 },
  });
}
