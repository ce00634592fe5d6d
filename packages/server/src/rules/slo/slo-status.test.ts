import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PromQLEngine } from '../../query/promql/engine.ts';
import { labelsFrom } from '../../query/promql/labels.ts';
import { MemorySeriesSource } from '../../query/promql/memory-series-source.ts';
import { parseSloSpec } from './parse-slo-spec.ts';
import { sloStatus } from './slo-status.ts';

const MINUTE_MS = 60_000;
const DAY_MS = 1440 * MINUTE_MS;
/** The last sample's time: minute-aligned, so 1m samples fall on the quality subquery's steps. */
const NOW_MS = 28_333_340 * MINUTE_MS;
/**
 * Status is asked half a minute after the last sample: window edges then never sit on a sample
 * (and MemorySeriesSource.select drops a sample at exactly the end time: `maxTimeMs + 1e-9` is
 * `maxTimeMs` for Unix-ms times).
 */
const EVAL_MS = NOW_MS + 30_000;
const REQUESTS_PER_MINUTE = 100;

/**
 * A counter sampled every minute over `fromMs..NOW_MS` that grows by `increment(tMs)` into each
 * sample; it starts high so rate()'s extrapolation towards zero never differs between series.
 */
function addCounter(
  source: MemorySeriesSource,
  labels: Record<string, string>,
  fromMs: number,
  increment: (tMs: number) => number,
): void {
  let value = 1e6;
  for (let tMs = fromMs; tMs <= NOW_MS; tMs += MINUTE_MS) {
    if (tMs > fromMs) value += increment(tMs);
    source.add(labelsFrom(labels), tMs, value);
  }
}

function near(actual: number | null | undefined, expected: number, what: string): void {
  assert.ok(actual !== null && actual !== undefined, `${what}: no value`);
  assert.ok(
    Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} ≠ ${expected}`,
  );
}

describe('sloStatus', () => {
  test('events: budget, burn rates, time to exhaustion and the page alert of a 20x burn in the last hour', async () => {
    const source = new MemorySeriesSource();
    const fromMs = NOW_MS - 4 * DAY_MS;
    const badHour = (tMs: number): boolean => tMs > NOW_MS - 60 * MINUTE_MS;
    // 0.5x the 99.9 % budget (error ratio 0.0005) for 4 days, then 20x (0.02) for the last hour.
    const errorRatio = (tMs: number): number => (badHour(tMs) ? 0.02 : 0.0005);
    addCounter(source, { __name__: 'requests_total' }, fromMs, () => REQUESTS_PER_MINUTE);
    addCounter(source, { __name__: 'errors_total' }, fromMs, (t) => REQUESTS_PER_MINUTE * errorRatio(t));
    const spec = parseSloSpec({
      name: 'api',
      objective: 99.9,
      events: {
        error_query: 'sum(rate(errors_total[{{.window}}]))',
        total_query: 'sum(rate(requests_total[{{.window}}]))',
      },
    });
    const status = await sloStatus(new PromQLEngine(source), spec, EVAL_MS);

    // A window (now - w, now] holds w/1m - 1 whole intervals; ratios of two rates over the same
    // sample times are exact ratios of increments (the extrapolation factors cancel).
    const ratioOver = (intervals: number): number => {
      let bad = 0;
      for (let i = 0; i < intervals; i++) bad += errorRatio(NOW_MS - i * MINUTE_MS);
      return bad / intervals;
    };
    near(status.burnRates['5m'], 20, '5m burn');
    near(status.burnRates['1h'], 20, '1h burn');
    near(status.burnRates['1d'], ratioOver(1439) / 0.001, '1d burn');
    near(status.burnRates['3d'], ratioOver(4319) / 0.001, '3d burn');
    const windowRatio = ratioOver(4 * 1440);
    near(status.errorRatio, windowRatio, 'error ratio over 30d');
    near(status.sliRatio, 1 - windowRatio, 'SLI');
    near(status.errorBudgetRemaining, 1 - windowRatio / 0.001, 'budget left');
    near(status.currentBurnRate, 20, 'current burn');
    near(status.timeToExhaustionMs, Math.round(((1 - windowRatio / 0.001) * 30 * DAY_MS) / 20), 'exhaustion');
    assert.deepEqual(
      status.alerts.map((alert) => [alert.severity, alert.firing, alert.conditions.map((c) => c.met)]),
      [
        ['page', true, [true, false]],
        ['ticket', false, [false, false]],
      ],
    );
    assert.deepEqual(status.problems, []);
  });

  test('latency: le spelled 1.0 still matches threshold 1; a threshold that is no bucket bound is reported', async () => {
    const source = new MemorySeriesSource();
    const fromMs = NOW_MS - 2 * 60 * MINUTE_MS;
    // Per minute: 100 requests, 90 within 250 ms, 97 within 500 ms, 99 within 1 s.
    const buckets: [string, number][] = [
      ['0.25', 90],
      ['0.5', 97],
      ['1.0', 99],
      ['+Inf', 100],
    ];
    const model = { model_name: 'fraud-detector' };
    for (const [le, perMinute] of buckets)
      addCounter(
        source,
        { __name__: 'ml_inference_latency_seconds_bucket', ...model, le },
        fromMs,
        () => perMinute,
      );
    addCounter(source, { __name__: 'ml_inference_latency_seconds_count', ...model }, fromMs, () => 100);
    const engine = new PromQLEngine(source);
    const latency = (threshold: unknown): Promise<Awaited<ReturnType<typeof sloStatus>>> =>
      sloStatus(
        engine,
        parseSloSpec({
          name: 'latency',
          objective: 99,
          latency: {
            metric: 'ml_inference_latency_seconds',
            matchers: '{model_name="fraud-detector"}',
            threshold,
          },
        }),
        EVAL_MS,
      );

    const fast = await latency('500ms');
    near(fast.errorRatio, 0.03, '500ms error ratio');
    near(fast.burnRates['1h'], 3, '500ms burn');
    assert.deepEqual(fast.problems, []);
    near((await latency(1)).errorRatio, 0.01, '1s error ratio');

    const offBound = await latency('300ms');
    assert.equal(offBound.errorRatio, null);
    assert.equal(offBound.timeToExhaustionMs, null);
    assert.deepEqual(offBound.problems, [
      'latency threshold 0.3 is not a bucket bound of ml_inference_latency_seconds (bounds: 0.25, 0.5, 1, +Inf); the SLI has no good events until it is',
    ]);
  });

  test('quality: the share of minutes at or above the threshold', async () => {
    const source = new MemorySeriesSource();
    for (let tMs = NOW_MS - DAY_MS; tMs <= NOW_MS; tMs += MINUTE_MS) {
      const drifting = tMs > NOW_MS - 30 * MINUTE_MS;
      source.add(
        labelsFrom({ __name__: 'vigil_ml_drift_psi', model: 'fraud-model', feature: 'amount' }),
        tMs,
        drifting ? 0.3 : 0.1,
      );
      source.add(
        labelsFrom({ __name__: 'vigil_ml_drift_psi', model: 'fraud-model', feature: 'country' }),
        tMs,
        0.05,
      );
    }
    const spec = parseSloSpec({
      name: 'drift',
      objective: 99,
      quality: { expr: 'vigil_ml_drift_psi{model="fraud-model"}', threshold: 0.2 },
    });
    const status = await sloStatus(new PromQLEngine(source), spec, EVAL_MS);
    near(status.burnRates['5m'], 100, '5m: every minute bad');
    near(status.burnRates['30m'], 100, '30m: every minute bad');
    near(status.burnRates['1h'], 50, '1h: half the minutes bad');
    // 1441 minutes have data (a day, both ends included), 30 of them bad.
    near(status.errorRatio, 30 / 1441, '30d share of bad minutes');
    assert.equal(status.alerts.find((alert) => alert.policy === 'page')?.firing, true);
  });

  test('spans: no error series at all is an error ratio of 0, not missing', async () => {
    const source = new MemorySeriesSource();
    const calls = {
      __name__: 'traces_span_metrics_calls_total',
      service_name: 'checkout',
      span_name: 'POST /pay',
      status_code: 'STATUS_CODE_UNSET',
    };
    addCounter(source, calls, NOW_MS - 2 * 60 * MINUTE_MS, () => 10);
    const spec = parseSloSpec({
      name: 'pay',
      objective: 99.9,
      spans: { service: 'checkout', operation: 'POST /pay' },
    });
    const status = await sloStatus(new PromQLEngine(source), spec, EVAL_MS);
    assert.equal(status.errorRatio, 0);
    assert.equal(status.errorBudgetRemaining, 1);
    assert.equal(status.timeToExhaustionMs, null);
    assert.equal(
      status.alerts.some((alert) => alert.firing),
      false,
    );
  });

  test('no data: every number null, nothing firing', async () => {
    const spec = parseSloSpec({ name: 'pay', objective: 99.9, spans: { service: 'nothing-here' } });
    const status = await sloStatus(new PromQLEngine(new MemorySeriesSource()), spec, EVAL_MS);
    assert.deepEqual(
      [status.sliRatio, status.errorBudgetRemaining, status.currentBurnRate, status.timeToExhaustionMs],
      [null, null, null, null],
    );
    assert.deepEqual(Object.keys(status.burnRates), ['5m', '30m', '1h', '2h', '6h', '1d', '3d', '30d']);
    assert.equal(
      status.alerts.some((alert) => alert.firing),
      false,
    );
  });
});
