import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { PromSeriesSamples, SeriesMatcher } from '../model/prom-series.ts';
import { PROM_STALE_NAN } from '../model/prom-series.ts';
import { BASE_MS, seedMetricPoints } from './contract-fixtures.ts';
import type { Store } from './store.ts';

type MakeStore = (dir: string) => Promise<Store>;

/** Runs `body` with a store in a fresh directory; `reopen` closes it and opens the same directory again. */
async function withReopenableStore(
  makeStore: MakeStore,
  body: (store: Store, reopen: () => Promise<Store>) => Promise<void>,
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-prom-'));
  let store = await makeStore(dir);
  try {
    await body(store, async () => {
      await store.close();
      store = await makeStore(dir);
      return store;
    });
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const WIDE = [BASE_MS - 3_600_000, BASE_MS + 3_600_000] as const;
const name = (value: string): SeriesMatcher => ({ name: '__name__', type: '=', value });

/** `{labels…} → [[t, v], …]`, labels as sorted JSON, rows sorted: order-independent comparisons. */
function table(series: readonly PromSeriesSamples[]): Record<string, number[][]> {
  const rows = series.map((s) => [JSON.stringify(Object.fromEntries(s.labels)), [...s.timestampsMs].map((t, i) => [t, s.values[i] ?? NaN])] as const);
  return Object.fromEntries(rows.sort(([a], [b]) => a.localeCompare(b)));
}

function bits(value: number): bigint {
  return new BigUint64Array(Float64Array.of(value).buffer)[0] ?? 0n;
}

function fromBits(pattern: bigint): number {
  return new Float64Array(BigUint64Array.of(pattern).buffer)[0] ?? 0;
}

function series(labels: Record<string, string>, points: [number, number][]): PromSeriesSamples {
  return {
    labels: new Map(Object.entries(labels)),
    timestampsMs: Float64Array.from(points, ([t]) => t),
    values: Float64Array.from(points, ([, v]) => v),
  };
}

/** Four `up`-like series for matcher cases: job api ×2 (one with a `canary` label), web, batch. */
function matcherFixture(): PromSeriesSamples[] {
  return [
    series({ __name__: 'up', job: 'api', instance: 'a:1' }, [[1_000, 1]]),
    series({ __name__: 'up', job: 'api', instance: 'a:2', canary: 'yes' }, [[1_000, 1]]),
    series({ __name__: 'up', job: 'web', instance: 'w:1' }, [[1_000, 0]]),
    series({ __name__: 'up', job: 'batch', instance: 'b:1' }, [[1_000, 1]]),
  ];
}

const MATCHER_CASES: { name: string; matchers: SeriesMatcher[]; instances: string[] }[] = [
  { name: '=', matchers: [name('up'), { name: 'job', type: '=', value: 'api' }], instances: ['a:1', 'a:2'] },
  { name: '!=', matchers: [name('up'), { name: 'job', type: '!=', value: 'api' }], instances: ['b:1', 'w:1'] },
  { name: '=~ is anchored', matchers: [name('up'), { name: 'job', type: '=~', value: 'a|we' }], instances: [] },
  { name: '=~ alternation', matchers: [name('up'), { name: 'job', type: '=~', value: 'api|web' }], instances: ['a:1', 'a:2', 'w:1'] },
  { name: '!~', matchers: [name('up'), { name: 'job', type: '!~', value: 'a.*' }], instances: ['b:1', 'w:1'] },
  { name: 'absent label matches ""', matchers: [name('up'), { name: 'canary', type: '=', value: '' }], instances: ['a:1', 'b:1', 'w:1'] },
  { name: '!= "" needs the label', matchers: [name('up'), { name: 'canary', type: '!=', value: '' }], instances: ['a:2'] },
  { name: 'regex on __name__', matchers: [{ name: '__name__', type: '=~', value: 'u.' }, { name: 'instance', type: '=~', value: 'b:.*' }], instances: ['b:1'] },
  { name: '(?i) flag', matchers: [{ name: 'job', type: '=~', value: '(?i)WEB' }], instances: ['w:1'] },
  { name: 'unknown name', matchers: [name('down')], instances: [] },
];

/** Prometheus-series contract cases; runStoreContract runs them for every backend. */
export function runPromSeriesContract(backend: string, makeStore: MakeStore): void {
  void test(`${backend}: OTLP points become Prometheus series (histogram buckets, counters, summary, target_info)`, () =>
    withReopenableStore(makeStore, async (store) => {
      await store.writeMetricPoints(seedMetricPoints());
      const id = { instance: 'pod-1', job: 'ml/fraud-detector-api', model_name: 'fraud', model_version: 'v3.1' };
      const sorted = (labels: Record<string, string>): string => JSON.stringify(Object.fromEntries(Object.entries(labels).sort()));
      const bucket = (le: string): string => sorted({ __name__: 'ml_inference_latency_seconds_bucket', ...id, le });
      const buckets = await store.selectSeries([name('ml_inference_latency_seconds_bucket')], ...WIDE);
      assert.deepStrictEqual(table(buckets), {
        [bucket('+Inf')]: [[BASE_MS, 10], [BASE_MS + 15_000, 12]],
        [bucket('0.05')]: [[BASE_MS, 1], [BASE_MS + 15_000, 2]],
        [bucket('0.1')]: [[BASE_MS, 5], [BASE_MS + 15_000, 6]],
        [bucket('0.5')]: [[BASE_MS, 10], [BASE_MS + 15_000, 11]],
      });
      const names = await store.labelValues('__name__', [], ...WIDE, 100);
      assert.deepStrictEqual(names, [
        'ml_gpu_memory_used_bytes', 'ml_inference_latency_seconds_bucket', 'ml_inference_latency_seconds_count',
        'ml_inference_latency_seconds_sum', 'ml_predictions_total', 'rpc_duration_milliseconds',
        'rpc_duration_milliseconds_count', 'rpc_duration_milliseconds_sum', 'target_info',
      ]);
      const predictions = await store.selectSeries([name('ml_predictions_total'), { name: 'result_class', type: '=', value: 'fraud' }], ...WIDE);
      assert.deepStrictEqual(predictions.map((s) => [...s.values]), [[42]]);
      const [info] = await store.findSeries([[name('target_info')]], ...WIDE, 10);
      assert.deepStrictEqual(Object.fromEntries(info ?? []), { __name__: 'target_info', host_name: 'gpu-node-3', instance: 'pod-1', job: 'ml/fraud-detector-api' });
      const metadata = await store.metricMetadata('ml_inference_latency_seconds', 10);
      assert.deepStrictEqual([...metadata], [['ml_inference_latency_seconds', [{ type: 'histogram', help: 'ml_inference_latency_seconds help', unit: 'seconds' }]]]);
      assert.equal((await store.metricMetadata(undefined, 100)).get('ml_predictions_total')?.[0]?.type, 'counter');
    }));

  void test(`${backend}: selectSeries applies =, !=, =~, !~ as Prometheus does`, () =>
    withReopenableStore(makeStore, async (store) => {
      await store.writeSamples(matcherFixture());
      for (const c of MATCHER_CASES) {
        const found = await store.selectSeries(c.matchers, 0, 10_000);
        assert.deepStrictEqual(found.map((s) => s.labels.get('instance')).sort(), c.instances, c.name);
      }
      await assert.rejects(store.selectSeries([{ name: 'job', type: '=~', value: '(' }], 0, 1), SyntaxError);
    }));

  void test(`${backend}: the time range is inclusive at both ends; series without samples in it are left out`, () =>
    withReopenableStore(makeStore, async (store) => {
      const points: [number, number][] = [[1_000, 1], [2_000, 2], [3_000, 3], [4_000, 4]];
      await store.writeSamples([series({ __name__: 'x', k: 'a' }, points), series({ __name__: 'x', k: 'b' }, [[9_000, 9]])]);
      const range = async (min: number, max: number): Promise<Record<string, number[][]>> => table(await store.selectSeries([name('x')], min, max));
      assert.deepStrictEqual(await range(2_000, 3_000), { '{"__name__":"x","k":"a"}': [[2_000, 2], [3_000, 3]] });
      assert.deepStrictEqual(await range(2_000.5, 3_999.5), { '{"__name__":"x","k":"a"}': [[3_000, 3]] });
      assert.deepStrictEqual(await range(5_000, 8_999), {});
      assert.deepStrictEqual(Object.keys(await range(0, 10_000)).length, 2);
    }));

  void test(`${backend}: stale markers round trip bit for bit, before and after a restart`, () =>
    withReopenableStore(makeStore, async (store, reopen) => {
      const prometheusStale = fromBits(0x7ff0000000000002n); // value.StaleNaN as remote write sends it
      const otherNaN = fromBits(0x7ff8000000000001n);
      const values = Float64Array.of(1, PROM_STALE_NAN, 2, prometheusStale, otherNaN, -0);
      const timestampsMs = Float64Array.of(1_000, 2_000, 3_000, 4_000, 5_000, 6_000);
      await store.writeSamples([{ labels: new Map([['__name__', 'stale_test']]), timestampsMs, values }]);
      const expected = [...values].map(bits);
      const read = async (s: Store): Promise<bigint[]> => [...((await s.selectSeries([name('stale_test')], 0, 10_000))[0]?.values ?? [])].map(bits);
      assert.deepStrictEqual(await read(store), expected);
      assert.deepStrictEqual(await read(await reopen()), expected);
    }));

  void test(`${backend}: out-of-order and conflicting duplicate samples are rejected; identical repeats ignored`, () =>
    withReopenableStore(makeStore, async (store) => {
      const labels = { __name__: 'ooo', job: 'x' };
      assert.deepStrictEqual(await store.writeSamples([series(labels, [[1_000, 1], [2_000, 2]])]), { samplesWritten: 2, samplesRejected: 0 });
      const second = await store.writeSamples([series(labels, [[1_500, 9], [2_000, 2], [2_000, 3], [3_000, 3]])]);
      assert.deepStrictEqual(second, { samplesWritten: 1, samplesRejected: 2 });
      const noLabels = await store.writeSamples([series({}, [[1, 1]])]);
      assert.deepStrictEqual(noLabels, { samplesWritten: 0, samplesRejected: 1 });
      const [read] = await store.selectSeries([name('ooo')], 0, 10_000);
      assert.deepStrictEqual(table(read ? [read] : []), { '{"__name__":"ooo","job":"x"}': [[1_000, 1], [2_000, 2], [3_000, 3]] });
    }));

  void test(`${backend}: series, samples, the index and metadata survive a restart`, () =>
    withReopenableStore(makeStore, async (store, reopen) => {
      await store.writeSamples(matcherFixture());
      await store.writeMetricPoints(seedMetricPoints());
      const snapshot = async (s: Store): Promise<unknown[]> => [
        table(await s.selectSeries([{ name: 'job', type: '=~', value: '.+' }], 0, BASE_MS + 3_600_000)),
        await s.labelNames([], 0, BASE_MS + 3_600_000, 100),
        await s.labelValues('job', [[name('up')]], 0, 10_000, 100),
        (await s.findSeries([[name('up'), { name: 'job', type: '=', value: 'api' }]], 0, 10_000, 10)).map((l) => Object.fromEntries(l)),
        [...(await s.metricMetadata(undefined, 100))],
      ];
      const before = await snapshot(store);
      const reopened = await reopen();
      assert.deepStrictEqual(await snapshot(reopened), before);
      assert.deepStrictEqual(before[2], ['api', 'batch', 'web']);
      // After a restart the index still knows each series' newest sample: older ones are refused.
      assert.deepStrictEqual(await reopened.writeSamples([series({ __name__: 'up', job: 'web', instance: 'w:1' }, [[500, 1], [2_000, 1]])]), {
        samplesWritten: 1,
        samplesRejected: 1,
      });
      const stats = await reopened.stats();
      assert.equal(stats.promSeries, 4 + 14, 'matcher fixture + seed: 6 histogram, 2 counter, 1 gauge, 4 summary, 1 target_info');
    }));

  void test(`${backend}: catalog reads filter by selector, time range and limit`, () =>
    withReopenableStore(makeStore, async (store) => {
      await store.writeSamples([...matcherFixture(), series({ __name__: 'late', job: 'api' }, [[50_000, 1]])]);
      assert.deepStrictEqual(await store.labelNames([], 0, 10_000, 100), ['__name__', 'canary', 'instance', 'job']);
      assert.deepStrictEqual(await store.labelNames([[name('late')]], 0, 100_000, 100), ['__name__', 'job']);
      assert.deepStrictEqual(await store.labelValues('__name__', [], 0, 100_000, 100), ['late', 'up']);
      assert.deepStrictEqual(await store.labelValues('__name__', [], 40_000, 100_000, 100), ['late']);
      assert.deepStrictEqual(await store.labelValues('instance', [], 0, 100_000, 2), ['a:1', 'a:2']);
      const found = await store.findSeries([[{ name: 'job', type: '=', value: 'web' }], [name('late')]], 0, 100_000, 10);
      assert.deepStrictEqual(found.map((l) => Object.fromEntries(l)), [
        { __name__: 'late', job: 'api' },
        { __name__: 'up', instance: 'w:1', job: 'web' },
      ]);
    }));

  void test(`${backend}: retention deletes old Prometheus samples and the series left without any`, () =>
    withReopenableStore(makeStore, async (store) => {
      const nowMs = Date.now();
      await store.writeSamples([
        series({ __name__: 'old_only', job: 'x' }, [[nowMs - 3 * 86_400_000, 1]]),
        series({ __name__: 'mixed', job: 'x' }, [[nowMs - 3 * 86_400_000, 1], [nowMs - 1_000, 2]]),
      ]);
      const day = 86_400_000;
      const result = await store.applyRetention({ maxAgeMillis: { traces: 0, metrics: day, logs: 0 }, maxSizeBytes: 0 });
      assert.equal(result.deletedPromSamples, 2);
      assert.deepStrictEqual(await store.labelValues('__name__', [], 0, nowMs, 10), ['mixed']);
      const mixed = await store.selectSeries([name('mixed')], 0, nowMs);
      assert.deepStrictEqual(mixed.map((s) => [...s.values]), [[2]]);
      const stats = await store.stats();
      assert.deepStrictEqual([stats.promSeries, stats.promSamples], [1, 1]);
    }));
}
