/**
 * Wording of canary verdicts: effects are stated only when significant, with their interval or
 * p-value, in the words an on-call engineer would use ("15% slower", "+1.7 points").
 */
import { formatPercent } from '../stats/compare.ts';
import type { ProportionComparison, QuantileComparison } from '../ml-types.ts';

/** The confidence level as a label: 0.95 → "95%". */
export function confidenceText(confidence: number): string {
  return `${Number((confidence * 100).toFixed(1))}%`;
}

/** APA style: "p < 0.001" below 0.001, else three decimals. */
export function pValueText(pValue: number): string {
  return pValue < 0.001 ? 'p < 0.001' : `p = ${pValue.toFixed(3)}`;
}

/** A difference of proportions in percentage points, always signed: 0.017 → "+1.7 points". */
export function pointsText(difference: number): string {
  const points = (difference * 100).toFixed(1);
  return `${difference >= 0 ? '+' : ''}${points} points`;
}

export function quantileLabel(quantile: number): string {
  return `p${Number((quantile * 100).toFixed(1))}`;
}

/**
 * "3.2.0 p99 is 15% slower than 3.1.0 (95% CI [11%, 19%])", or "no significant latency difference
 * at p50 (95% CI [-2%, 3%])" when the interval contains 0; undefined when nothing was compared.
 */
export function latencyVerdict(
  candidate: string,
  baseline: string,
  row: QuantileComparison,
  confidence: number,
): string | undefined {
  const { relativeChange, ciLow, ciHigh } = row;
  if (relativeChange === null || ciLow === null || ciHigh === null) return undefined;
  const interval = `${confidenceText(confidence)} CI [${formatPercent(ciLow)}, ${formatPercent(ciHigh)}]`;
  const label = quantileLabel(row.quantile);
  if (!row.significant) return `no significant latency difference at ${label} (${interval})`;
  const direction = relativeChange > 0 ? 'slower' : 'faster';
  return `${candidate} ${label} is ${formatPercent(Math.abs(relativeChange))} ${direction} than ${baseline} (${interval})`;
}

/**
 * "error rate 2.1% vs 0.4% (+1.7 points, p < 0.001)" (candidate first), or "no significant
 * error-rate difference (…)"; undefined when nothing was compared.
 */
export function errorRateVerdict(row: ProportionComparison): string | undefined {
  const { candidate, baseline, difference, pValue } = row;
  if (candidate === null || baseline === null || difference === null || pValue === null) return undefined;
  const rates = `${formatPercent(candidate)} vs ${formatPercent(baseline)}`;
  if (!row.significant) return `no significant error-rate difference (${rates}, ${pValueText(pValue)})`;
  return `error rate ${rates} (${pointsText(difference)}, ${pValueText(pValue)})`;
}
