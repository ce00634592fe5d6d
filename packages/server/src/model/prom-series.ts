/**
 * Prometheus-shaped series as storage takes and returns them. The PromQL layer
 * (query/promql/series-source.ts) has structurally identical types; these live in the model so
 * storage does not import query (imports go query → storage → model).
 */
import { re2ToJs } from './re2-regex.ts';

/** A series' labels, `__name__` included. Empty values are not labels and never appear. */
export type PromLabels = ReadonlyMap<string, string>;

/** One series' samples: ms timestamps ascending and unique, float64 values (stale markers included). */
export interface PromSeriesSamples {
  labels: PromLabels;
  timestampsMs: Float64Array;
  values: Float64Array;
}

/**
 * Many series' samples in shared columns, as remote write decodes them (no object per series):
 * series i has `labelSets[i]` and the samples from `sampleEnds[i - 1]` (0 for the first) to
 * `sampleEnds[i]` of `timestampsMs`/`values`.
 */
export interface PromSeriesColumns {
  labelSets: readonly PromLabels[];
  sampleEnds: Uint32Array;
  timestampsMs: Float64Array;
  values: Float64Array;
}

/** The series of `columns` as objects whose sample arrays are views of the columns. */
export function seriesOfColumns(columns: PromSeriesColumns): PromSeriesSamples[] {
  let start = 0;
  return columns.labelSets.map((labels, i) => {
    const end = columns.sampleEnds[i] ?? start;
    const series = {
      labels,
      timestampsMs: columns.timestampsMs.subarray(start, end),
      values: columns.values.subarray(start, end),
    };
    start = end;
    return series;
  });
}

export type PromMetricType =
  'counter' | 'gauge' | 'histogram' | 'gaugehistogram' | 'summary' | 'info' | 'stateset' | 'unknown';

/** One metric family's metadata as Prometheus's /api/v1/metadata reports it. */
export interface PromMetadata {
  type: PromMetricType;
  help: string;
  unit: string;
}

export interface PromFamilyMetadata extends PromMetadata {
  /** The family name: `http_request_duration_seconds`, not its `_bucket` series. */
  metricFamily: string;
}

export type SeriesMatchType = '=' | '!=' | '=~' | '!~';

/** A label matcher of a selector, as PromQL writes it: `job=~"api|web"`. */
export interface SeriesMatcher {
  name: string;
  type: SeriesMatchType;
  value: string;
}

/**
 * Prometheus regexes are RE2, fully anchored, and `.` matches newlines (the `s` flag). RE2
 * syntax JavaScript spells differently is translated (re2-regex.ts). Throws SyntaxError for
 * invalid patterns.
 */
export function compilePromRegex(pattern: string): RegExp {
  const cached = regexCache.get(pattern);
  if (cached) return cached;
  const regex = new RegExp(`^(?:${re2ToJs(pattern)})$`, 'su');
  if (regexCache.size >= MAX_CACHED_REGEXES) regexCache.clear();
  regexCache.set(pattern, regex);
  return regex;
}

// Dashboards repeat the same matchers on every refresh; compiling once per pattern saves that work.
const MAX_CACHED_REGEXES = 1000;
const regexCache = new Map<string, RegExp>();

/**
 * The matcher as a predicate on a label value; an absent label is matched as ''. Results are
 * memoised per value: a regex over an index runs once per distinct label value.
 *
 * @example
 * const isApi = seriesMatcherPredicate({ name: 'job', type: '=~', value: 'api|web' });
 * isApi('api'); // true
 */
export function seriesMatcherPredicate(matcher: SeriesMatcher): (value: string) => boolean {
  switch (matcher.type) {
    case '=':
      return (value) => value === matcher.value;
    case '!=':
      return (value) => value !== matcher.value;
    case '=~':
    case '!~': {
      const regex = compilePromRegex(matcher.value);
      const negate = matcher.type === '!~';
      const memo = new Map<string, boolean>();
      return (value) => {
        let matched = memo.get(value);
        if (matched === undefined) {
          matched = regex.test(value) !== negate;
          if (memo.size < 100_000) memo.set(value, matched);
        }
        return matched;
      };
    }
  }
}

/**
 * The stale marker written for OTLP points flagged FLAG_NO_RECORDED_VALUE, as Prometheus writes
 * value.StaleNaN. Bit pattern 0x7ff8000000000002: Prometheus's 0x7ff0000000000002 with the quiet
 * bit set, which survives plain JS arrays (query/promql/values.ts STALE_NAN is the same value and
 * its isStaleNaN recognises both). Storage keeps whatever NaN bits it is given.
 */
export const PROM_STALE_NAN: number = (() => {
  const view = new DataView(new ArrayBuffer(8));
  view.setUint32(0, 0x7ff80000);
  view.setUint32(4, 2);
  return view.getFloat64(0);
})();
