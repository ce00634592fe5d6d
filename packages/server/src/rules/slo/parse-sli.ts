/** The SLI part of an SLO declaration: exactly one of `events`, `latency`, `spans`, `quality`. */
import { parseDurationMillis } from '../../config/duration.ts';
import { METRIC_NAME } from '../../query/promql/labels.ts';
import type { LabelMatcher } from '../../query/promql/matchers.ts';
import { errorRatioQuery, WINDOW_PLACEHOLDER, withWindow } from './sli-queries.ts';
import type { EventsSli, LatencySli, QualitySli, SliSpec, SpansSli } from './slo-spec.ts';
import {
  fieldsOf,
  optionalString,
  requiredNumber,
  requiredString,
  SloSpecError,
  vectorExpr,
  type Fields,
} from './spec-fields.ts';
import { isLegacyMetricName } from '../../model/prom-names.ts';

export const SLI_KINDS = ['events', 'latency', 'spans', 'quality'] as const;

/** Reads the one SLI key of an SLO declaration's fields. */
export function parseSli(fields: Fields, at: readonly string[]): SliSpec {
  const present = SLI_KINDS.filter((kind) => fields[kind] !== undefined && fields[kind] !== null);
  const kind = present[0];
  if (kind === undefined || present.length > 1)
    throw new SloSpecError(`expected exactly one SLI: one of ${SLI_KINDS.join(', ')}`, at);
  const where = [...at, kind];
  switch (kind) {
    case 'events':
      return parseEvents(fields[kind], where);
    case 'latency':
      return parseLatency(fields[kind], where);
    case 'spans':
      return parseSpans(fields[kind], where);
    case 'quality':
      return parseQuality(fields[kind], where);
  }
}

function parseEvents(value: unknown, at: readonly string[]): EventsSli {
  const fields = fieldsOf(value, at, ['error_query', 'good_query', 'total_query']);
  const errorQuery = optionalString(fields, 'error_query', at);
  const goodQuery = optionalString(fields, 'good_query', at);
  if ((errorQuery === undefined) === (goodQuery === undefined))
    throw new SloSpecError('expected exactly one of error_query, good_query', at);
  const totalQuery = requiredString(fields, 'total_query', at);
  const numeratorKey = errorQuery !== undefined ? 'error_query' : 'good_query';
  const numeratorQuery = errorQuery ?? goodQuery ?? '';
  checkWindowedQuery(numeratorQuery, [...at, numeratorKey]);
  checkWindowedQuery(totalQuery, [...at, 'total_query']);
  const sli: EventsSli = {
    kind: 'events',
    countsErrors: errorQuery !== undefined,
    numeratorQuery,
    totalQuery,
  };
  // Each query parses alone; a trailing `# comment` would still break the combined ratio.
  vectorExpr(errorRatioQuery(sli, 300_000), at);
  return sli;
}

/** Sloth's convention: the range is written `{{.window}}`; the query must parse with it filled in. */
function checkWindowedQuery(query: string, at: readonly string[]): void {
  if (query.match(WINDOW_PLACEHOLDER) === null)
    throw new SloSpecError('must contain {{.window}} where the range goes, e.g. rate(x[{{.window}}])', at);
  vectorExpr(withWindow(query, '5m'), at);
}

function parseLatency(value: unknown, at: readonly string[]): LatencySli {
  const fields = fieldsOf(value, at, ['metric', 'matchers', 'threshold']);
  const metric = requiredString(fields, 'metric', at);
  if (!isLegacyMetricName(metric)) throw new SloSpecError('not a valid metric name', [...at, 'metric']);
  if (/_(bucket|count|sum)$/.test(metric))
    throw new SloSpecError('give the histogram base name, without _bucket/_count/_sum', [...at, 'metric']);
  const matchersText = optionalString(fields, 'matchers', at);
  const matchers = matchersText === undefined ? [] : parseMatchers(matchersText, [...at, 'matchers']);
  const threshold = latencyThreshold(fields.threshold, metric, [...at, 'threshold']);
  return { kind: 'latency', metric, matchers, threshold };
}

/** `{a="b", c=~"d"}`: label matchers as a selector writes them; `le` and the metric name are set by the SLI. */
function parseMatchers(text: string, at: readonly string[]): LabelMatcher[] {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}'))
    throw new SloSpecError('expected label matchers in braces, e.g. {model_name="fraud-detector"}', at);
  const expr = vectorExpr(`histogram${trimmed}`, at);
  if (expr.kind !== 'vector_selector')
    throw new SloSpecError('expected label matchers in braces, e.g. {model_name="fraud-detector"}', at);
  const matchers = expr.matchers.filter((matcher) => matcher.name !== METRIC_NAME);
  if (matchers.length !== expr.matchers.length - 1 || matchers.some((matcher) => matcher.name === 'le'))
    throw new SloSpecError('must not match __name__ or le: the SLI sets them', at);
  return matchers;
}

/**
 * A number in the metric's unit, or a duration (`500ms`) converted to the unit the metric name
 * says (`_seconds` or `_milliseconds`), as the Prometheus naming conventions put units in names.
 */
function latencyThreshold(value: unknown, metric: string, at: readonly string[]): number {
  let threshold: number;
  if (typeof value === 'number') {
    threshold = value;
  } else if (typeof value === 'string') {
    threshold = durationInMetricUnit(value, metric, at);
  } else {
    throw new SloSpecError(value === undefined ? 'required' : 'expected a number or a duration', at);
  }
  if (!Number.isFinite(threshold) || threshold <= 0)
    throw new SloSpecError('expected a positive finite bucket bound', at);
  return threshold;
}

function durationInMetricUnit(text: string, metric: string, at: readonly string[]): number {
  if (/^\s*[0-9.]+(e[-+]?\d+)?\s*$/i.test(text)) return Number(text);
  let durationMs: number;
  try {
    durationMs = parseDurationMillis(text);
  } catch (error: unknown) {
    throw new SloSpecError((error as Error).message, at);
  }
  if (metric.endsWith('_seconds')) return durationMs / 1000;
  if (metric.endsWith('_milliseconds')) return durationMs;
  throw new SloSpecError(
    'a duration needs a metric named *_seconds or *_milliseconds; give a number in the metric unit',
    at,
  );
}

function parseSpans(value: unknown, at: readonly string[]): SpansSli {
  const fields = fieldsOf(value, at, ['service', 'operation']);
  return {
    kind: 'spans',
    service: requiredString(fields, 'service', at),
    operation: optionalString(fields, 'operation', at),
  };
}

function parseQuality(value: unknown, at: readonly string[]): QualitySli {
  const fields = fieldsOf(value, at, ['expr', 'threshold']);
  const expr = requiredString(fields, 'expr', at);
  vectorExpr(expr, [...at, 'expr']);
  return { kind: 'quality', expr, threshold: requiredNumber(fields, 'threshold', at) };
}
