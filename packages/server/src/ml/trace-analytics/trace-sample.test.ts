import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { AttributeValue } from '../../model/attributes.ts';
import type { Span } from '../../model/span.ts';
import { openDuckDbStore } from '../../storage/duckdb/duckdb-store.ts';
import type { TraceQuery, TraceSummary } from '../../storage/store.ts';
import { clockSkewReport } from './clock-skew-report.ts';
import { BASE_UNIX_MS, skewedPlatform, SyntheticTrace } from './synthetic-traces.ts';
import { tailAtScale } from './tail-at-scale.ts';
import { adjustedCount, MAX_TRACES_LIMIT, msToNanos, sampleTraces, type TraceSource } from './trace-sample.ts';

/** A store of one-span traces, one every `everyMs`, that records what it was asked and how many calls overlapped. */
class FakeTraceSource implements TraceSource {
  readonly searches: TraceQuery[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private readonly traces: Span[][];

  constructor(count: number, everyMs: number) {
    this.traces = Array.from({ length: count }, (_, index) => {
      const trace = new SyntheticTrace(index + 1, index * everyMs);
      trace.add({ service: 'api', name: 'GET /', startMs: 0, durationMs: 5 });
      return trace.spans;
    });
  }

  searchTraces(query: TraceQuery): Promise<TraceSummary[]> {
    this.searches.push(query);
    const { startUnixNano, endUnixNano } = query.range!;
    const found = this.traces
      .filter(([span]) => span!.startTimeUnixNano >= startUnixNano && span!.startTimeUnixNano <= endUnixNano)
      .reverse()
      .slice(0, query.limit);
    return Promise.resolve(found.map(([span]) => ({ traceId: span!.traceId }) as TraceSummary));
  }

  async getTrace(traceId: string): Promise<Span[]> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.inFlight--;
    return this.traces.find(([span]) => span!.traceId === traceId) ?? [];
  }
}

void test('sampleTraces: spreads the limit over windows, bounds concurrency, reports truncation', async () => {
  const store = new FakeTraceSource(1000, 600); // 10 minutes of traces, one every 0.6 s
  const range = { startMs: BASE_UNIX_MS, endMs: BASE_UNIX_MS + 600_000 };
  const sample = await sampleTraces(store, { range, maxTraces: 95, windows: 10, fetchConcurrency: 3, service: 'api' });
  assert.equal(sample.traces.length, 95);
  assert.equal(sample.truncated, true);
  assert.equal(store.maxInFlight, 3);
  assert.deepEqual(store.searches.map((search) => search.limit), [9, 9, 9, 9, 9, 10, 10, 10, 10, 10]);
  assert.ok(store.searches.every((search) => search.service === 'api'));
  assert.equal(store.searches[0]!.range!.startUnixNano, msToNanos(range.startMs));
  assert.equal(store.searches[9]!.range!.endUnixNano, msToNanos(range.endMs));
  // Every window contributed: the sample covers the whole range, not just its newest end.
  const minutes = new Set(sample.traces.map(({ trace }) => Math.floor(Number(trace.startTimeUnixNano - msToNanos(range.startMs)) / 60e9)));
  assert.equal(minutes.size, 10);

  const all = await sampleTraces(new FakeTraceSource(50, 600), { range, maxTraces: 1000 });
  assert.deepEqual([all.traces.length, all.truncated], [50, false]);
  // All traces in the first window: its share (10) fills, the spare of the empty windows goes to it.
  const bunched = new FakeTraceSource(60, 1000);
  const early = await sampleTraces(bunched, { range, maxTraces: 100, windows: 10 });
  assert.deepEqual([early.traces.length, early.truncated, bunched.searches.length], [60, false, 11]);
  const capped = new FakeTraceSource(1, 1);
  await sampleTraces(capped, { range, maxTraces: 10 ** 9, windows: 1 });
  assert.equal(capped.searches[0]!.limit, MAX_TRACES_LIMIT);
});

void test('adjustedCount: positive finite doubles and ints weigh, anything else counts 1', () => {
  const cases: [AttributeValue | undefined, number][] = [
    [undefined, 1], [2.5, 2.5], [10n, 10], [0, 1], [-3, 1], [NaN, 1], [Infinity, 1], ['7', 1], [null, 1],
  ];
  for (const [value, expected] of cases) assert.equal(adjustedCount(value), expected, typeof value === 'bigint' ? `${value}n` : JSON.stringify(value));
});

void test('trace analytics through a real DuckDB store: clock skew and tail at scale', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-trace-analytics-'));
  const store = await openDuckDbStore({ path: join(dir, 'vigil.duckdb'), threads: 2 });
  try {
    const traces = skewedPlatform(60, 250);
    await store.writeSpans(traces.flatMap((trace) => trace.spans));
    const range = { startMs: BASE_UNIX_MS - 1000, endMs: BASE_UNIX_MS + 120_000 };
    const skew = await clockSkewReport(store, { range, maxTraces: 100 });
    assert.deepEqual([skew.tracesAnalysed, skew.truncated], [60, false]);
    assert.deepEqual(skew.hosts.filter((host) => host.flagged).map((host) => host.host), ['gpu-node-1']);
    assert.ok(Math.abs(skew.hosts[0]!.medianSkewMs - 250) < 1.5);

    // Stored traces are assembled with skew adjustment for the other analyses: 2 hops per request.
    const tail = await tailAtScale(store, { range, maxTraces: 40, windows: 4 });
    assert.equal(tail.tracesAnalysed, 40);
    assert.equal(tail.truncated, true);
    assert.deepEqual(tail.endpoints.map((endpoint) => [endpoint.service, endpoint.hopsPerRequest.median]), [['api-gateway', 3]]);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
});
