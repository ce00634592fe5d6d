import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProportionComparison, QuantileComparison } from '../ml-types.ts';
import {
  confidenceText,
  errorRateVerdict,
  latencyVerdict,
  pointsText,
  pValueText,
  quantileLabel,
} from './verdict-text.ts';

function quantileRow(
  quantile: number,
  relativeChange: number,
  ciLow: number,
  ciHigh: number,
): QuantileComparison {
  return {
    quantile,
    baselineMs: 10,
    candidateMs: 10 * (1 + relativeChange),
    relativeChange,
    ciLow,
    ciHigh,
    significant: ciLow > 0 || ciHigh < 0,
  };
}

function proportionRow(baseline: number, candidate: number, pValue: number): ProportionComparison {
  return {
    baseline,
    candidate,
    difference: candidate - baseline,
    ciLow: 0,
    ciHigh: 0,
    pValue,
    significant: pValue < 0.05,
  };
}

describe('verdict text', () => {
  const latencyCases: [QuantileComparison, string][] = [
    [quantileRow(0.99, 0.1503, 0.11, 0.19), '3.2.0 p99 is 15% slower than 3.1.0 (95% CI [11%, 19%])'],
    [quantileRow(0.5, -0.12, -0.15, -0.09), '3.2.0 p50 is 12% faster than 3.1.0 (95% CI [-15%, -9%])'],
    [quantileRow(0.5, 0.004, -0.021, 0.03), 'no significant latency difference at p50 (95% CI [-2.1%, 3%])'],
    [{ ...quantileRow(0.9, 0, 0, 0), relativeChange: null }, ''],
  ];
  for (const [row, want] of latencyCases)
    it(want || 'nothing without a comparison', () =>
      assert.equal(latencyVerdict('3.2.0', '3.1.0', row, 0.95) ?? '', want),
    );

  const errorCases: [ProportionComparison, string][] = [
    [proportionRow(0.004, 0.021, 0.00001), 'error rate 2.1% vs 0.4% (+1.7 points, p < 0.001)'],
    [proportionRow(0.004, 0.005, 0.62), 'no significant error-rate difference (0.5% vs 0.4%, p = 0.620)'],
    [proportionRow(0.03, 0.01, 0.002), 'error rate 1% vs 3% (-2.0 points, p = 0.002)'],
  ];
  for (const [row, want] of errorCases) it(want, () => assert.equal(errorRateVerdict(row), want));

  it('formats labels', () => {
    assert.equal(confidenceText(0.95), '95%');
    assert.equal(confidenceText(0.995), '99.5%');
    assert.equal(quantileLabel(0.999), 'p99.9');
    assert.equal(pValueText(0.0004), 'p < 0.001');
    assert.equal(pointsText(0), '+0.0 points');
  });
});
