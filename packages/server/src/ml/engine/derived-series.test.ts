import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PromSeriesSamples } from '../../model/prom-series.ts';
import { attrs, makeSpan, resource } from '../../storage/contract-fixtures.ts';
import { MlAnalytics } from './ml-analytics.ts';
import { T0_MS, timed, workload } from './synthetic-spans.ts';

const MINUTE_MS = 60_000;
const NOW_MS = T0_MS + 10 * MINUTE_MS;

/** 10 minutes of 90/10 traffic; in the last 5 (the series window) the canary is 15% slower and stable's scores shift. */
async function engine(): Promise<MlAnalytics> {
  const ml = new MlAnalytics({
    nowMs: () => NOW_MS,
    genAiPrices: { 'gpt-4o': { inputPerMillionUsd: 2.5, outputPerMillionUsd: 10 } },
  });
  await ml.consume(
    workload(41, 10_000, T0_MS, 5 * MINUTE_MS, [
      { version: '3.1.0', share: 0.9 },
      { version: '3.2.0', share: 0.1 },
    ]),
  );
  await ml.consume(
    workload(42, 10_000, T0_MS + 5 * MINUTE_MS, 5 * MINUTE_MS, [
      { version: '3.1.0', share: 0.9, scoreShift: 0.1 },
      { version: '3.2.0', share: 0.1, slowdown: 1.15 },
    ]),
  );
  const chat = makeSpan({
    trace: 1,
    span: 1,
    name: 'chat',
    resource: resource('assistant'),
    attributes: attrs({
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.usage.input_tokens': 1000n,
      'gen_ai.usage.output_tokens': 100n,
      'gen_ai.server.time_to_first_token': 0.5,
    }),
  });
  await ml.consume([timed(chat, NOW_MS - MINUTE_MS, 2_000)]);
  return ml;
}

function value(
  series: PromSeriesSamples[],
  name: string,
  labels: Record<string, string>,
): number | undefined {
  const found = series.filter(
    (s) =>
      s.labels.get('__name__') === name && Object.entries(labels).every(([k, v]) => s.labels.get(k) === v),
  );
  assert.ok(found.length <= 1, `${name} ${JSON.stringify(labels)} is ambiguous`);
  return found[0]?.values[0];
}

describe('MlAnalytics.derivedSeries', () => {
  it('writes one finite sample at nowMs per series, with valid Prometheus names', async () => {
    const series = (await engine()).derivedSeries(NOW_MS);
    assert.ok(series.length > 40, `${series.length} series`);
    const keys = new Set<string>();
    for (const s of series) {
      assert.match(s.labels.get('__name__') ?? '', /^vigil_ml_[a-z_]+$/);
      for (const [name, labelValue] of s.labels) {
        assert.match(name, /^[a-zA-Z_][a-zA-Z0-9_]*$/);
        assert.notEqual(labelValue, '');
      }
      assert.deepEqual([...s.timestampsMs], [NOW_MS]);
      assert.ok(Number.isFinite(s.values[0]));
      const key = JSON.stringify([...s.labels].sort());
      assert.ok(!keys.has(key), `duplicate ${key}`);
      keys.add(key);
    }
  });

  it('reports traffic, latency, health, drift and the canary against the busiest version', async () => {
    const series = (await engine()).derivedSeries(NOW_MS);
    const stable = { model: 'fraud-detector', version: '3.1.0' };
    const canary = { model: 'fraud-detector', version: '3.2.0' };
    const total =
      value(series, 'vigil_ml_requests_total', stable)! + value(series, 'vigil_ml_requests_total', canary)!;
    assert.equal(total, 20_000);
    assert.equal(value(series, 'vigil_ml_errors_total', stable), 0);
    const share = value(series, 'vigil_ml_traffic_share', canary)!;
    assert.ok(Math.abs(share - 0.1) < 0.012, `share ${share}`);
    assert.ok(
      Math.abs(value(series, 'vigil_ml_latency_seconds', { ...stable, quantile: '0.5' })! - 0.04) < 0.002,
    );
    assert.ok(value(series, 'vigil_ml_latency_seconds', { ...stable, quantile: '0.99' })! > 0.07);
    assert.equal(value(series, 'vigil_ml_apdex', stable), 1, 'every request under 500 ms');
    assert.equal(value(series, 'vigil_ml_null_feature_ratio', stable), 0);
    assert.ok(Math.abs(value(series, 'vigil_ml_gpu_seconds_per_request', stable)! - 0.028) < 1e-12);
    assert.equal(value(series, 'vigil_ml_model_version_first_seen_timestamp_seconds', stable), T0_MS / 1000);

    const scoreFeature = { feature: 'ml.prediction.score' };
    assert.ok(
      value(series, 'vigil_ml_drift_psi', { ...stable, ...scoreFeature })! > 0.5,
      'stable scores shifted',
    );
    assert.ok(Math.abs(value(series, 'vigil_ml_drift_ks', { ...stable, ...scoreFeature })! - 0.383) < 0.04);
    assert.ok(
      value(series, 'vigil_ml_drift_psi', { ...canary, ...scoreFeature })! < 0.1,
      'canary scores did not',
    );
    assert.ok(value(series, 'vigil_ml_drift_js', { ...canary, feature: 'txn.amount' })! < 0.05);

    const canaryP50 = { ...canary, baseline: '3.1.0', quantile: '0.5' };
    const change = value(series, 'vigil_ml_canary_latency_change', canaryP50)!;
    assert.ok(Math.abs(change - 0.15) < 0.04, `change ${change}`);
    assert.ok(value(series, 'vigil_ml_canary_latency_change_ci_low', canaryP50)! < 0.15);
    assert.ok(value(series, 'vigil_ml_canary_latency_change_ci_high', canaryP50)! > 0.15);
    assert.equal(value(series, 'vigil_ml_canary_error_rate_difference', { ...canary, baseline: '3.1.0' }), 0);
    assert.equal(
      value(series, 'vigil_ml_canary_latency_change', { ...stable, quantile: '0.5' }),
      undefined,
      'no canary series for the baseline',
    );
  });

  it('reports GenAI throughput, time to first token and cost per request', async () => {
    const series = (await engine()).derivedSeries(NOW_MS);
    const gpt = { model: 'gpt-4o' };
    assert.equal(value(series, 'vigil_ml_genai_tokens_per_second', gpt), 50);
    assert.ok(
      Math.abs(
        value(series, 'vigil_ml_genai_time_to_first_token_seconds', { ...gpt, quantile: '0.5' })! - 0.5,
      ) < 0.005,
    );
    // (1000 · 2.5 + 100 · 10) / 10⁶ = 0.0035 USD.
    assert.ok(Math.abs(value(series, 'vigil_ml_genai_cost_per_request_usd', gpt)! - 0.0035) < 1e-12);
  });

  it('keeps nothing once the window is past the retention', async () => {
    const ml = await engine();
    const later = ml.derivedSeries(NOW_MS + 7 * 3_600_000);
    assert.deepEqual(later, []);
  });
});
