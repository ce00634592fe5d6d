/**
 * The seed's four alerting rules (docs/examples/rules/ml-inference-slos.rules.yaml, the seed's block verbatim) over synthetic data
 * in a real DuckDB store: each fires, after its `for`, exactly when its condition holds.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { PromSeriesSamples } from '../../model/prom-series.ts';
import { MINUTE_MS, memoryManager, openTestStore, parseRuleFile, sampled } from './manager-test-support.ts';

const START = 1_700_000_000_000 - (1_700_000_000_000 % MINUTE_MS);
const STEP_MS = 15_000;
const DATA_FROM = START - 70 * MINUTE_MS;
const DATA_TO = START + 11 * MINUTE_MS;
const BUCKETS = ['0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf'];
/** Fast requests take 40 ms, slow ones 800 ms; 100 requests and 100 predictions every 15 s. */
const FAST_SECONDS = 0.04;
const SLOW_SECONDS = 0.8;
const PER_STEP = 100;
const FOR_MS: Record<string, number> = {
  InferenceP99LatencyHigh: 5 * MINUTE_MS,
  InferenceErrorRateHigh: 3 * MINUTE_MS,
  GPUMemoryPressure: 2 * MINUTE_MS,
  SLOErrorBudgetBurnRate: 5 * MINUTE_MS,
};

interface Scenario {
  name: string;
  slowFraction: (timeMs: number) => number;
  errorFraction: number;
  gpuUsedPercent: number;
  fires: string[];
}

const SCENARIOS: Scenario[] = [
  { name: 'healthy service', slowFraction: () => 0, errorFraction: 0, gpuUsedPercent: 50, fires: [] },
  // 1.2 % of requests over 500 ms: p99 above the SLO, yet a burn rate of 12x, under 14.4x.
  {
    name: 'p99 over 500 ms',
    slowFraction: () => 0.012,
    errorFraction: 0,
    gpuUsedPercent: 50,
    fires: ['InferenceP99LatencyHigh'],
  },
  {
    name: '0.5 % errors',
    slowFraction: () => 0,
    errorFraction: 0.005,
    gpuUsedPercent: 50,
    fires: ['InferenceErrorRateHigh'],
  },
  {
    name: 'GPU memory at 95 %',
    slowFraction: () => 0,
    errorFraction: 0,
    gpuUsedPercent: 95,
    fires: ['GPUMemoryPressure'],
  },
  {
    // 5 % slow for 30 minutes that ended 10 minutes ago: the last 5 minutes are fine (p99), the last hour is not.
    name: 'error budget burnt in the last hour',
    slowFraction: (timeMs) =>
      timeMs >= START - 40 * MINUTE_MS && timeMs < START - 10 * MINUTE_MS ? 0.05 : 0,
    errorFraction: 0,
    gpuUsedPercent: 50,
    fires: ['SLOErrorBudgetBurnRate'],
  },
];

/** A counter of per-step increments `perStep(t)`, summed from DATA_FROM. */
function counter(labels: Record<string, string>, perStep: (timeMs: number) => number): PromSeriesSamples {
  let total = 0;
  return sampled(labels, DATA_FROM, DATA_TO, STEP_MS, (timeMs) => (total += perStep(timeMs)));
}

function seriesOf(scenario: Scenario): PromSeriesSamples[] {
  const model = { model_name: 'fraud-detector', model_version: 'v3' };
  const slow = (timeMs: number): number => PER_STEP * scenario.slowFraction(timeMs);
  const fast = (timeMs: number): number => PER_STEP - slow(timeMs);
  const buckets = BUCKETS.map((le) =>
    counter({ __name__: 'ml_inference_latency_seconds_bucket', ...model, le }, (timeMs) => {
      const bound = Number(le === '+Inf' ? Infinity : le);
      return (FAST_SECONDS <= bound ? fast(timeMs) : 0) + (SLOW_SECONDS <= bound ? slow(timeMs) : 0);
    }),
  );
  const gpu = (id: string, usedPercent: number): PromSeriesSamples[] => [
    sampled(
      { __name__: 'DCGM_FI_DEV_FB_USED', gpu: id, instance: 'gpu-node-1:9400' },
      DATA_FROM,
      DATA_TO,
      STEP_MS,
      () => usedPercent * 800,
    ),
    sampled(
      { __name__: 'DCGM_FI_DEV_FB_FREE', gpu: id, instance: 'gpu-node-1:9400' },
      DATA_FROM,
      DATA_TO,
      STEP_MS,
      () => (100 - usedPercent) * 800,
    ),
  ];
  return [
    ...buckets,
    counter({ __name__: 'ml_inference_latency_seconds_count', ...model }, () => PER_STEP),
    counter(
      { __name__: 'ml_predictions_total', model_name: 'fraud-detector', result_class: 'error' },
      () => PER_STEP * scenario.errorFraction,
    ),
    counter(
      { __name__: 'ml_predictions_total', model_name: 'fraud-detector', result_class: 'legit' },
      () => PER_STEP * (1 - scenario.errorFraction),
    ),
    ...gpu('0', scenario.gpuUsedPercent),
    ...gpu('1', 40),
  ];
}

const SEED_RULES = readFileSync(
  new URL('../../../../../docs/examples/rules/ml-inference-slos.rules.yaml', import.meta.url),
  'utf8',
);

for (const scenario of SCENARIOS) {
  test(`seed rules, ${scenario.name}: ${scenario.fires.length === 0 ? 'nothing fires' : `${scenario.fires.join(', ')} fires after its for`}`, async () => {
    const db = await openTestStore();
    try {
      await db.store.writeSamples(seriesOf(scenario));
      const { manager, history } = memoryManager({ engine: db.engine, store: db.store });
      const groups = parseRuleFile(SEED_RULES, 'seed-rules.yaml');
      assert.deepEqual(
        groups.map((group) => [group.name, group.intervalMs, group.rules.length]),
        [['ml_inference_slos', 30_000, 4]],
      );
      manager.setGroups(groups);
      for (let timeMs = START; timeMs <= START + 10 * MINUTE_MS; timeMs += 30_000)
        await manager.evaluateGroupAt('seed-rules.yaml;ml_inference_slos', timeMs);
      const rules = manager.groups()[0]?.rules ?? [];
      assert.deepEqual(
        rules.map((rule) => [rule.name, rule.health, rule.lastError]),
        Object.keys(FOR_MS).map((name) => [name, 'ok', '']),
      );
      const alerts = manager.alerts();
      assert.deepEqual(
        alerts.map((alert) => [alert.labels.alertname, alert.state]),
        scenario.fires.map((name) => [name, 'firing']),
      );
      for (const alert of alerts) {
        assert.equal(alert.activeAtMs, START);
        assert.equal(alert.firedAtMs, START + (FOR_MS[alert.ruleName] ?? 0), alert.ruleName);
        assert.deepEqual(
          Object.keys(alert.annotations).sort(),
          alert.ruleName === 'InferenceP99LatencyHigh'
            ? ['description', 'runbook_url', 'summary']
            : ['description', 'summary'],
        );
      }
      assert.deepEqual(
        new Set(history.transitions.map((transition) => transition.alertname)),
        new Set(scenario.fires),
      );
      const labels = alerts.map((alert) => alert.labels);
      if (scenario.fires[0] === 'GPUMemoryPressure')
        assert.deepEqual(labels, [
          {
            alertname: 'GPUMemoryPressure',
            gpu: '0',
            instance: 'gpu-node-1:9400',
            severity: 'warning',
            team: 'infrastructure',
          },
        ]);
      if (scenario.fires[0] === 'InferenceP99LatencyHigh')
        assert.deepEqual(labels, [
          {
            alertname: 'InferenceP99LatencyHigh',
            model_version: 'v3',
            severity: 'critical',
            team: 'ml-platform',
          },
        ]);
    } finally {
      await db.close();
    }
  });
}
