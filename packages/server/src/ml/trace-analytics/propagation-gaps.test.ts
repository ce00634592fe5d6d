import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpanKind } from '../../model/span.ts';
import { attrs } from '../../storage/contract-fixtures.ts';
import { analyzePropagationGaps, peerNames, UNKNOWN_CALLER } from './propagation-gaps.ts';
import { BASE_UNIX_MS, logNormal, seededRandom, SyntheticTrace } from './synthetic-traces.ts';
import type { WeightedTrace } from './trace-sample.ts';

const MINUTE_MS = 60_000;
const RANGE = { startMs: BASE_UNIX_MS, endMs: BASE_UNIX_MS + 10 * MINUTE_MS };

/**
 * One request a second for 10 minutes: gateway → preprocess → feature-store and gateway →
 * embedding → vector-store. From `dropAtMs` on, preprocess stops propagating context to
 * feature-store (feature-store starts its own trace) and embedding sends vector-store a parent
 * span id that is never exported (vector-store's span is an orphan).
 */
function platform(dropAtMs: number): WeightedTrace[] {
  const random = seededRandom(5);
  const traces: WeightedTrace[] = [];
  for (let second = 0; second < 600; second++) {
    const baseMs = second * 1000 + random() * 500;
    const dropped = second * 1000 >= dropAtMs;
    const trace = new SyntheticTrace(second + 1, baseMs);
    const root = trace.add({ service: 'api-gateway', name: 'POST /score', startMs: 0, durationMs: 200 });
    const pre = trace.call(root, 'api-gateway', { service: 'preprocess', name: 'POST /preprocess' }, 1, 40);
    const featureMs = logNormal(random, 15, 0.3);
    if (dropped) {
      trace.add({ service: 'preprocess', name: 'POST /feature-store', kind: SpanKind.CLIENT, startMs: 3, durationMs: featureMs + 2, parent: pre.server, attributes: { 'peer.service': 'feature-store' } });
      const detached = new SyntheticTrace(100_000 + second, baseMs);
      detached.add({ service: 'feature-store', name: 'GET /features', startMs: 4, durationMs: featureMs });
      traces.push(detached.weighted());
    } else {
      trace.call(pre.server, 'preprocess', { service: 'feature-store', name: 'GET /features' }, 3, featureMs);
    }
    const embedding = trace.call(root, 'api-gateway', { service: 'embedding', name: 'POST /embed' }, 50, 60);
    if (dropped) {
      trace.add({ service: 'embedding', name: 'POST /vector-store', kind: SpanKind.CLIENT, startMs: 52, durationMs: 30, parent: embedding.server, attributes: { 'server.address': 'vector-store' } });
      trace.add({ service: 'vector-store', name: 'POST /search', startMs: 53, durationMs: 28, parent: 0xdead });
    } else {
      trace.call(embedding.server, 'embedding', { service: 'vector-store', name: 'POST /search' }, 52, 28);
    }
    traces.push(trace.weighted());
  }
  return traces;
}

void test('propagation gaps: an edge that drops context after T shows gaps on that edge only, only after T', () => {
  const dropAtMs = 6 * MINUTE_MS;
  const report = analyzePropagationGaps(platform(dropAtMs), { range: RANGE });
  assert.equal(report.tracesAnalysed, 600 + 240);
  assert.deepEqual(
    report.edges.map((edge) => [edge.caller, edge.callee, edge.orphanSpans, edge.disconnectedTraces]),
    [['embedding', 'vector-store', 240, 0], ['preprocess', 'feature-store', 0, 240]].sort(),
  );
  for (const edge of report.edges) {
    assert.deepEqual(edge.buckets.map((bucket) => bucket.startMs - RANGE.startMs), [6, 7, 8, 9].map((m) => m * MINUTE_MS));
    assert.ok(edge.buckets.every((bucket) => bucket.estimatedGaps === 60));
    assert.ok(edge.firstSeenMs >= RANGE.startMs + dropAtMs);
  }
});

void test('propagation gaps: none when context always propagates', () => {
  const report = analyzePropagationGaps(platform(Infinity), { range: RANGE });
  assert.deepEqual([report.orphanSpans, report.disconnectedTraces, report.edges.length], [0, 0, 0]);
});

void test('propagation gaps: no matching client → unknown caller; weights give the estimate', () => {
  const trace = new SyntheticTrace(1, 30_000);
  const root = trace.add({ service: 'gateway', name: 'GET /', startMs: 0, durationMs: 50, attributes: { 'sampling.adjusted_count': 4 } });
  trace.add({ service: 'ledger', name: 'POST /entry', startMs: 5, durationMs: 5, parent: 0xbeef });
  trace.call(root, 'gateway', { service: 'ledger', name: 'POST /other' }, 20, 5); // has its child: no candidate
  const report = analyzePropagationGaps([trace.weighted()], { range: RANGE });
  assert.deepEqual(
    report.edges.map((edge) => [edge.caller, edge.callee, edge.orphanSpans, edge.estimatedGaps]),
    [[UNKNOWN_CALLER, 'ledger', 1, 4]],
  );
});

void test('peerNames: peer.service, server.address, net.peer.name and URL hosts', () => {
  const cases: [Record<string, string | bigint>, string[]][] = [
    [{ 'peer.service': 'Fraud-Model' }, ['fraud-model']],
    [{ 'server.address': 'gpu-node-1', 'net.peer.name': 'gpu-node-1' }, ['gpu-node-1']],
    [{ 'url.full': 'http://feature-store:8080/features?id=1' }, ['feature-store']],
    [{ 'http.url': 'https://vector.internal/search' }, ['vector.internal']],
    [{ 'http.url': '/relative/path', 'server.port': 80n }, []],
  ];
  for (const [attributes, expected] of cases) assert.deepEqual(peerNames(attrs(attributes)), expected, JSON.stringify(Object.keys(attributes)));
});
