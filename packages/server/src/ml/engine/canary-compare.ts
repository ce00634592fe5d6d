/**
 * Canary analysis of a candidate version against a baseline version over the same range:
 * latency quantiles by bootstrap (compare.ts bootstrapQuantileChange), error rates by a two-
 * proportion test (proportionDifference), predictions by two-sample KS on scores and a chi-square
 * test on the class mix (categoricalDrift). Effects are called significant only when the interval
 * excludes 0 (latency) or p < 1 − confidence (errors, predictions). Latency intervals are widened
 * by the sketches' accuracy, so changes below ~2% (one bucket step) are never called significant.
 */
import { bootstrapQuantileChange, proportionDifference } from '../stats/compare.ts';
import { categoricalDrift, ksTwoSample } from '../stats/drift.ts';
import type {
  CanaryComparison,
  DistributionComparison,
  ProportionComparison,
  QuantileComparison,
  RangeMs,
} from '../ml-types.ts';
import { errorRateVerdict, latencyVerdict, pValueText } from './verdict-text.ts';
import type { VersionSlot } from './version-slot.ts';

/**
 * Below this many requests per version no comparison is attempted: the bootstrap p99 of fewer
 * than 50 values is the maximum or next to it, and a proportion test on < 50 trials is mostly noise.
 */
export const MIN_REQUESTS_PER_VERSION = 50;
export const CANARY_QUANTILES = [0.5, 0.9, 0.99] as const;

export interface CompareOptions {
  /** Confidence level of intervals and the significance threshold (1 − confidence); default 0.95. */
  confidence?: number;
  /** Bootstrap resamples; default 1000. */
  iterations?: number;
  /** Bootstrap seed: the same data and seed give the same interval. Default 1. */
  seed?: number;
}

export interface CanaryInput {
  model: string;
  baseline: string;
  candidate: string;
  range: RangeMs;
  baselineSlot: VersionSlot;
  candidateSlot: VersionSlot;
}

/** The comparison and its verdict sentences. */
export function compareSlots(input: CanaryInput, options: CompareOptions = {}): CanaryComparison {
  const confidence = options.confidence ?? 0.95;
  const { baselineSlot: base, candidateSlot: cand } = input;
  const enough = base.requests >= MIN_REQUESTS_PER_VERSION && cand.requests >= MIN_REQUESTS_PER_VERSION;
  const latency = CANARY_QUANTILES.map((q) => compareQuantile(base, cand, q, enough, options));
  const errorRate = compareErrors(base, cand, enough, confidence);
  const predictions = comparePredictions(base, cand, enough, confidence);
  const verdict: string[] = [];
  if (!enough)
    verdict.push(
      `not enough data: ${input.candidate} has ${cand.requests} requests and ${input.baseline} has ` +
        `${base.requests} in the range (at least ${MIN_REQUESTS_PER_VERSION} each are needed)`,
    );
  else {
    for (const row of latency) {
      const sentence = latencyVerdict(input.candidate, input.baseline, row, confidence);
      if (sentence !== undefined) verdict.push(sentence);
    }
    const errorSentence = errorRateVerdict(errorRate);
    if (errorSentence !== undefined) verdict.push(errorSentence);
    verdict.push(...predictionVerdict(predictions, confidence));
  }
  return {
    model: input.model,
    baseline: input.baseline,
    candidate: input.candidate,
    range: input.range,
    confidence,
    requests: { baseline: base.requests, candidate: cand.requests },
    latency,
    errorRate,
    predictions,
    verdict,
  };
}

function compareQuantile(
  base: VersionSlot,
  cand: VersionSlot,
  quantile: number,
  enough: boolean,
  options: CompareOptions,
): QuantileComparison {
  const row: QuantileComparison = {
    quantile,
    baselineMs: base.latencyMs?.quantile(quantile) ?? null,
    candidateMs: cand.latencyMs?.quantile(quantile) ?? null,
    relativeChange: null,
    ciLow: null,
    ciHigh: null,
    significant: false,
  };
  if (!enough || !base.latencyMs || !cand.latencyMs) return row;
  const change = bootstrapQuantileChange(
    base.latencyMs.distribution(),
    cand.latencyMs.distribution(),
    quantile,
    {
      iterations: options.iterations ?? 1000,
      confidence: options.confidence ?? 0.95,
      seed: options.seed ?? 1,
    },
  );
  // Each sketched quantile is within α of the sample's (LogSketch), so their ratio is within a
  // factor γ = (1 + α) / (1 − α) of the sample ratio: widen the bootstrap interval by it, or a
  // change that falls between two bucket steps would be reported with false precision.
  const alpha = Math.max(base.latencyMs.relativeAccuracy, cand.latencyMs.relativeAccuracy);
  const gamma = (1 + alpha) / (1 - alpha);
  row.relativeChange = change.relativeChange;
  row.ciLow = (1 + change.ciLow) / gamma - 1;
  row.ciHigh = (1 + change.ciHigh) * gamma - 1;
  row.significant = row.ciLow > 0 || row.ciHigh < 0;
  return row;
}

function compareErrors(
  base: VersionSlot,
  cand: VersionSlot,
  enough: boolean,
  confidence: number,
): ProportionComparison {
  const row: ProportionComparison = {
    baseline: base.requests > 0 ? base.errors / base.requests : null,
    candidate: cand.requests > 0 ? cand.errors / cand.requests : null,
    difference: null,
    ciLow: null,
    ciHigh: null,
    pValue: null,
    significant: false,
  };
  if (!enough) return row;
  const test = proportionDifference(base.errors, base.requests, cand.errors, cand.requests, confidence);
  return { ...row, ...test, significant: test.pValue < 1 - confidence };
}

function comparePredictions(
  base: VersionSlot,
  cand: VersionSlot,
  enough: boolean,
  confidence: number,
): DistributionComparison {
  const row: DistributionComparison = {
    scoreKs: null,
    scoreKsPValue: null,
    classPsi: null,
    classPValue: null,
    significant: false,
  };
  if (!enough) return row;
  const alpha = 1 - confidence;
  if (
    (base.scores?.count ?? 0) >= MIN_REQUESTS_PER_VERSION &&
    (cand.scores?.count ?? 0) >= MIN_REQUESTS_PER_VERSION
  ) {
    const ks = ksTwoSample(base.scores!.distribution(), cand.scores!.distribution());
    row.scoreKs = ks.statistic;
    row.scoreKsPValue = ks.pValue;
  }
  if (
    base.classes &&
    cand.classes &&
    sum(base.classes) >= MIN_REQUESTS_PER_VERSION &&
    sum(cand.classes) >= MIN_REQUESTS_PER_VERSION
  ) {
    const classes = categoricalDrift(base.classes, cand.classes);
    row.classPsi = classes.psi;
    row.classPValue = classes.pValue;
  }
  row.significant = (row.scoreKsPValue ?? 1) < alpha || (row.classPValue ?? 1) < alpha;
  return row;
}

function predictionVerdict(predictions: DistributionComparison, confidence: number): string[] {
  const alpha = 1 - confidence;
  const sentences: string[] = [];
  const { scoreKs, scoreKsPValue, classPsi, classPValue } = predictions;
  if (scoreKs !== null && scoreKsPValue !== null && scoreKsPValue < alpha)
    sentences.push(`prediction scores differ (KS D = ${scoreKs.toFixed(3)}, ${pValueText(scoreKsPValue)})`);
  if (classPsi !== null && classPValue !== null && classPValue < alpha)
    sentences.push(`prediction class mix differs (PSI ${classPsi.toFixed(3)}, ${pValueText(classPValue)})`);
  if (sentences.length === 0 && (scoreKs !== null || classPsi !== null))
    sentences.push('no significant difference in predictions');
  return sentences;
}

function sum(counts: ReadonlyMap<string, number>): number {
  let total = 0;
  for (const count of counts.values()) total += count;
  return total;
}
