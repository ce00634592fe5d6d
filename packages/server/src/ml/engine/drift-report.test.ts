import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DriftScore } from '../ml-types.ts';
import { MlAnalytics, UnknownBaselineError } from './ml-analytics.ts';
import type { VersionMix } from './synthetic-spans.ts';
import { T0_MS, workload } from './synthetic-spans.ts';

const MINUTE_MS = 60_000;
const REFERENCE = { startMs: T0_MS, endMs: T0_MS + 10 * MINUTE_MS };
const CURRENT = { startMs: T0_MS + 10 * MINUTE_MS, endMs: T0_MS + 20 * MINUTE_MS };

/** 5000 requests of version 1 before, 5000 after T0 + 10 min with `after` applied. */
async function twoPeriods(after: Omit<VersionMix, 'version' | 'share'>): Promise<MlAnalytics> {
  const ml = new MlAnalytics({ nowMs: () => CURRENT.endMs });
  await ml.consume(
    workload(21, 5_000, REFERENCE.startMs, 10 * MINUTE_MS, [{ version: '1', share: 1, nullRate: 0.01 }]),
  );
  await ml.consume(
    workload(22, 5_000, CURRENT.startMs, 10 * MINUTE_MS, [{ version: '1', share: 1, ...after }]),
  );
  return ml;
}

function feature(features: DriftScore[], name: string): DriftScore {
  const found = features.find((f) => f.feature === name);
  assert.ok(found, `feature ${name}`);
  return found;
}

describe('MlAnalytics.drift', () => {
  it('flags scores shifted by one standard deviation, with the expected KS distance', async () => {
    const ml = await twoPeriods({ scoreShift: 0.1, nullRate: 0.01 });
    const report = ml.drift('fraud-detector', '1', CURRENT, { kind: 'previous' });
    assert.deepEqual(report.reference, { kind: 'previous', range: REFERENCE });
    const score = feature(report.features, 'ml.prediction.score');
    assert.equal(score.drifted, true);
    assert.equal(score.referenceCount, 5_000);
    // N(0.3, 0.1) vs N(0.4, 0.1): KS D = 2Φ(0.5) − 1 = 0.3829 (python3: 2*NormalDist().cdf(0.5)-1).
    assert.ok(Math.abs(score.ks! - 0.383) < 0.04, `KS ${score.ks}`);
    assert.ok(score.ksPValue! < 1e-6);
    // PSI of equal-variance normals ≈ symmetric KL = d² = 1 for a 1σ shift; 10 bins see most of it.
    assert.ok(score.psi! > 0.5, `PSI ${score.psi}`);
    // The class mix follows the score (fraud ⇔ score ≥ 0.5: 2.3% → 15.9%).
    assert.equal(feature(report.features, 'ml.prediction.class').drifted, true);
    const amount = feature(report.features, 'txn.amount');
    assert.equal(amount.drifted, false, 'unshifted feature');
    assert.ok(amount.psi! < 0.05, `txn.amount PSI ${amount.psi}`);
  });

  it('reports no drift where none was injected', async () => {
    const ml = await twoPeriods({ nullRate: 0.01 });
    const report = ml.drift('fraud-detector', '1', CURRENT, { kind: 'range', range: REFERENCE });
    for (const score of report.features) {
      assert.equal(score.drifted, false, score.feature);
      assert.ok(score.psi! < 0.05, `${score.feature} PSI ${score.psi}`);
    }
    const score = feature(report.features, 'ml.prediction.score');
    assert.ok(score.ksPValue! > 0.01, `KS p ${score.ksPValue}`);
    assert.equal(feature(report.features, 'ml.prediction.class').kind, 'categorical');
  });

  it('compares the null-feature ratio: 5% now against 1% before', async () => {
    const ml = await twoPeriods({ nullRate: 0.05 });
    const { nullFeatureRatio } = ml.drift('fraud-detector', '1', CURRENT, { kind: 'previous' });
    // 500 000 feature values per side: σ ≈ 0.0003.
    assert.ok(Math.abs(nullFeatureRatio.current! - 0.05) < 0.0015, `current ${nullFeatureRatio.current}`);
    assert.ok(
      Math.abs(nullFeatureRatio.reference! - 0.01) < 0.0015,
      `reference ${nullFeatureRatio.reference}`,
    );
  });

  it('pins a baseline that survives JSON and the slots ageing out', async () => {
    const ml = await twoPeriods({ scoreShift: 0.1, nullRate: 0.01 });
    const info = ml.pinBaseline('launch', 'fraud-detector', '1', REFERENCE);
    assert.deepEqual(info, {
      name: 'launch',
      model: 'fraud-detector',
      version: '1',
      range: REFERENCE,
      scoreCount: 5_000,
    });
    const saved: unknown = JSON.parse(JSON.stringify(ml.baselinesToJSON()));
    const fromBaseline = ml.drift('fraud-detector', '1', CURRENT, { kind: 'baseline', name: 'launch' });

    // A new engine whose clock is long past the reference range: only the pinned copy remains.
    const later = new MlAnalytics({ nowMs: () => CURRENT.endMs });
    await later.consume(
      workload(22, 5_000, CURRENT.startMs, 10 * MINUTE_MS, [
        { version: '1', share: 1, scoreShift: 0.1, nullRate: 0.01 },
      ]),
    );
    later.loadBaselines(saved);
    assert.deepEqual(later.baselines(), [info]);
    const reloaded = later.drift('fraud-detector', '1', CURRENT, { kind: 'baseline', name: 'launch' });
    assert.deepEqual(reloaded, fromBaseline);
    assert.deepEqual(reloaded.reference, { kind: 'baseline', name: 'launch', range: REFERENCE });
    assert.equal(feature(reloaded.features, 'ml.prediction.score').drifted, true);
    assert.throws(
      () => later.drift('fraud-detector', '1', CURRENT, { kind: 'baseline', name: 'nope' }),
      UnknownBaselineError,
    );
    assert.throws(() => later.loadBaselines({ formatVersion: 1, baselines: [{ name: 3 }] }), TypeError);
  });

  it('never flags drift on fewer than 50 values', async () => {
    const ml = new MlAnalytics({ nowMs: () => CURRENT.endMs });
    await ml.consume(workload(23, 40, REFERENCE.startMs, 10 * MINUTE_MS, [{ version: '1', share: 1 }]));
    await ml.consume(
      workload(24, 40, CURRENT.startMs, 10 * MINUTE_MS, [{ version: '1', share: 1, scoreShift: 0.5 }]),
    );
    const score = feature(
      ml.drift('fraud-detector', '1', CURRENT, { kind: 'previous' }).features,
      'ml.prediction.score',
    );
    assert.ok(score.psi! > 0.2, 'the shift is visible');
    assert.equal(score.drifted, false);
  });
});
