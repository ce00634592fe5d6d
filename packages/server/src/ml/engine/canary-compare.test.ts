import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MlAnalytics } from './ml-analytics.ts';
import type { VersionMix } from './synthetic-spans.ts';
import { T0_MS, workload } from './synthetic-spans.ts';

const MINUTE_MS = 60_000;
const RANGE = { startMs: T0_MS, endMs: T0_MS + 10 * MINUTE_MS };

/** 40 000 requests over 10 minutes, 90% stable 3.1.0 and 10% canary 3.2.0. */
async function canaryRun(
  seed: number,
  canary: Omit<VersionMix, 'version' | 'share'>,
  stable: Omit<VersionMix, 'version' | 'share'> = {},
  count = 40_000,
) {
  const ml = new MlAnalytics({ nowMs: () => RANGE.endMs });
  await ml.consume(
    workload(seed, count, T0_MS, 10 * MINUTE_MS, [
      { version: '3.1.0', share: 0.9, ...stable },
      { version: '3.2.0', share: 0.1, ...canary },
    ]),
  );
  return ml.compare('fraud-detector', '3.1.0', '3.2.0', RANGE, { seed: 7 });
}

describe('MlAnalytics.compare', () => {
  it('finds a 15% slowdown of the canary at every quantile, with an interval containing it', async () => {
    const result = await canaryRun(11, { slowdown: 1.15 });
    assert.equal(result.requests.baseline + result.requests.candidate, 40_000);
    for (const row of result.latency) {
      assert.ok(row.significant, `p${row.quantile * 100} significant`);
      assert.ok(
        row.ciLow! <= 0.15 && 0.15 <= row.ciHigh!,
        `p${row.quantile * 100} CI [${row.ciLow}, ${row.ciHigh}]`,
      );
      // 4000 canary requests: the median is tight, p99 rests on ~40 values.
      const tolerance = row.quantile === 0.99 ? 0.08 : 0.04;
      assert.ok(
        Math.abs(row.relativeChange! - 0.15) < tolerance,
        `p${row.quantile * 100} change ${row.relativeChange}`,
      );
    }
    assert.match(
      result.verdict[0]!,
      /^3\.2\.0 p50 is 1[3-7]% slower than 3\.1\.0 \(95% CI \[1\d%, [12]\d%\]\)$/,
    );
    assert.match(result.verdict[2]!, /^3\.2\.0 p99 is \d+% slower than 3\.1\.0/);
    assert.equal(result.errorRate.significant, false);
    assert.equal(result.predictions.significant, false);
    assert.ok(result.verdict.includes('no significant difference in predictions'));
  });

  it('claims no difference between equal versions', async () => {
    const result = await canaryRun(12, {});
    assert.deepEqual(
      result.latency.map((row) => row.significant),
      [false, false, false],
    );
    for (const row of result.latency) assert.ok(row.ciLow! < 0 && row.ciHigh! > 0);
    assert.match(
      result.verdict[0]!,
      /^no significant latency difference at p50 \(95% CI \[-\d(\.\d)?%, \d(\.\d)?%\]\)$/,
    );
    assert.equal(result.errorRate.significant, false);
    assert.equal(result.predictions.significant, false);
    assert.ok(
      !result.verdict.some((sentence) => /slower|faster|^error rate|differ /.test(sentence)),
      result.verdict.join('; '),
    );
  });

  it('reports a higher canary error rate in points with its p-value', async () => {
    const result = await canaryRun(13, { errorRate: 0.02 }, { errorRate: 0.004 });
    const { errorRate } = result;
    assert.ok(errorRate.significant);
    // 4000 canary requests at 2%: σ of the rate = sqrt(0.02·0.98/4000) = 0.0022.
    assert.ok(Math.abs(errorRate.candidate! - 0.02) < 0.009, `candidate ${errorRate.candidate}`);
    assert.ok(Math.abs(errorRate.baseline! - 0.004) < 0.002, `baseline ${errorRate.baseline}`);
    assert.equal(errorRate.difference, errorRate.candidate! - errorRate.baseline!);
    assert.ok(errorRate.ciLow! <= 0.016 && 0.016 <= errorRate.ciHigh!);
    const sentence = result.verdict.find((s) => s.startsWith('error rate'));
    assert.match(sentence ?? '', /^error rate \d\.\d% vs 0\.\d+% \(\+1\.\d points, p < 0\.001\)$/);
  });

  it('flags shifted prediction scores', async () => {
    const result = await canaryRun(14, { scoreShift: 0.1 });
    assert.ok(result.predictions.significant);
    assert.ok(Math.abs(result.predictions.scoreKs! - 0.383) < 0.05, `KS ${result.predictions.scoreKs}`);
    assert.ok(result.verdict.some((s) => /^prediction scores differ \(KS D = 0\.\d+, p < 0\.001\)$/.test(s)));
  });

  it('says "not enough data" below 50 requests per version and claims nothing else', async () => {
    const result = await canaryRun(15, { slowdown: 2 }, {}, 400);
    assert.ok(result.requests.candidate < 50);
    assert.equal(result.verdict.length, 1);
    assert.match(
      result.verdict[0]!,
      /^not enough data: 3\.2\.0 has \d+ requests and 3\.1\.0 has \d+ in the range \(at least 50 each are needed\)$/,
    );
    assert.ok(result.latency.every((row) => row.relativeChange === null && !row.significant));
    assert.ok(
      result.latency[0]!.candidateMs! > result.latency[0]!.baselineMs!,
      'quantiles are still reported',
    );
  });
});
