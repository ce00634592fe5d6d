import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { MetricPoint } from '../../../model/metric-point.ts';
import type { PromSeriesSamples } from '../../../model/prom-series.ts';
import { decodeWriteRequestV1 } from '../../../receivers/prometheus/remote-write/decode-v1.ts';
import { attrs, BASE_MS, metricPointsOfEveryType, seedMetricPoints } from '../../../storage/contract-fixtures.ts';
import { openDuckDbStore } from '../../../storage/duckdb/duckdb-store.ts';
import { translateForRemoteWrite, type PrwTranslateOptions } from './prw-translate.ts';
import { encodeWriteRequests } from './write-request-encoder.ts';

const DEFAULTS: PrwTranslateOptions = {
  namespace: '',
  externalLabels: new Map(),
  resourceToTelemetry: false,
  targetInfo: true,
  exportCreatedMetric: false,
};

/** `{labels}` (sorted JSON) → [[t, v]], rows sorted: order-independent comparison. */
function table(all: readonly PromSeriesSamples[]): Record<string, number[][]> {
  const rows = all.map((s) => [JSON.stringify(Object.fromEntries([...s.labels].sort())), [...s.timestampsMs].map((t, i) => [t, s.values[i] ?? NaN])] as const);
  return Object.fromEntries(rows.sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** What a remote-write receiver gets: translated, encoded, decoded again. */
function sent(points: readonly MetricPoint[], options: Partial<PrwTranslateOptions> = {}): PromSeriesSamples[] {
  const { series } = translateForRemoteWrite(points, { ...DEFAULTS, ...options });
  return encodeWriteRequests(series, [], 3_000_000).flatMap((b) => decodeWriteRequestV1(b.protobuf, { maxTimestampMs: Number.MAX_SAFE_INTEGER }).series);
}

function names(series: readonly PromSeriesSamples[]): string[] {
  return [...new Set(series.map((s) => s.labels.get('__name__') ?? ''))].sort();
}

void describe('translateForRemoteWrite', () => {
  void it('sends exactly the series the store makes of the same points (histograms, summaries, target_info, job/instance)', async () => {
    const points = [...seedMetricPoints(), ...metricPointsOfEveryType()];
    const dir = mkdtempSync(join(tmpdir(), 'vigil-prw-'));
    const store = await openDuckDbStore({ path: join(dir, 'v.duckdb') });
    try {
      await store.writeMetricPoints(points);
      const stored = await store.selectSeries([{ name: '__name__', type: '=~', value: '.+' }], 0, BASE_MS + 3_600_000);
      const exported = sent(points);
      assert.deepEqual(table(exported), table(stored));
      assert.ok(names(exported).includes('ml_inference_latency_seconds_bucket'));
      assert.ok(names(exported).includes('target_info'));
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const optionCases: { name: string; options: Partial<PrwTranslateOptions>; check: (series: PromSeriesSamples[]) => void }[] = [
    {
      name: 'namespace prefixes every name, target_info included',
      options: { namespace: 'vigil' },
      check: (series) => assert.ok(names(series).every((n) => n.startsWith('vigil_')) && names(series).includes('vigil_target_info')),
    },
    {
      name: 'external labels reach every series but never replace a series label',
      options: { externalLabels: new Map([['cluster', 'eu-1'], ['job', 'external']]) },
      check: (series) => {
        assert.ok(series.every((s) => s.labels.get('cluster') === 'eu-1'));
        assert.ok(series.every((s) => s.labels.get('job') === 'ml/fraud-detector-api'));
      },
    },
    {
      name: 'target_info disabled sends no target_info',
      options: { targetInfo: false },
      check: (series) => assert.ok(!names(series).includes('target_info')),
    },
    {
      name: 'resource_to_telemetry_conversion puts resource attributes on every series',
      options: { resourceToTelemetry: true },
      check: (series) => {
        const latency = series.filter((s) => s.labels.get('__name__') === 'ml_predictions_total');
        assert.equal(latency.length, 2);
        for (const s of latency) {
          assert.equal(s.labels.get('host_name'), 'gpu-node-3');
          assert.equal(s.labels.get('service_name'), 'fraud-detector-api');
        }
      },
    },
    {
      name: 'export_created_metric adds _created series holding the start time in ms',
      options: { exportCreatedMetric: true },
      check: (series) => {
        const created = series.filter((s) => s.labels.get('__name__')?.endsWith('_created'));
        assert.deepEqual(names(created), ['ml_inference_latency_seconds_created', 'ml_predictions_total_created', 'rpc_duration_milliseconds_created']);
        for (const s of created) assert.deepEqual([...s.values], [BASE_MS - 60_000]);
      },
    },
  ];
  for (const c of optionCases) void it(c.name, () => c.check(sent(seedMetricPoints(), c.options)));

  void it('never changes the points it is given (copy-on-write)', () => {
    const points = seedMetricPoints();
    const before = points.map((p) => Object.keys(p.attributes).sort());
    translateForRemoteWrite(points, { ...DEFAULTS, resourceToTelemetry: true });
    assert.deepEqual(points.map((p) => Object.keys(p.attributes).sort()), before);
  });

  void it('namespaces the metadata families and counts points it cannot send', () => {
    const { metadata, skippedPoints } = translateForRemoteWrite(seedMetricPoints(), { ...DEFAULTS, namespace: 'ns' });
    assert.ok(metadata.some((m) => m.metricFamily === 'ns_ml_predictions_total' && m.type === 'counter'));
    assert.deepEqual(skippedPoints, { delta_temporality: 1, exponential_histogram: 1, invalid_name: 0 });
  });

  void it('gives attributes named like labels of the point (le) no way to break histograms', () => {
    const [histogram] = seedMetricPoints();
    const point = { ...histogram!, attributes: attrs({ le: 'user' }) };
    const buckets = sent([point]).filter((s) => s.labels.get('__name__') === 'ml_inference_latency_seconds_bucket');
    assert.deepEqual(buckets.map((s) => s.labels.get('le')).sort(), ['+Inf', '0.05', '0.1', '0.5']);
  });
});
