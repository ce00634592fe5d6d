import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpanKind } from '../../model/span.ts';
import { logNormal, seededRandom, SyntheticTrace } from './synthetic-traces.ts';
import { analyzeTailAtScale, hopsBelow, type EndpointTail } from './tail-at-scale.ts';
import { requestRoot, type WeightedTrace } from './trace-sample.ts';

/** A search front end fanning out to `hops` shards in parallel; `shardMs` draws each shard's time. */
function fanOut(traceNumber: number, hops: number, shardMs: () => number): WeightedTrace {
  const trace = new SyntheticTrace(traceNumber);
  const durations = Array.from({ length: hops }, shardMs);
  const root = trace.add({ service: 'frontend', name: 'GET /search', startMs: 0, durationMs: Math.max(...durations) + 4 });
  for (const durationMs of durations) trace.call(root, 'frontend', { service: 'shard', name: 'Search' }, 1, durationMs);
  return trace.weighted();
}

function only(endpoints: EndpointTail[]): EndpointTail {
  assert.equal(endpoints.length, 1);
  return endpoints[0]!;
}

void test('tail at scale: independent fan-out meets a tail hop as often as 1 − 0.99ⁿ predicts', () => {
  const random = seededRandom(7);
  const traces = Array.from({ length: 2000 }, (_, index) =>
    fanOut(index + 1, index % 2 === 0 ? 5 : 20, () => logNormal(random, 10, 0.5)),
  );
  const endpoint = only(analyzeTailAtScale(traces).endpoints);
  assert.deepEqual([endpoint.service, endpoint.spanName, endpoint.traces], ['frontend', 'GET /search', 2000]);
  // python3: ((1-0.99**5)+(1-0.99**20))/2 = 0.11555150625138466; 1-0.99**5 = 0.04900995010000009
  assert.ok(Math.abs(endpoint.expectedTailHopShare - 0.11555150625138466) < 1e-12);
  assert.equal(endpoint.hopsPerRequest.median, 5);
  assert.ok(Math.abs(endpoint.expectedAtTypicalHops - 0.04900995010000009) < 1e-12);
  assert.deepEqual(endpoint.hopsPerRequest.distribution, [{ hops: 5, share: 0.5 }, { hops: 20, share: 0.5 }]);
  // Binomial standard error at n = 2000: √(0.1156 · 0.8844 / 2000) ≈ 0.0072; allow ~3.5 of them.
  assert.ok(Math.abs(endpoint.observedTailHopShare - 0.1156) < 0.025, `observed ${endpoint.observedTailHopShare}`);
  const shard = endpoint.hops[0]!;
  assert.equal(shard.callsPerRequest, 12.5);
  assert.ok(Math.abs(shard.tailHopRequestShare - endpoint.observedTailHopShare) < 1e-12);
});

void test('tail at scale: correlated shards (one slow request slows all) meet far fewer tail hops than predicted', () => {
  const random = seededRandom(8);
  const traces = Array.from({ length: 1000 }, (_, index) => {
    const requestFactor = logNormal(random, 1, 0.8);
    return fanOut(index + 1, 20, () => 10 * requestFactor * logNormal(random, 1, 0.02));
  });
  const endpoint = only(analyzeTailAtScale(traces).endpoints);
  assert.ok(Math.abs(endpoint.expectedTailHopShare - 0.18209306240276923) < 1e-12); // python3: 1-0.99**20
  assert.ok(endpoint.observedTailHopShare < 0.05, `observed ${endpoint.observedTailHopShare}`);
});

/** gateway → feature-store, then → model; `extraModelMs` is added to the model call. */
function sequential(traceNumber: number, random: () => number, extraModelMs: number): WeightedTrace {
  const trace = new SyntheticTrace(traceNumber);
  const featureMs = logNormal(random, 20, 0.2);
  const modelMs = logNormal(random, 30, 0.2) + extraModelMs;
  const root = trace.add({ service: 'gateway', name: 'POST /score', startMs: 0, durationMs: featureMs + modelMs + 6 });
  trace.call(root, 'gateway', { service: 'feature-store', name: 'GET /features' }, 1, featureMs);
  trace.call(root, 'gateway', { service: 'fraud-model', name: 'POST /predict' }, featureMs + 4, modelMs);
  return trace.weighted();
}

void test('tail at scale: a hop slowed in 3% of requests is named as most of the p99, and not without it', () => {
  const injected = seededRandom(11);
  const slow = only(
    analyzeTailAtScale(Array.from({ length: 2000 }, (_, i) => sequential(i + 1, injected, injected() < 0.03 ? 300 : 0)))
      .endpoints,
  );
  const [model, features] = slow.hops;
  assert.equal(model?.service, 'fraud-model');
  // Tail requests take ≈ 20 + 330 + 6 ms, of which the model call is ≈ 330: a share near 0.93.
  assert.ok(model.shareOfEndpointTail > 0.88 && model.shareOfEndpointTail < 0.96, `${model.shareOfEndpointTail}`);
  assert.ok(features!.shareOfEndpointTail < 0.08);
  assert.ok(slow.tailMs > 330 && slow.tailMs < 420, `p99 ${slow.tailMs}`);

  const control = seededRandom(11);
  const normal = only(analyzeTailAtScale(Array.from({ length: 2000 }, (_, i) => sequential(i + 1, control, 0))).endpoints);
  const normalModel = normal.hops.find((hop) => hop.service === 'fraud-model')!;
  const normalFeatures = normal.hops.find((hop) => hop.service === 'feature-store')!;
  // Without injection the tail splits about 30 : 20 between the hops, as their medians do.
  assert.ok(normalModel.shareOfEndpointTail < 0.7, `${normalModel.shareOfEndpointTail}`);
  assert.ok(normalFeatures.shareOfEndpointTail > 0.25, `${normalFeatures.shareOfEndpointTail}`);
  assert.ok(normal.tailMs < 120);
});

void test('tail at scale: quantiles and shares are weighted by the root adjusted count', () => {
  const traces: WeightedTrace[] = [];
  for (let i = 1; i <= 100; i++) {
    const trace = new SyntheticTrace(i);
    trace.add({ service: 'api', name: 'GET /', startMs: 0, durationMs: 10 });
    traces.push(trace.weighted());
  }
  for (let i = 101; i <= 105; i++) {
    const trace = new SyntheticTrace(i);
    const count = i % 2 === 0 ? 20 : 20n; // double and int both count
    trace.add({ service: 'api', name: 'GET /', startMs: 0, durationMs: 500, attributes: { 'sampling.adjusted_count': count } });
    traces.push(trace.weighted());
  }
  const weighted = only(analyzeTailAtScale(traces, { quantile: 0.9 }).endpoints);
  assert.deepEqual([weighted.traces, weighted.requests, weighted.tailMs], [105, 200, 500]);
  const unweighted = only(analyzeTailAtScale(traces.map((t) => ({ ...t, weight: 1 })), { quantile: 0.9 }).endpoints);
  assert.deepEqual([unweighted.requests, unweighted.tailMs], [105, 10]);
});

void test('tail at scale: hops are remote entries below the root; orphan-only traces are no request', () => {
  const trace = new SyntheticTrace(1);
  const root = trace.add({ service: 'gateway', name: 'GET /', startMs: 0, durationMs: 100 });
  const internal = trace.add({ service: 'gateway', name: 'route', kind: SpanKind.INTERNAL, startMs: 1, durationMs: 90, parent: root });
  const { server } = trace.call(internal, 'gateway', { service: 'a', name: 'A' }, 2, 50);
  const work = trace.add({ service: 'a', name: 'work', kind: SpanKind.INTERNAL, startMs: 4, durationMs: 40, parent: server });
  trace.add({ service: 'a', name: 'same-process server', startMs: 5, durationMs: 5, parent: work });
  trace.add({ service: 'b', name: 'consume', kind: SpanKind.CONSUMER, startMs: 20, durationMs: 5, parent: work });
  const assembled = trace.weighted();
  const hops = hopsBelow(requestRoot(assembled.trace)!).map((call) => call.key.replace('\u0000', ' '));
  assert.deepEqual(hops.sort(), ['a A', 'b consume']);

  const orphanOnly = new SyntheticTrace(2);
  orphanOnly.add({ service: 'a', name: 'A', startMs: 0, durationMs: 5, parent: 999 });
  const report = analyzeTailAtScale([assembled, orphanOnly.weighted()]);
  assert.deepEqual([report.tracesAnalysed, report.tracesWithoutRoot, report.endpoints.length], [2, 1, 1]);
});
