import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AttributeValue } from './attributes.ts';
import { newAttributes } from './attributes.ts';
import type { MetricDescriptor, MetricPoint } from './metric-point.ts';
import { mapMetricPointsToProm } from './prom-mapping.ts';
import type { PromSeriesSamples } from './prom-series.ts';
import { PROM_STALE_NAN } from './prom-series.ts';
import type { Resource } from './resource.ts';

const T_NANOS = 1_760_000_000_123_456_789n;
const T_MS = 1_760_000_000_123;

function attrs(entries: Record<string, AttributeValue>): MetricPoint['attributes'] {
  return Object.assign(newAttributes(), entries);
}

function resource(entries: Record<string, AttributeValue>): Resource {
  return { attributes: attrs(entries), droppedAttributesCount: 0, schemaUrl: '', serviceName: typeof entries['service.name'] === 'string' ? entries['service.name'] : '' };
}

const SERVICE = resource({ 'service.name': 'fraud-detector-api', 'service.namespace': 'ml', 'service.instance.id': 'pod-1' });

function metric(overrides: Partial<MetricDescriptor>): MetricDescriptor {
  return { name: 'm', description: 'help', unit: '', type: 'gauge', temporality: 2, isMonotonic: false, metadata: attrs({}), ...overrides };
}

function point(descriptor: MetricDescriptor, fields: Partial<MetricPoint> = {}): MetricPoint {
  const scope = { name: 's', version: '', attributes: attrs({}), droppedAttributesCount: 0, schemaUrl: '' };
  return { metric: descriptor, resource: SERVICE, scope, attributes: attrs({ model_name: 'fraud' }), startTimeUnixNano: 0n, timeUnixNano: T_NANOS, flags: 0, exemplars: [], ...fields };
}

/** Series as `name{labels} → [[t, v], …]` rows, sorted, for readable comparisons. */
function rows(series: PromSeriesSamples[]): Map<string, number[][]> {
  const out = new Map<string, number[][]>();
  for (const s of series) {
    const { __name__: name, ...rest } = Object.fromEntries(s.labels);
    const key = `${name ?? ''}${JSON.stringify(rest)}`;
    out.set(key, [...s.timestampsMs].map((t, i) => [t, s.values[i] ?? NaN]));
  }
  return new Map([...out].sort(([a], [b]) => a.localeCompare(b)));
}

const ID = '"instance":"pod-1","job":"ml/fraud-detector-api","model_name":"fraud"';

void test('a histogram becomes cumulative _bucket series with le (+Inf = count), _sum and _count', () => {
  const histogram = metric({ name: 'ml_inference_latency_seconds', unit: 's', type: 'histogram' });
  const { series, metadata } = mapMetricPointsToProm([
    point(histogram, { count: 10, sum: 1.25, bucketCounts: [1, 4, 5, 0], explicitBounds: [0.05, 0.1, 0.5] }),
  ]);
  const labelled = (extra: string): string => `{${extra}${ID}}`;
  assert.deepStrictEqual(
    rows(series.filter((s) => s.labels.get('__name__') !== 'target_info')),
    new Map([
      [`ml_inference_latency_seconds_bucket{"instance":"pod-1","job":"ml/fraud-detector-api","le":"+Inf","model_name":"fraud"}`, [[T_MS, 10]]],
      [`ml_inference_latency_seconds_bucket{"instance":"pod-1","job":"ml/fraud-detector-api","le":"0.05","model_name":"fraud"}`, [[T_MS, 1]]],
      [`ml_inference_latency_seconds_bucket{"instance":"pod-1","job":"ml/fraud-detector-api","le":"0.1","model_name":"fraud"}`, [[T_MS, 5]]],
      [`ml_inference_latency_seconds_bucket{"instance":"pod-1","job":"ml/fraud-detector-api","le":"0.5","model_name":"fraud"}`, [[T_MS, 10]]],
      [`ml_inference_latency_seconds_count${labelled('')}`, [[T_MS, 10]]],
      [`ml_inference_latency_seconds_sum${labelled('')}`, [[T_MS, 1.25]]],
    ]),
  );
  assert.deepStrictEqual(metadata, [{ metricFamily: 'ml_inference_latency_seconds', type: 'histogram', help: 'help', unit: 'seconds' }]);
  // Labels are sorted by name, as Prometheus orders them.
  const bucket = series.find((s) => s.labels.has('le'));
  assert.deepStrictEqual([...(bucket?.labels.keys() ?? [])], ['__name__', 'instance', 'job', 'le', 'model_name']);
});

void test('sums: monotonic cumulative → counter _total; non-monotonic → gauge; delta and exponential histograms are skipped', () => {
  const counter = metric({ name: 'ml.predictions', type: 'sum', isMonotonic: true });
  const upDown = metric({ name: 'queue.depth', type: 'sum', unit: '{item}' });
  const delta = metric({ name: 'requests', type: 'sum', isMonotonic: true, temporality: 1 });
  const exponential = metric({ name: 'latency', type: 'exponential_histogram' });
  const result = mapMetricPointsToProm([
    point(counter, { value: 7 }),
    point(upDown, { value: -3 }),
    point(delta, { value: 1 }),
    point(delta, { value: 2 }),
    point(exponential, { count: 1 }),
  ]);
  const names = result.series.map((s) => s.labels.get('__name__')).sort();
  assert.deepStrictEqual(names, ['ml_predictions_total', 'queue_depth']);
  assert.deepStrictEqual(result.skippedPoints, { delta_temporality: 2, exponential_histogram: 1, invalid_name: 0 });
  assert.deepStrictEqual(result.metadata.map((m) => [m.metricFamily, m.type]), [['ml_predictions_total', 'counter'], ['queue_depth', 'gauge']]);
});

void test('a summary becomes {quantile} series plus _sum and _count', () => {
  const summary = metric({ name: 'rpc.duration', unit: 'ms', type: 'summary' });
  const { series } = mapMetricPointsToProm([point(summary, { count: 100, sum: 12.5, quantiles: [{ quantile: 0.5, value: 0.1 }, { quantile: 0.99, value: 0.9 }] })]);
  const got = rows(series.filter((s) => s.labels.get('__name__') !== 'target_info'));
  assert.deepStrictEqual([...got.keys()], [
    `rpc_duration_milliseconds_count{${ID}}`,
    `rpc_duration_milliseconds_sum{${ID}}`,
    `rpc_duration_milliseconds{${ID},"quantile":"0.5"}`,
    `rpc_duration_milliseconds{${ID},"quantile":"0.99"}`,
  ]);
  assert.deepStrictEqual(got.get(`rpc_duration_milliseconds{${ID},"quantile":"0.99"}`), [[T_MS, 0.9]]);
});

void test('FLAG_NO_RECORDED_VALUE points become stale markers on every series of the point', () => {
  const histogram = metric({ name: 'h', type: 'histogram' });
  const { series } = mapMetricPointsToProm([point(histogram, { flags: 1, count: 3, sum: 1, bucketCounts: [3], explicitBounds: [] })]);
  const bits = (value: number): bigint => new BigUint64Array(Float64Array.of(value).buffer)[0] ?? 0n;
  const own = series.filter((s) => s.labels.get('__name__') !== 'target_info');
  assert.equal(own.length, 3);
  for (const s of own) assert.equal(bits(s.values[0] ?? 0), bits(PROM_STALE_NAN));
  assert.equal(bits(PROM_STALE_NAN), 0x7ff8000000000002n);
});

void test('attribute names are sanitised, colliding ones joined with ";", values typed as text', () => {
  const gauge = metric({ name: 'gpu.util', unit: '1' });
  const attributes = attrs({ 'a.b': 'x', a_b: 'y', '0gpu': 1n, ratio: 0.25, on: true, empty: '', bytes: new Uint8Array([1, 2]) });
  const { series } = mapMetricPointsToProm([point(gauge, { attributes, value: 0.5 })]);
  const labels = Object.fromEntries(series.find((s) => s.labels.get('__name__') === 'gpu_util_ratio')?.labels ?? []);
  assert.deepStrictEqual(labels, {
    __name__: 'gpu_util_ratio', a_b: 'x;y', key_0gpu: '1', ratio: '0.25', on: 'true', bytes: 'AQI=', instance: 'pod-1', job: 'ml/fraud-detector-api',
  });
});

void test('target_info carries non-identifying resource attributes, one sample per half lookback', () => {
  const gauge = metric({ name: 'g' });
  const rich = resource({ 'service.name': 'api', 'service.instance.id': 'i-1', 'host.name': 'gpu-node-3', 'k8s.pod.name': 'api-7' });
  const bare = resource({ 'service.name': 'bare' });
  const later = 400_000n * 1_000_000n;
  const { series } = mapMetricPointsToProm([
    point(gauge, { resource: rich, value: 1 }),
    point(gauge, { resource: rich, value: 2, timeUnixNano: T_NANOS + later }),
    point(gauge, { resource: bare, value: 3 }),
  ]);
  const info = series.filter((s) => s.labels.get('__name__') === 'target_info');
  assert.equal(info.length, 1, 'no target_info for a resource with only service.name');
  assert.deepStrictEqual(Object.fromEntries(info[0]?.labels ?? []), {
    __name__: 'target_info', host_name: 'gpu-node-3', instance: 'i-1', job: 'api', k8s_pod_name: 'api-7',
  });
  assert.deepStrictEqual([...(info[0]?.timestampsMs ?? [])], [T_MS, T_MS + 150_000, T_MS + 300_000, T_MS + 400_000]);
  const g = series.find((s) => s.labels.get('job') === 'api' && s.labels.get('__name__') === 'g');
  assert.deepStrictEqual([...(g?.values ?? [])], [1, 2], 'points of one series are merged in time order');
});
