import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { AttributeValue } from '../model/attributes.ts';
import type { Span } from '../model/span.ts';
import { attrs, BASE_NANOS, makeLog, makeSpan, metricPointsOfEveryType, resource, richSpan } from './contract-fixtures.ts';
import { runPromSeriesContract } from './prom-series.contract.ts';
import type { AttributeFilter, Store, TraceQuery } from './store.ts';

type MakeStore = (dir: string) => Promise<Store>;

const bySpanId = (a: Span, b: Span): number => a.spanId.localeCompare(b.spanId);
const WIDE = { startUnixNano: BASE_NANOS - 10n ** 12n, endUnixNano: BASE_NANOS + 10n ** 12n };

async function withStore(makeStore: MakeStore, body: (store: Store) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-store-'));
  const store = await makeStore(dir);
  try {
    await body(store);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A search fixture: trace 1 (predictor → feature-store, error, model v2, slow), trace 2 (predictor
 * only, model v1), trace 3 (ranker, kind CLIENT, route /rank). Start offsets make 3 newest.
 */
function searchFixture(): Span[] {
  const predictor = resource('predictor', { 'deployment.environment': 'prod' });
  const featureStore = resource('feature-store');
  return [
    makeSpan({ trace: 1, span: 11, name: 'inference.predict', resource: predictor, durationNanos: 9_000_000n,
      attributes: attrs({ 'ml.model.version': 'v2', 'ml.request.batch_size': 32n, 'score': 0.91 }) }),
    makeSpan({ trace: 1, span: 12, parent: 11, name: 'features.get', kind: 3, status: 2, resource: featureStore,
      startOffsetNanos: 100n, attributes: attrs({ 'db.system': 'redis' }) }),
    makeSpan({ trace: 2, span: 21, name: 'inference.predict', resource: predictor, startOffsetNanos: 1_000n,
      attributes: attrs({ 'ml.model.version': 'v1', 'ml.request.batch_size': 8n, 'score': 0.42 }) }),
    makeSpan({ trace: 3, span: 31, name: 'rank', kind: 3, resource: resource('ranker'), startOffsetNanos: 2_000n,
      attributes: attrs({ 'http.route': '/rank', 'http.response.status_code': 503n }) }),
  ];
}

const SEARCH_CASES: { name: string; query: Omit<TraceQuery, 'limit'>; traces: number[] }[] = [
  { name: 'everything, newest first', query: {}, traces: [3, 2, 1] },
  { name: 'service', query: { service: 'predictor' }, traces: [2, 1] },
  { name: 'operation', query: { operation: 'features.get' }, traces: [1] },
  { name: 'kind', query: { kind: 3 }, traces: [3, 1] },
  { name: 'status', query: { statusCode: 2 }, traces: [1] },
  { name: 'min duration', query: { minDurationNanos: 5_000_000n }, traces: [1] },
  { name: 'max duration', query: { maxDurationNanos: 2_000_000n }, traces: [3, 2, 1] },
  { name: 'time range', query: { range: { startUnixNano: BASE_NANOS + 500n, endUnixNano: BASE_NANOS + 1_500n } }, traces: [2] },
  { name: 'one span must match all', query: { service: 'feature-store', operation: 'inference.predict' }, traces: [] },
];

const FILTER_CASES: { name: string; filter: AttributeFilter; traces: number[] }[] = [
  { name: 'string =', filter: { scope: 'span', key: 'ml.model.version', op: '=', value: 'v2' }, traces: [1] },
  { name: 'string !=', filter: { scope: 'span', key: 'ml.model.version', op: '!=', value: 'v2' }, traces: [2] },
  { name: 'int =', filter: { scope: 'span', key: 'ml.request.batch_size', op: '=', value: 8n }, traces: [2] },
  { name: 'int >', filter: { scope: 'span', key: 'ml.request.batch_size', op: '>', value: 9n }, traces: [1] },
  { name: 'int <= double', filter: { scope: 'span', key: 'ml.request.batch_size', op: '<=', value: 8.5 }, traces: [2] },
  { name: 'double >=', filter: { scope: 'span', key: 'score', op: '>=', value: 0.5 }, traces: [1] },
  { name: 'double < numeric text', filter: { scope: 'span', key: 'score', op: '<', value: '0.5' }, traces: [2] },
  { name: 'regex', filter: { scope: 'span', key: 'ml.model.version', op: '=~', value: 'v[12]' }, traces: [2, 1] },
  { name: 'regex is full match', filter: { scope: 'span', key: 'ml.model.version', op: '=~', value: 'v' }, traces: [] },
  { name: 'not regex', filter: { scope: 'span', key: 'ml.model.version', op: '!~', value: 'v1' }, traces: [1] },
  { name: 'regex on int', filter: { scope: 'span', key: 'http.response.status_code', op: '=~', value: '5..' }, traces: [3] },
  { name: 'resource =', filter: { scope: 'resource', key: 'deployment.environment', op: '=', value: 'prod' }, traces: [2, 1] },
  { name: 'resource service.name', filter: { scope: 'resource', key: 'service.name', op: '=', value: 'ranker' }, traces: [3] },
];

/** Registers the Store contract tests for one backend. Every backend runs this same suite. */
export function runStoreContract(name: string, makeStore: MakeStore): void {
  void test(`${name}: a span reads back exactly via getTrace`, () =>
    withStore(makeStore, async (store) => {
      const rich = richSpan();
      const child = makeSpan({ trace: 0, span: 2, parent: 0xffffffffffffff01 });
      const sibling = { ...child, traceId: rich.traceId, parentSpanId: rich.spanId };
      await store.writeSpans([rich, sibling]);
      const trace = (await store.getTrace(rich.traceId)).sort(bySpanId);
      assert.deepStrictEqual(trace, [sibling, rich].sort(bySpanId));
      assert.deepStrictEqual(await store.getTrace('0'.repeat(31) + '9'), []);
      assert.deepStrictEqual(await store.getTrace('not-a-trace-id'), []);
    }));

  void test(`${name}: a trace written in several batches reads back whole`, () =>
    withStore(makeStore, async (store) => {
      const spans = [1, 2, 3].map((n) => makeSpan({ trace: 9, span: n, startOffsetNanos: BigInt(n) * 1_000_000_000n }));
      await Promise.all(spans.map((span) => store.writeSpans([span])));
      assert.deepStrictEqual((await store.getTrace(spans[0]?.traceId ?? '')).sort(bySpanId), spans);
    }));

  void test(`${name}: searchTraces applies every TraceQuery field`, () =>
    withStore(makeStore, async (store) => {
      await store.writeSpans(searchFixture());
      const ids = async (query: TraceQuery): Promise<number[]> =>
        (await store.searchTraces(query)).map((summary) => parseInt(summary.traceId, 16));
      for (const c of SEARCH_CASES) assert.deepStrictEqual(await ids({ ...c.query, limit: 10 }), c.traces, c.name);
      for (const c of FILTER_CASES) {
        assert.deepStrictEqual(await ids({ attributes: [c.filter], limit: 10 }), c.traces, c.name);
      }
      assert.deepStrictEqual(await ids({ limit: 2 }), [3, 2]);
    }));

  void test(`${name}: trace summaries describe the whole trace`, () =>
    withStore(makeStore, async (store) => {
      await store.writeSpans(searchFixture());
      const [summary] = await store.searchTraces({ operation: 'features.get', limit: 5 });
      assert.deepStrictEqual(summary, {
        traceId: '0'.repeat(31) + '1',
        rootServiceName: 'predictor',
        rootSpanName: 'inference.predict',
        startTimeUnixNano: BASE_NANOS,
        durationNanos: 9_000_000n,
        spanCount: 2,
        errorCount: 1,
        services: ['feature-store', 'predictor'],
      });
    }));

  void test(`${name}: services, operations, attribute keys and values, dependencies`, () =>
    withStore(makeStore, async (store) => {
      await store.writeSpans(searchFixture());
      assert.deepStrictEqual(await store.services(), ['feature-store', 'predictor', 'ranker']);
      assert.deepStrictEqual(await store.services({ startUnixNano: BASE_NANOS + 1_500n, endUnixNano: BASE_NANOS + 3_000n }), ['ranker']);
      assert.deepStrictEqual(await store.operations('feature-store'), [{ name: 'features.get', kind: 3 }]);
      const keys = await store.attributeKeys('span', WIDE);
      for (const key of ['ml.model.version', 'ml.request.batch_size', 'score', 'db.system']) assert.ok(keys.includes(key), key);
      assert.deepStrictEqual(await store.attributeKeys('resource'), ['deployment.environment', 'service.name']);
      assert.deepStrictEqual(await store.attributeValues('span', 'ml.model.version'), ['v1', 'v2']);
      assert.deepStrictEqual(await store.attributeValues('span', 'ml.request.batch_size', WIDE, 1), ['32']);
      assert.deepStrictEqual(await store.dependencies(WIDE), [{ parent: 'predictor', child: 'feature-store', callCount: 1 }]);
    }));

  void test(`${name}: Apdex counts per service and operation (satisfied ≤ T, tolerating ≤ 4T, errors frustrated)`, () =>
    withStore(makeStore, async (store) => {
      const ms = 1_000_000n;
      // [duration ms, status, kind]: T = 100 ms.
      const specs: [bigint, 0 | 2, 2 | 3 | 1][] = [
        [50n, 0, 2], [100n, 0, 2], [101n, 0, 2], [400n, 0, 2], [401n, 0, 2], [10n, 2, 2], [20n, 0, 3], [30n, 0, 1],
      ];
      await store.writeSpans(specs.map(([durationMs, status, kind], i) =>
        makeSpan({ trace: 900 + i, span: 1, durationNanos: durationMs * ms, status, kind, name: 'POST /predict' })));
      const query = { range: WIDE, thresholdNanos: 100n * ms, kinds: [2, 5] as const };
      assert.deepStrictEqual(await store.spanApdex(query), [
        { service: 'predictor', operation: 'POST /predict', total: 6, satisfied: 2, tolerating: 2, errors: 1 },
      ]);
      assert.deepStrictEqual(await store.spanApdex({ ...query, service: 'nobody' }), []);
      const withClients = await store.spanApdex({ ...query, kinds: [2, 3] });
      assert.equal(withClients[0]?.total, 7);
    }));

  void test(`${name}: logs read back exactly and search by every LogQuery field`, () =>
    withStore(makeStore, async (store) => {
      const typedBody = makeLog(3, { body: new Map<string, AttributeValue>([['event', 'oom'], ['bytes', 1n]]), severityNumber: 17 });
      const traced = makeLog(4, { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), body: 'GPU Memory LOW', eventName: 'gpu' });
      const logs = [makeLog(1), makeLog(2, { resource: resource('ranker') }), typedBody, traced];
      await store.writeLogs(logs);
      assert.deepStrictEqual(await store.searchLogs({ limit: 10 }), [...logs].reverse());
      const count = async (query: Parameters<Store['searchLogs']>[0]): Promise<number> =>
        (await store.searchLogs(query)).length;
      assert.equal(await count({ service: 'ranker', limit: 10 }), 1);
      assert.equal(await count({ minSeverityNumber: 17, limit: 10 }), 1);
      assert.equal(await count({ bodyContains: 'memory low', limit: 10 }), 1);
      assert.equal(await count({ bodyContains: '%', limit: 10 }), 0);
      assert.equal(await count({ bodyContains: 'OOM', limit: 10 }), 1);
      assert.equal(await count({ traceId: 'a'.repeat(32), limit: 10 }), 1);
      assert.equal(await count({ spanId: 'b'.repeat(16), limit: 10 }), 1);
      assert.equal(await count({ range: { startUnixNano: BASE_NANOS + 1_500n, endUnixNano: BASE_NANOS + 2_500n }, limit: 10 }), 1);
      assert.equal(await count({ limit: 2 }), 2);
    }));

  void test(`${name}: metric points of all five types read back exactly`, () =>
    withStore(makeStore, async (store) => {
      const points = metricPointsOfEveryType();
      await store.writeMetricPoints(points);
      assert.deepStrictEqual(await store.readMetricPoints({ limit: 10 }), points);
      const histogram = await store.readMetricPoints({ name: 'ml_inference_latency_seconds', limit: 10 });
      assert.deepStrictEqual(histogram, [points[2]]);
      const range = { startUnixNano: BASE_NANOS + 4n, endUnixNano: BASE_NANOS + 5n };
      assert.deepStrictEqual(await store.readMetricPoints({ range, limit: 10 }), points.slice(3));
    }));

  void test(`${name}: concurrent writes all commit and stats count them`, () =>
    withStore(makeStore, async (store) => {
      const writes = Array.from({ length: 20 }, (_, i) =>
        store.writeSpans([makeSpan({ trace: 100 + i, span: 1 }), makeSpan({ trace: 100 + i, span: 2, parent: 1 })]),
      );
      await Promise.all([...writes, store.writeLogs([makeLog(1)]), store.writeMetricPoints(metricPointsOfEveryType())]);
      const stats = await store.stats();
      assert.deepStrictEqual(stats.rows, { traces: 40, metrics: 5, logs: 1 });
      assert.ok(stats.sizeBytes > 0);
    }));

  void test(`${name}: retention deletes by age per signal`, () =>
    withStore(makeStore, async (store) => {
      const now = BigInt(Date.now()) * 1_000_000n;
      const old = makeSpan({ trace: 1, span: 1 }); // BASE_NANOS is in 2025: older than a day
      const fresh = { ...makeSpan({ trace: 2, span: 1 }), startTimeUnixNano: now, endTimeUnixNano: now + 5n };
      await store.writeSpans([old, fresh]);
      await store.writeLogs([makeLog(1)]);
      const day = 86_400_000;
      const result = await store.applyRetention({ maxAgeMillis: { traces: day, metrics: day, logs: 0 }, maxSizeBytes: 0 });
      assert.deepStrictEqual(result.deletedRows, { traces: 1, metrics: 0, logs: 0 });
      assert.deepStrictEqual(await store.getTrace(old.traceId), []);
      assert.equal((await store.getTrace(fresh.traceId)).length, 1);
      assert.deepStrictEqual((await store.stats()).rows, { traces: 1, metrics: 0, logs: 1 });
    }));

  runPromSeriesContract(name, makeStore);
}
