/**
 * SLO rules through the real pipeline: samples in a DuckDB store, the PromQL engine over it and the
 * rule manager evaluating the generated groups in simulated time. The expected firing times are
 * derived from the workbook formulas, not observed.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { PromSeriesSamples } from '../../model/prom-series.ts';
import { PromQLEngine } from '../../query/promql/engine.ts';
import { StoreSeriesSource } from '../../query/promql/store-series-source.ts';
import { openDuckDbStore, type DuckDbStore } from '../../storage/duckdb/duckdb-store.ts';
import { RuleManager } from '../manager/rule-manager.ts';
import type { NotifierAlert } from '../rule-types.ts';
import { parseSloSpec } from './parse-slo-spec.ts';
import { generateSloRuleGroups } from './slo-rules.ts';
import { sloStatus } from './slo-status.ts';
import type { SloSpec } from './slo-spec.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/** The burn starts here (minute-aligned); samples every minute. */
const BURN_START_MS = 28_333_340 * MINUTE_MS;
/** History before the burn: enough for the 3d window plus the 6h short window's edge. */
const HISTORY_MS = 3 * DAY_MS + 6 * HOUR_MS;
const REQUESTS_PER_MINUTE = 100;
const BUDGET = 0.001;

/** One series sampled every minute over [fromMs, toMs]: a counter from 1e6 growing by `increment(t)`. */
function counter(
  labels: Record<string, string>,
  fromMs: number,
  toMs: number,
  increment: (tMs: number) => number,
): PromSeriesSamples {
  const count = Math.floor((toMs - fromMs) / MINUTE_MS) + 1;
  const timestampsMs = new Float64Array(count);
  const values = new Float64Array(count);
  let value = 1e6;
  for (let i = 0; i < count; i++) {
    const tMs = fromMs + i * MINUTE_MS;
    if (i > 0) value += increment(tMs);
    timestampsMs[i] = tMs;
    values[i] = value;
  }
  return { labels: new Map(Object.entries(labels)), timestampsMs, values };
}

function gauge(
  labels: Record<string, string>,
  fromMs: number,
  toMs: number,
  value: (tMs: number) => number,
): PromSeriesSamples {
  const series = counter(labels, fromMs, toMs, () => 0);
  series.values = series.timestampsMs.map(value);
  return series;
}

/** Request and error counters of one scenario: burn rate `before` until BURN_START_MS, `during` after. */
function burnScenario(
  scenario: string,
  before: number,
  during: number,
  untilMs: number,
): PromSeriesSamples[] {
  const fromMs = BURN_START_MS - HISTORY_MS;
  const burn = (tMs: number): number => (tMs > BURN_START_MS ? during : before);
  return [
    counter({ __name__: 'requests_total', scenario }, fromMs, untilMs, () => REQUESTS_PER_MINUTE),
    counter(
      { __name__: 'errors_total', scenario },
      fromMs,
      untilMs,
      (t) => REQUESTS_PER_MINUTE * BUDGET * burn(t),
    ),
  ];
}

function eventsSlo(scenario: string): SloSpec {
  return parseSloSpec({
    name: scenario,
    service: 'checkout',
    objective: 99.9,
    events: {
      error_query: `sum(rate(errors_total{scenario="${scenario}"}[{{.window}}]))`,
      total_query: `sum(rate(requests_total{scenario="${scenario}"}[{{.window}}]))`,
    },
  });
}

describe('SLO burn-rate alerts over DuckDB with the rule manager', () => {
  let dir: string;
  let store: DuckDbStore;
  let engine: PromQLEngine;
  const sent: NotifierAlert[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-slo-e2e-'));
    store = await openDuckDbStore({ path: join(dir, 'vigil.duckdb') });
    engine = new PromQLEngine(new StoreSeriesSource(store));
    const endMs = BURN_START_MS + 2 * HOUR_MS;
    await store.writeSamples([
      ...burnScenario('fast', 0.5, 20, endMs),
      ...burnScenario('steady2x', 2, 2, endMs),
      ...burnScenario('steady05x', 0.5, 0.5, endMs),
      ...latencySeries(endMs),
      ...qualitySeries(endMs),
    ]);
  });
  after(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  function manager(slos: readonly SloSpec[]): RuleManager {
    const rules = new RuleManager({
      engine,
      store,
      sinks: [{ send: (alerts) => sent.push(...alerts) }],
      evaluationIntervalMs: MINUTE_MS,
      externalLabels: {},
      externalURL: 'http://vigil.test',
      log: (line) => assert.fail(line),
    });
    rules.setGroups(generateSloRuleGroups(slos));
    return rules;
  }

  /** Evaluates every minute over (fromMs, toMs]; the first time each severity was seen firing. */
  async function firstFiring(rules: RuleManager, fromMs: number, toMs: number): Promise<Map<string, number>> {
    const firstMs = new Map<string, number>();
    await rules.evaluateDue(fromMs); // schedules the groups' first slots
    for (let nowMs = fromMs + MINUTE_MS; nowMs <= toMs; nowMs += MINUTE_MS) {
      await rules.evaluateDue(nowMs);
      for (const alert of rules.alerts()) {
        const key = `${alert.labels.slo}/${alert.labels.severity}`;
        if (alert.state === 'firing' && !firstMs.has(key)) firstMs.set(key, alert.activeAtMs);
      }
    }
    return firstMs;
  }

  test('20x burn after a 0.5x history: the page fires in the minute the workbook formulas give', async () => {
    // At slot e, the 1h window (e - 1h, e] holds 59 one-minute increments, k of them at 20x (k =
    // whole minutes since the burn started) and the rest at 0.5x; the 5m window holds 4. The page's
    // first row needs both ratios above 14.4 × budget: the smallest such k is the expectation.
    const burnOver = (k: number, intervals: number): number =>
      (Math.min(k, intervals) * 20 + (intervals - Math.min(k, intervals)) * 0.5) / intervals;
    let expectedMinutes = 1;
    while (!(burnOver(expectedMinutes, 59) > 14.4 && burnOver(expectedMinutes, 4) > 14.4)) expectedMinutes++;
    assert.equal(expectedMinutes, 43);

    // Evaluations from 8 minutes before the expected minute to 3 after it (each costs ~0.2 s).
    const rules = manager([eventsSlo('fast')]);
    const fromMs = BURN_START_MS + (expectedMinutes - 8) * MINUTE_MS;
    const firing = await firstFiring(rules, fromMs, BURN_START_MS + (expectedMinutes + 3) * MINUTE_MS);
    const pageAtMs = firing.get('fast/page');
    assert.ok(pageAtMs !== undefined, 'page never fired');
    assert.ok(pageAtMs > fromMs + MINUTE_MS, 'the first evaluation must not fire yet');
    const minutesIn = Math.floor((pageAtMs - BURN_START_MS) / MINUTE_MS);
    assert.equal(minutesIn, expectedMinutes, `page fired ${minutesIn} minutes into the burn`);
    assert.equal(firing.has('fast/ticket'), false, 'the ticket needs 3x over 1d or 1x over 3d');

    // The alert's value is the 1h burn rate at the last evaluation.
    const lastMs = rules.groups()[0]?.lastEvaluationMs ?? NaN;
    const page = rules.alerts().find((alert) => alert.labels.severity === 'page');
    const lastBurn = burnOver(Math.floor((lastMs - BURN_START_MS) / MINUTE_MS), 59);
    assert.ok(Math.abs((page?.value ?? NaN) - lastBurn) < 1e-6, `${page?.value} ≠ ${lastBurn}`);
    assert.deepEqual(page?.labels, {
      alertname: 'SLOErrorBudgetBurn',
      slo: 'fast',
      service: 'checkout',
      severity: 'page',
    });
    assert.ok(sent.some((alert) => alert.labels.slo === 'fast' && alert.annotations.summary !== undefined));
    await rules.close();
  });

  for (const { scenario, expected } of [
    { scenario: 'steady2x', expected: ['steady2x/ticket'] },
    { scenario: 'steady05x', expected: [] },
  ]) {
    test(`${scenario}: firing ${expected.length === 0 ? 'nothing' : expected.join(', ')}`, async () => {
      const rules = manager([eventsSlo(scenario)]);
      const firing = await firstFiring(rules, BURN_START_MS, BURN_START_MS + 3 * MINUTE_MS);
      await rules.close();
      assert.deepEqual([...firing.keys()], expected);
      const status = await sloStatus(engine, eventsSlo(scenario), BURN_START_MS + 3 * MINUTE_MS);
      const burn = scenario === 'steady2x' ? 2 : 0.5;
      for (const window of ['5m', '1h', '6h', '1d', '3d'])
        assert.ok(
          Math.abs((status.burnRates[window] ?? NaN) - burn) < 1e-6,
          `${window}: ${status.burnRates[window]}`,
        );
      assert.deepEqual(
        status.alerts.map((alert) => alert.firing),
        [false, expected.length > 0],
      );
    });
  }

  test('latency SLO over a histogram and a drift quality SLO page on their bad last hour', async () => {
    const slos = [
      parseSloSpec({
        name: 'fraud-latency',
        objective: 99,
        latency: {
          metric: 'ml_inference_latency_seconds',
          matchers: '{model_name="fraud-detector"}',
          threshold: '500ms',
        },
      }),
      parseSloSpec({
        name: 'fraud-drift',
        objective: 99,
        quality: { expr: 'vigil_ml_drift_psi{model="fraud-model"}', threshold: 0.2 },
      }),
    ];
    const rules = manager(slos);
    const firing = await firstFiring(rules, BURN_START_MS + 70 * MINUTE_MS, BURN_START_MS + 72 * MINUTE_MS);
    await rules.close();
    // Both also ticket: with a day of history the 3d ratio averages the bad hour with 0.5x (latency)
    // or 0x (drift) over ~25h, above 1x, and the 6h ratio is far above it.
    assert.deepEqual([...firing.keys()].sort(), [
      'fraud-drift/page',
      'fraud-drift/ticket',
      'fraud-latency/page',
      'fraud-latency/ticket',
    ]);
    const [latency, drift] = await Promise.all(
      slos.map((slo) => sloStatus(engine, slo, BURN_START_MS + 72 * MINUTE_MS + 30_000)),
    );
    // 20 % slower than 500 ms during the burn: error ratio 0.2, burn rate 20 against a 1 % budget.
    assert.ok(Math.abs((latency?.burnRates['1h'] ?? NaN) - 20) < 1e-6, String(latency?.burnRates['1h']));
    assert.ok(Math.abs((latency?.burnRates['1d'] ?? NaN) - (72 * 20 + (1439 - 72) * 0.5) / 1439) < 1e-6);
    // Drifting every minute of the last hour: every one of them bad, burn rate 100.
    assert.equal(drift?.burnRates['1h'], 100);
    assert.deepEqual([latency?.problems, drift?.problems], [[], []]);
  });
});

/** Histogram buckets: 99.5 % within 500 ms before the burn (0.5x of a 1 % budget), 80 % during it (20x). */
function latencySeries(untilMs: number): PromSeriesSamples[] {
  const fromMs = BURN_START_MS - DAY_MS;
  const model = { model_name: 'fraud-detector' };
  const name = 'ml_inference_latency_seconds';
  const within500ms = (tMs: number): number => (tMs > BURN_START_MS ? 80 : 99.5);
  return [
    counter({ __name__: `${name}_bucket`, ...model, le: '0.1' }, fromMs, untilMs, (t) => within500ms(t) / 2),
    counter({ __name__: `${name}_bucket`, ...model, le: '0.5' }, fromMs, untilMs, within500ms),
    counter({ __name__: `${name}_bucket`, ...model, le: '+Inf' }, fromMs, untilMs, () => 100),
    counter({ __name__: `${name}_count`, ...model }, fromMs, untilMs, () => 100),
  ];
}

/** PSI 0.05 until the burn starts, 0.35 after it. */
function qualitySeries(untilMs: number): PromSeriesSamples[] {
  const drift = (tMs: number): number => (tMs > BURN_START_MS ? 0.35 : 0.05);
  return [
    gauge({ __name__: 'vigil_ml_drift_psi', model: 'fraud-model' }, BURN_START_MS - DAY_MS, untilMs, drift),
  ];
}
