/**
 * The OpenMetrics 1.0 validity rules that go beyond syntax, checked line by line as the parser
 * feeds samples and metadata in. Mirrors the reference parser (prometheus/client_python
 * openmetrics/parser.py, which the OpenMetrics parser test suite was written against):
 * families may not interleave or clash, metadata comes before samples and once each, samples of
 * one group are contiguous with non-decreasing timestamps, and type-specific value rules hold.
 */
import type { ExposedSample } from './exposition.ts';
import { ExpositionParseError } from './exposition.ts';
import { parseFloatToken } from './exposition-lexer.ts';
import { HistogramChecker, groupKey, isCanonicalNumber } from './openmetrics-histogram-check.ts';

/** Series names each type owns (client_python `type_suffixes`); other types own just the family name. */
const TYPE_SUFFIXES: Readonly<Record<string, readonly string[]>> = {
  counter: ['_total', '_created'],
  summary: ['', '_count', '_sum', '_created'],
  histogram: ['_count', '_sum', '_bucket', '_created'],
  gaugehistogram: ['_gcount', '_gsum', '_bucket'],
  info: ['_info'],
};
const COUNTER_LIKE_SUFFIXES: ReadonlySet<string> = new Set(['_total', '_sum', '_count', '_bucket', '_gcount']);

interface FamilyState {
  name: string;
  type: string;
  hasHelp: boolean;
  hasType: boolean;
  unit: string | undefined;
  sampleCount: number;
  allowedNames: readonly string[];
  group: string | undefined;
  groupTimestampSeconds: number | undefined;
  seenGroups: Set<string>;
  histogram: HistogramChecker | undefined;
}

function newFamily(name: string, type: string): FamilyState {
  const isHistogram = type === 'histogram' || type === 'gaugehistogram';
  return {
    name, type, hasHelp: false, hasType: false, unit: undefined, sampleCount: 0,
    allowedNames: (TYPE_SUFFIXES[type] ?? ['']).map((suffix) => name + suffix),
    group: undefined, groupTimestampSeconds: undefined, seenGroups: new Set(),
    histogram: isHistogram ? new HistogramChecker(name) : undefined,
  };
}

/** Feeds on parsed lines; throws {@link ExpositionParseError} at the first invalid one. */
export class OpenMetricsValidator {
  private readonly seenNames = new Set<string>();
  private family: FamilyState | undefined;

  metadata(keyword: string, name: string, text: string, lineNumber: number): void {
    let family = this.family;
    if (family?.name === name && family.sampleCount > 0) this.fail(lineNumber, 'metadata after samples of its family');
    if (family?.name !== name) {
      this.closeFamily(lineNumber);
      family = newFamily(name, 'unknown');
      this.family = family;
    }
    if (keyword === 'HELP') {
      if (family.hasHelp) this.fail(lineNumber, 'second HELP for a family');
      family.hasHelp = true;
    } else if (keyword === 'TYPE') {
      if (family.hasType) this.fail(lineNumber, 'second TYPE for a family');
      const typed = newFamily(name, text);
      this.family = { ...typed, hasHelp: family.hasHelp, hasType: true, unit: family.unit };
    } else {
      if (family.unit !== undefined) this.fail(lineNumber, 'second UNIT for a family');
      family.unit = text;
    }
  }

  sample(name: string, sample: ExposedSample, timestampSeconds: number | undefined, lineNumber: number): void {
    let family = this.family;
    if (family === undefined || !family.allowedNames.includes(name)) {
      this.closeFamily(lineNumber);
      family = newFamily(name, 'unknown');
      this.family = family;
    }
    this.checkLabels(family, name, sample, lineNumber);
    this.checkGrouping(family, name, sample, timestampSeconds, lineNumber);
    this.checkValue(family, name, sample, lineNumber);
    family.sampleCount++;
    const histogramError = family.histogram?.add(name, sample, timestampSeconds);
    if (histogramError !== undefined) this.fail(lineNumber, histogramError);
  }

  end(lineNumber: number): void {
    this.closeFamily(lineNumber);
  }

  private fail(lineNumber: number, message: string): never {
    throw new ExpositionParseError(lineNumber, message);
  }

  /** client_python build_metric: name clashes, unit rules, and the histogram's last group. */
  private closeFamily(lineNumber: number): void {
    const family = this.family;
    if (family === undefined) return;
    for (const suffix of new Set([...(TYPE_SUFFIXES[family.type] ?? []), ''])) {
      if (this.seenNames.has(family.name + suffix)) this.fail(lineNumber, 'metric family name clashes with an earlier one');
      this.seenNames.add(family.name + suffix);
    }
    if (family.unit) {
      if (!family.name.endsWith(`_${family.unit}`)) this.fail(lineNumber, 'unit is not a suffix of the metric name');
      if (family.type === 'info' || family.type === 'stateset') this.fail(lineNumber, 'unit not allowed for info or stateset');
    }
    const histogramError = family.histogram?.finish();
    if (histogramError !== undefined) this.fail(lineNumber, histogramError);
    this.family = undefined;
  }

  private checkLabels(family: FamilyState, name: string, sample: ExposedSample, lineNumber: number): void {
    const labels = sample.labels;
    if (family.type === 'stateset' && !labels.has(family.name)) this.fail(lineNumber, 'stateset sample without its state label');
    if (name === `${family.name}_bucket`) {
      const le = labels.get('le');
      if (le === undefined || le === 'NaN' || !isCanonicalNumber(le)) this.fail(lineNumber, 'bucket needs a valid "le" label');
      if (!Number.isInteger(sample.value)) this.fail(lineNumber, 'bucket value must be an integer');
    }
    if ((name === `${family.name}_count` || name === `${family.name}_gcount`) && !Number.isInteger(sample.value)) {
      this.fail(lineNumber, 'count value must be an integer');
    }
    if (family.type === 'summary' && name === family.name) {
      const quantileText = labels.get('quantile');
      const quantile = quantileText === undefined || !isCanonicalNumber(quantileText) ? NaN : (parseFloatToken(quantileText) ?? NaN);
      if (!(quantile >= 0 && quantile <= 1)) this.fail(lineNumber, 'quantile label must be between 0 and 1');
    }
  }

  /** Samples of one group (labels without le/quantile/state) are contiguous, timestamps non-decreasing. */
  private checkGrouping(family: FamilyState, name: string, sample: ExposedSample, timestampSeconds: number | undefined, lineNumber: number): void {
    const group = family.type === 'info' ? '' : groupKey(sample.labels, groupLabelToDrop(family, name));
    if (family.group !== undefined && group !== family.group && family.seenGroups.has(group)) {
      this.fail(lineNumber, 'samples of one group are not contiguous');
    }
    if (family.group !== undefined && group === family.group && family.sampleCount > 0) {
      if ((timestampSeconds === undefined) !== (family.groupTimestampSeconds === undefined)) {
        this.fail(lineNumber, 'some samples of a group have timestamps and some do not');
      }
      const previous = family.groupTimestampSeconds;
      if (previous !== undefined && timestampSeconds !== undefined && previous > timestampSeconds && family.type !== 'info') {
        this.fail(lineNumber, 'timestamps went backwards within a group');
      }
    }
    family.group = group;
    family.groupTimestampSeconds = timestampSeconds;
    family.seenGroups.add(group);
  }

  private checkValue(family: FamilyState, name: string, sample: ExposedSample, lineNumber: number): void {
    const value = sample.value;
    if (family.type === 'stateset' && value !== 0 && value !== 1) this.fail(lineNumber, 'stateset value must be 0 or 1');
    if (family.type === 'info' && value !== 1) this.fail(lineNumber, 'info value must be 1');
    if (family.type === 'summary' && name === family.name && value < 0) this.fail(lineNumber, 'quantile value must not be negative');
    const suffix = name.slice(family.name.length);
    if (COUNTER_LIKE_SUFFIXES.has(suffix) && !(value >= 0)) this.fail(lineNumber, 'counter-like value must not be negative or NaN');
    // A gaugehistogram's _gsum may be negative (with negative buckets, see the histogram check), never NaN.
    if (suffix === '_gsum' && Number.isNaN(value)) this.fail(lineNumber, 'gsum must not be NaN');
    if (sample.exemplar !== undefined) {
      const onBucket = (family.type === 'histogram' || family.type === 'gaugehistogram') && name.endsWith('_bucket');
      const onCounter = family.type === 'counter' && name.endsWith('_total');
      if (!onBucket && !onCounter) this.fail(lineNumber, 'exemplars only on counter _total and histogram _bucket samples');
    }
  }
}

/** The label that does not split groups: `le` for buckets, `quantile` for quantiles, the state label. */
function groupLabelToDrop(family: FamilyState, name: string): string | undefined {
  if (family.type === 'summary' && name === family.name) return 'quantile';
  if (family.type === 'stateset') return family.name;
  if ((family.type === 'histogram' || family.type === 'gaugehistogram') && name === `${family.name}_bucket`) return 'le';
  return undefined;
}
