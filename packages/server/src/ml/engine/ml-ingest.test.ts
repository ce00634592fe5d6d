import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attrs, makeSpan } from '../../storage/contract-fixtures.ts';
import type { MlEngineOptions } from './engine-options.ts';
import { OTHER_CLASS, resolveMlEngineOptions } from './engine-options.ts';
import { MlIngest } from './ml-ingest.ts';
import { modelSummaries, placements } from './summaries.ts';
import { inferenceSpans, modelResource, T0_MS, timed, workload } from './synthetic-spans.ts';

const MINUTE_MS = 60_000;

function newIngest(options: Partial<MlEngineOptions> = {}): { ingest: MlIngest; clock: { nowMs: number } } {
  const clock = { nowMs: T0_MS };
  return { ingest: new MlIngest(resolveMlEngineOptions({ nowMs: () => clock.nowMs, ...options })), clock };
}

function versionSummary(ingest: MlIngest, version: string, startMs: number, endMs: number, nowMs = endMs) {
  const summary = modelSummaries(ingest.models, { startMs, endMs }, MINUTE_MS, nowMs)[0];
  return summary?.versions.find((v) => v.version === version);
}

describe('MlIngest', () => {
  it('splits traffic 90/10 between stable and canary, and nothing else', () => {
    const { ingest, clock } = newIngest();
    ingest.add(
      workload(1, 20_000, T0_MS, 10 * MINUTE_MS, [
        { version: '3.1.0', share: 0.9 },
        { version: '3.2.0', share: 0.1 },
      ]),
    );
    clock.nowMs = T0_MS + 10 * MINUTE_MS;
    const [model] = modelSummaries(
      ingest.models,
      { startMs: T0_MS, endMs: clock.nowMs },
      MINUTE_MS,
      clock.nowMs,
    );
    assert.equal(model?.model, 'fraud-detector');
    assert.equal(model.requests, 20_000);
    const [stable, canary] = model.versions;
    // Binomial(20000, 0.1): σ of the share = sqrt(0.1·0.9/20000) = 0.0021; 4σ tolerance.
    assert.ok(Math.abs(canary!.trafficShare - 0.1) < 0.0085, `canary share ${canary!.trafficShare}`);
    assert.equal(stable!.version, '3.1.0');
    assert.equal(stable!.trafficShare + canary!.trafficShare, 1);
    assert.equal(stable!.requestsPerSecond, stable!.requests / 600);
  });

  it('measures a 5% null-feature rate and reports none where there is none', () => {
    const { ingest } = newIngest();
    ingest.add(
      workload(2, 4_000, T0_MS, 5 * MINUTE_MS, [
        { version: 'a', share: 0.5, nullRate: 0.05 },
        { version: 'b', share: 0.5, nullRate: 0 },
      ]),
    );
    const nullRatio = (version: string) =>
      versionSummary(ingest, version, T0_MS, T0_MS + 5 * MINUTE_MS)!.nullFeatureRatio;
    // 2000 requests × 100 features: σ = sqrt(0.05·0.95/200000) = 0.00049.
    assert.ok(Math.abs(nullRatio('a')! - 0.05) < 0.002, `ratio ${nullRatio('a')}`);
    assert.equal(nullRatio('b'), 0);
  });

  it('computes latency, Apdex, errors and GPU seconds from known spans', () => {
    const { ingest } = newIngest({ apdexThresholdMs: () => 100 });
    // T = 100 ms: 50 and 100 satisfied, 150 and 400 tolerating, 401 frustrated, the error frustrated.
    const latencies = [50, 100, 150, 400, 401, 60];
    latencies.forEach((latencyMs, i) =>
      ingest.add(inferenceSpans({ version: '1', endMs: T0_MS + i, latencyMs, error: i === 5, gpuMs: 20 })),
    );
    const summary = versionSummary(ingest, '1', T0_MS, T0_MS + MINUTE_MS)!;
    assert.equal(summary.requests, 6);
    assert.equal(summary.errors, 1);
    assert.equal(summary.errorRate, 1 / 6);
    assert.equal(summary.apdex, (2 + 2 / 2) / 6);
    assert.equal(summary.apdexThresholdMs, 100);
    assert.equal(summary.gpuSecondsPerRequest, 0.02);
    assert.equal(summary.latencyMs.mean, latencies.reduce((a, b) => a + b) / 6);
    // DDSketch rank q·(n − 1) = 4.95 falls in the 5th value's bucket: 400 within 1%.
    assert.ok(Math.abs(summary.latencyMs.p99! - 400) / 400 <= 0.01);
    assert.ok(Math.abs(summary.latencyMs.p50! - 100) / 100 <= 0.01, 'p50 within the sketch accuracy');
    assert.deepEqual(summary.services, ['fraud-model']);
    assert.deepEqual(summary.hosts, ['gpu-node-1']);
  });

  it('marks a deployment when 3.2.0 first appears after 3.1.0, naming 3.1.0', () => {
    const { ingest } = newIngest();
    ingest.add(workload(3, 100, T0_MS, 5 * MINUTE_MS, [{ version: '3.1.0', share: 1 }]));
    assert.deepEqual(ingest.deployments(), [], 'a first version is not a deployment');
    const canaryEndMs = T0_MS + 5 * MINUTE_MS + 1234;
    ingest.add(inferenceSpans({ version: '3.2.0', endMs: canaryEndMs, latencyMs: 30 }));
    ingest.add(inferenceSpans({ version: '3.2.0', endMs: canaryEndMs + 1, latencyMs: 30 }));
    assert.deepEqual(ingest.deployments(), [
      { model: 'fraud-detector', version: '3.2.0', firstSeenMs: canaryEndMs, previousVersion: '3.1.0' },
    ]);
  });

  it('orders deployments by span time whatever order batches arrive in', () => {
    const { ingest } = newIngest();
    const canaryEndMs = T0_MS + 5 * MINUTE_MS + 1234;
    ingest.add(inferenceSpans({ version: '3.2.0', endMs: canaryEndMs + 60_000, latencyMs: 30 }));
    ingest.add(inferenceSpans({ version: '3.2.0', endMs: canaryEndMs, latencyMs: 30 }));
    ingest.add(workload(3, 100, T0_MS, 5 * MINUTE_MS, [{ version: '3.1.0', share: 1 }]));
    assert.deepEqual(ingest.deployments(), [
      { model: 'fraud-detector', version: '3.2.0', firstSeenMs: canaryEndMs, previousVersion: '3.1.0' },
    ]);
  });

  it('versions first seen within one slot of each other were both running: no deployment', () => {
    const { ingest } = newIngest();
    ingest.add(inferenceSpans({ version: '3.2.0', endMs: T0_MS + 30_000, latencyMs: 30 }));
    ingest.add(inferenceSpans({ version: '3.1.0', endMs: T0_MS, latencyMs: 30 }));
    assert.deepEqual(ingest.deployments(), []);
  });

  it('drops slots past the retention, late spans, and versions no longer seen', () => {
    const { ingest, clock } = newIngest({ retentionMs: 10 * MINUTE_MS });
    ingest.add(inferenceSpans({ version: 'old', endMs: T0_MS + 1, latencyMs: 10 }));
    clock.nowMs = T0_MS + 5 * MINUTE_MS;
    ingest.add(inferenceSpans({ version: 'new', endMs: clock.nowMs, latencyMs: 10 }));
    assert.equal(versionSummary(ingest, 'old', T0_MS, clock.nowMs)?.requests, 1);
    clock.nowMs = T0_MS + 12 * MINUTE_MS;
    ingest.add(inferenceSpans({ version: 'new', endMs: T0_MS + 30_000, latencyMs: 10 }));
    assert.equal(ingest.counters.lateSpans, 1);
    assert.equal(
      ingest.models.get('fraud-detector')?.has('old'),
      false,
      'version not seen for 10 minutes is forgotten',
    );
    const kept = versionSummary(ingest, 'new', T0_MS, clock.nowMs);
    assert.equal(kept?.requests, 1);
  });

  it('tracks at most maxVersions versions and counts the spans of the rest', () => {
    const { ingest } = newIngest({ limits: { maxVersions: 2 } });
    for (const version of ['1', '2', '3', '3'])
      ingest.add(inferenceSpans({ version, endMs: T0_MS, latencyMs: 10, featureCount: 10, nullCount: 1 }));
    assert.deepEqual([...ingest.models.get('fraud-detector')!.keys()], ['1', '2']);
    assert.equal(ingest.counters.droppedVersionSpans, 4, 'predict and preprocess span of version 3, twice');
  });

  it('bounds features and classes per version', () => {
    const { ingest } = newIngest({ limits: { maxFeatures: 3, maxClasses: 2 } });
    const classes = ['a', 'b', 'c', 'd', 'a'];
    classes.forEach((predictedClass, i) =>
      ingest.add(
        inferenceSpans({
          version: '1',
          endMs: T0_MS + i,
          latencyMs: 5,
          predictedClass,
          features: { f1: 1, f2: 2, f3: 3 },
        }),
      ),
    );
    const slot = ingest.models.get('fraud-detector')!.get('1')!.merged({ first: -Infinity, last: Infinity });
    // ml.request.batch_size is admitted first, then f1 and f2; f3 is dropped on every span.
    assert.deepEqual([...slot.features!.keys()].sort(), ['f1', 'f2', 'ml.request.batch_size']);
    assert.equal(ingest.counters.droppedFeatureValues, 5);
    assert.deepEqual(Object.fromEntries(slot.classes!), { a: 2, b: 1, [OTHER_CLASS]: 2 });
    assert.equal(ingest.counters.otherClassPredictions, 2);
  });

  it('places versions on hosts and GPUs from resource host.name and gpu.id', () => {
    const { ingest } = newIngest();
    ingest.add(
      inferenceSpans({
        version: '3.1.0',
        endMs: T0_MS,
        latencyMs: 5,
        resource: modelResource('fraud-detector', '3.1.0', { 'gpu.id': '0' }),
      }),
    );
    ingest.add(
      inferenceSpans({
        version: '3.2.0',
        endMs: T0_MS,
        latencyMs: 5,
        resource: modelResource('fraud-detector', '3.2.0', { 'gpu.id': '1, 2' }),
      }),
    );
    assert.deepEqual(placements(ingest.models), [
      { model: 'fraud-detector', version: '3.1.0', host: 'gpu-node-1', gpus: ['0'] },
      { model: 'fraud-detector', version: '3.2.0', host: 'gpu-node-1', gpus: ['1', '2'] },
    ]);
  });

  it('keeps placements bounded when hosts churn (pods come and go)', () => {
    const { ingest } = newIngest();
    for (let pod = 0; pod < 400; pod++) {
      const gpus = Array.from({ length: 40 }, (_, i) => String(i)).join(',');
      const resource = modelResource('fraud-detector', '3.1.0', {
        'host.name': `pod-${pod}`,
        'gpu.id': gpus,
      });
      ingest.add(inferenceSpans({ version: '3.1.0', endMs: T0_MS + pod, latencyMs: 5, resource }));
    }
    const placed = placements(ingest.models);
    assert.equal(placed.length, 256, 'hosts capped');
    assert.ok(
      placed.every((p) => p.gpus.length === 16),
      'GPU ids per host capped',
    );
    assert.equal(
      ingest.models.get('fraud-detector')?.get('3.1.0')?.requestsTotal,
      400,
      'requests still counted',
    );
  });

  it('ignores spans of no model and keeps phase spans out of the request count', () => {
    const { ingest } = newIngest();
    ingest.add([
      timed(
        makeSpan({
          trace: 1,
          span: 1,
          name: 'GET /',
          attributes: attrs({ 'http.response.status_code': 200n }),
        }),
        T0_MS,
        3,
      ),
    ]);
    assert.equal(ingest.models.size, 0);
    ingest.add(inferenceSpans({ version: '1', endMs: T0_MS, latencyMs: 5, featureCount: 10, gpuMs: 3 }));
    assert.equal(versionSummary(ingest, '1', T0_MS, T0_MS + MINUTE_MS)?.requests, 1);
    assert.equal(ingest.counters.modelSpans, 3);
  });

  it('consumes well over 500k spans/s (bench note, not asserted: wall-clock)', () => {
    const { ingest } = newIngest();
    const spans = workload(9, 20_000, T0_MS, 5 * MINUTE_MS, [
      { version: '3.1.0', share: 0.9 },
      { version: '3.2.0', share: 0.1 },
    ]);
    ingest.add(spans);
    const startedNs = process.hrtime.bigint();
    const rounds = 5;
    for (let i = 0; i < rounds; i++) ingest.add(spans);
    const seconds = Number(process.hrtime.bigint() - startedNs) / 1e9;
    const spansPerSecond = Math.round((rounds * spans.length) / seconds);
    console.log(`# ml engine ingest: ${spansPerSecond} spans/s (${spans.length} spans × ${rounds})`);
    assert.equal(ingest.counters.modelSpans, (rounds + 1) * spans.length);
  });
});
