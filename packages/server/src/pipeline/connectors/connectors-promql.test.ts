import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { MetricPoint } from '../../model/metric-point.ts';
import type { Span } from '../../model/span.ts';
import { PromQLEngine } from '../../query/promql/engine.ts';
import { StoreSeriesSource } from '../../query/promql/store-series-source.ts';
import type { PromValue } from '../../query/promql/values.ts';
import { openDuckDbStore } from '../../storage/duckdb/duckdb-store.ts';
import { makeSpan, resource } from '../../storage/contract-fixtures.ts';
import type { Consumer } from '../graph/component.ts';
import { createServiceGraphConnector } from './servicegraph/servicegraph-connector.ts';
import { connectorHarness } from './shared/test-context.ts';
import { createSpanMetricsConnector } from './spanmetrics/spanmetrics-connector.ts';

const T0_MS = 1_760_000_040_000;
const PREDICTOR = resource('predictor', { 'service.instance.id': 'p-1' });
const GATEWAY = resource('gateway');

/** Per 15 s: 30 predictor SERVER spans of 20 ms (children of 30 gateway CLIENT spans of 100 ms) and 15 more gateway INTERNAL spans. */
function interval(index: number): Span[] {
  const spans: Span[] = [];
  for (let i = 0; i < 30; i++) {
    const trace = index * 1000 + i + 1;
    spans.push(
      makeSpan({
        trace,
        span: 1,
        kind: 3,
        resource: GATEWAY,
        durationNanos: 100_000_000n,
        name: 'POST /predict',
      }),
    );
    spans.push(
      makeSpan({ trace, span: 2, parent: 1, kind: 2, resource: PREDICTOR, durationNanos: 20_000_000n }),
    );
  }
  for (let i = 0; i < 15; i++)
    spans.push(
      makeSpan({
        trace: index * 1000 + 500 + i,
        span: 3,
        kind: 1,
        resource: GATEWAY,
        durationNanos: 60_000_000n,
        name: 'route',
      }),
    );
  return spans;
}

function vector(value: PromValue): Record<string, number> {
  assert.equal(value.type, 'vector');
  const out: Record<string, number> = {};
  for (const sample of value.type === 'vector' ? value.samples : []) {
    out[[...sample.labels.entries()].map(([k, v]) => `${k}=${v}`).join(',')] =
      Math.round(sample.value * 1e9) / 1e9;
  }
  return out;
}

void test('connector output written to DuckDB answers PromQL with the expected rates and buckets', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-connectors-'));
  const store = await openDuckDbStore({ path: join(dir, 'vigil.duckdb'), threads: 2 });
  try {
    const toStore: Consumer<'metrics'> = {
      consume: (points: MetricPoint[]) => store.writeMetricPoints(points),
    };
    const h = connectorHarness(T0_MS);
    const spanMetrics = createSpanMetricsConnector({ metrics_flush_interval: '15s' }, toStore, h.context);
    const serviceGraph = createServiceGraphConnector({ metrics_flush_interval: '15s' }, toStore, h.context);
    for (let i = 0; i < 8; i++) {
      await spanMetrics.consume(interval(i));
      await serviceGraph.consume(interval(i));
      await h.scheduler.advanceTo(T0_MS + (i + 1) * 15_000);
    }
    const engine = new PromQLEngine(new StoreSeriesSource(store));
    const at = T0_MS + 120_000;
    // Counters step by 30 (predictor) and 45 (gateway) every 15 s: 2/s and 3/s.
    const rates = await engine.instantQuery(
      'sum by (service_name) (rate(traces_span_metrics_calls_total[1m]))',
      at,
    );
    assert.deepEqual(vector(rates.value), { 'service_name=gateway': 3, 'service_name=predictor': 2 });
    const errors = await engine.instantQuery(
      'sum by (job, span_kind) (traces_span_metrics_calls_total{status_code="STATUS_CODE_UNSET"})',
      at,
    );
    assert.deepEqual(vector(errors.value), {
      'job=gateway,span_kind=SPAN_KIND_CLIENT': 240,
      'job=gateway,span_kind=SPAN_KIND_INTERNAL': 120,
      'job=predictor,span_kind=SPAN_KIND_SERVER': 240,
    });
    // 20 ms predictor spans: none at le=10, all 240 at le=50; 100 ms gateway spans first count at le=100.
    const buckets = await engine.instantQuery(
      'sum by (service_name, le) (traces_span_metrics_duration_milliseconds_bucket{le=~"10|50|100"})',
      at,
    );
    assert.deepEqual(vector(buckets.value), {
      'le=10,service_name=gateway': 0,
      'le=10,service_name=predictor': 0,
      'le=100,service_name=gateway': 360,
      'le=100,service_name=predictor': 240,
      'le=50,service_name=gateway': 0,
      'le=50,service_name=predictor': 240,
    });
    const edges = await engine.instantQuery(
      'sum by (client, server) (rate(traces_service_graph_request_total[1m]))',
      at,
    );
    assert.deepEqual(vector(edges.value), { 'client=gateway,server=predictor': 2 });
    const p50 = await engine.instantQuery(
      'histogram_quantile(0.5, sum by (le) (rate(traces_service_graph_request_server_seconds_bucket[1m])))',
      at,
    );
    // 0.02 s lies in (0.01, 0.05]: linear interpolation gives 0.01 + 0.04·0.5.
    assert.deepEqual(vector(p50.value), { '': 0.03 });
    await spanMetrics.shutdown();
    await serviceGraph.shutdown();
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
});
