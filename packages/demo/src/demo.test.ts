/**
 * End to end: Vigil + the demo platform (8 processes), real OTLP export. One platform run: first
 * normal traffic, then every scenario switched on live through the control API; each scenario's
 * signature is then looked for in what Vigil stored.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Span } from '../../server/src/model/span.ts';
import { StatusCode } from '../../server/src/model/span.ts';
import {
  dcgmValue,
  durationMillis,
  getJson,
  mean,
  nowNanos,
  quantile,
  spansIn,
  startDemoUnderTest,
  waitFor,
  type DemoUnderTest,
} from './demo-support.ts';
import { SERVICE_NAMES } from './platform.ts';
import { SCENARIO_NAMES } from './scenarios.ts';

const RATE_PER_SECOND = 30;
// gateway, preprocess, feature-store, embedding, vector-store: server + client; fraud-model: server,
// predict, 3 phases, client; postprocess: server.
const SPANS_PER_REQUEST = 17;
let demo: DemoUnderTest;

before(async () => {
  demo = await startDemoUnderTest(RATE_PER_SECOND);
});
after(async () => {
  await demo?.close();
});

test('Vigil scrapes the DCGM exporter: up is 1 and both GPUs answer PromQL', async () => {
  const query = (expr: string): Promise<unknown> =>
    getJson(`${demo.apiUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const result = await waitFor(
    async () => {
      const body = (await query(
        'up{job="dcgm-exporter"} == 1 and on() count(DCGM_FI_DEV_GPU_TEMP) == 2',
      )) as { result: unknown[] };
      return body.result.length === 1 ? body : undefined;
    },
    20_000,
    'a DCGM scrape',
  );
  assert.ok(result);
  const used = (await query('DCGM_FI_DEV_FB_USED / (DCGM_FI_DEV_FB_USED + DCGM_FI_DEV_FB_FREE)')) as {
    result: { value: [number, string] }[];
  };
  assert.equal(used.result.length, 2);
  for (const { value } of used.result) assert.ok(Number(value[1]) > 0 && Number(value[1]) < 1);
});

test('the ML API sees the demo: fraud-detector 3.1.0 and the canary 3.2.0 on their GPUs', async () => {
  interface Version {
    version: string;
    requests: number;
    trafficShare: number;
    hosts: string[];
  }
  const versions = await waitFor(
    async () => {
      const models = (await getJson(`${demo.apiUrl}/api/vigil/v1/ml/models?lookback=5m`)) as {
        model: string;
        versions: Version[];
      }[];
      const found = models.find((m) => m.model === 'fraud-detector')?.versions;
      return found && found.length === 2 && found.every((v) => v.requests > 0) ? found : undefined;
    },
    20_000,
    'both fraud-detector versions',
  );
  const canary = versions.find((v) => v.version === '3.2.0')!;
  // startDemoUnderTest routes half the traffic to the canary (more canary samples per second).
  assert.ok(canary.trafficShare > 0.3 && canary.trafficShare < 0.7, `canary share ${canary.trafficShare}`);
  assert.ok(versions.every((v) => v.hosts.includes('gpu-node-1')));
  const gpu = (await getJson(`${demo.apiUrl}/api/vigil/v1/ml/gpu?lookback=5m`)) as {
    timelines: { version: string; gpu: string }[];
  };
  const placement = new Set(gpu.timelines.map((t) => `${t.version}@${t.gpu}`));
  assert.ok(placement.has('3.1.0@0') && placement.has('3.2.0@1'), [...placement].join(' '));
});

const sleep = (millis: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, millis));

interface TraceDetail {
  traceId: string;
  warnings: string[];
  spans: {
    traceId: string;
    spanId: string;
    parentSpanId: string;
    orphan: boolean;
    resource: { serviceName: string };
  }[];
}

test('traffic reaches Vigil: all services report and a gateway trace spans every hop with one trace id', async () => {
  const services = await waitFor(
    async () => {
      const names = (await getJson(`${demo.apiUrl}/api/vigil/v1/services`)) as string[];
      return SERVICE_NAMES.every((name) => names.includes(name)) ? names : undefined;
    },
    40_000,
    'all services',
  );
  for (const name of SERVICE_NAMES) assert.ok(services.includes(name), name);
  const complete = await waitFor(
    async () => {
      const summaries = (await getJson(
        `${demo.apiUrl}/api/vigil/v1/traces?service=api-gateway&lookback=5m&limit=50`,
      )) as { traceId: string; services: string[]; errorCount: number; spanCount: number }[];
      // Each process exports on its own schedule: wait for a trace whose spans have all arrived.
      return summaries.find((s) => s.errorCount === 0 && s.spanCount === SPANS_PER_REQUEST);
    },
    20_000,
    'a complete gateway trace',
  );
  const detail = (await getJson(`${demo.apiUrl}/api/vigil/v1/traces/${complete.traceId}`)) as TraceDetail;
  assert.equal(detail.spans.length, SPANS_PER_REQUEST);
  assert.ok(detail.spans.every((span) => span.traceId === complete.traceId));
  assert.deepEqual(new Set(detail.spans.map((span) => span.resource.serviceName)), new Set(SERVICE_NAMES));
  assert.equal(detail.spans.filter((span) => span.parentSpanId === '').length, 1, 'one root');
  assert.ok(detail.spans.every((span) => !span.orphan));
});

describe('scenarios switched on live leave their signatures', () => {
  let baseline: Span[] = [];
  let during: Span[] = [];
  let dcgmBefore = '';
  let dcgmAfter = '';
  let scenarioRange = { startUnixNano: 0n, endUnixNano: 0n };

  before(async () => {
    const baselineStart = nowNanos();
    await sleep(7_000);
    const switchedAt = nowNanos();
    dcgmBefore = await (await fetch(demo.platform.dcgmUrl)).text();
    const response = await fetch(demo.platform.controlUrl, {
      method: 'PUT',
      body: JSON.stringify({ active: SCENARIO_NAMES }),
    });
    assert.equal(response.status, 200);
    await sleep(1_500); // requests in flight at the switch finish
    scenarioRange = { startUnixNano: nowNanos(), endUnixNano: 0n };
    await sleep(9_000);
    scenarioRange.endUnixNano = nowNanos();
    dcgmAfter = await (await fetch(demo.platform.dcgmUrl)).text();
    await sleep(3_000); // the services export every second
    const services = ['api-gateway', 'vector-store'];
    baseline = await spansIn(
      demo.vigil,
      { startUnixNano: baselineStart, endUnixNano: switchedAt - 500_000_000n },
      services,
    );
    during = await spansIn(demo.vigil, scenarioRange, services);
  });

  const forwardPassMillis = (spans: Span[], version: string): number[] =>
    spans
      .filter((s) => s.name === 'inference.forward_pass' && s.statusCode !== StatusCode.ERROR)
      .filter((s) => s.resource.attributes['service.version'] === version)
      .map(durationMillis);

  test('canary-regression: v3.2 forward pass ~15% slower than v3.1', () => {
    const stable = forwardPassMillis(during, '3.1.0');
    const canary = forwardPassMillis(during, '3.2.0');
    assert.ok(canary.length >= 40, `canary samples: ${canary.length}`);
    const p50Ratio = quantile(canary, 0.5) / quantile(stable, 0.5);
    // p90, not p99: over ~100 samples a p99 is one request and a p95 five, which one event-loop
    // stall on a shared 2-core machine moves either way (a CI run saw p95 0.998 with p50 in range);
    // the demo's live data shows the p99 gap over longer windows.
    const p90Ratio = quantile(canary, 0.9) / quantile(stable, 0.9);
    console.log(
      `canary p50 ratio ${p50Ratio.toFixed(3)}, p90 ratio ${p90Ratio.toFixed(3)} (n=${canary.length}/${stable.length})`,
    );
    assert.ok(p50Ratio > 1.07 && p50Ratio < 1.25, `p50 ratio ${p50Ratio}`);
    assert.ok(p90Ratio > 1.0, `p90 ratio ${p90Ratio}`);
  });

  test('gpu-throttling: SM clock down, temperature up, forward pass slower', () => {
    for (const gpu of ['0', '1']) {
      assert.ok(
        dcgmValue(dcgmAfter, 'DCGM_FI_DEV_SM_CLOCK', gpu) <
          dcgmValue(dcgmBefore, 'DCGM_FI_DEV_SM_CLOCK', gpu) - 300,
      );
      assert.ok(
        dcgmValue(dcgmAfter, 'DCGM_FI_DEV_GPU_TEMP', gpu) >
          dcgmValue(dcgmBefore, 'DCGM_FI_DEV_GPU_TEMP', gpu) + 15,
      );
    }
    const ratio =
      quantile(forwardPassMillis(during, '3.1.0'), 0.5) / quantile(forwardPassMillis(baseline, '3.1.0'), 0.5);
    console.log(`v3.1 forward pass p50 throttled/normal ${ratio.toFixed(3)}`);
    assert.ok(ratio > 1.25, `ratio ${ratio}`);
  });

  test('slow-feature-store: feature-store server spans take ~120 ms longer', () => {
    const featureStore = (spans: Span[]): number[] =>
      spans.filter((s) => s.resource.serviceName === 'feature-store' && s.kind === 2).map(durationMillis);
    const increaseMillis = quantile(featureStore(during), 0.5) - quantile(featureStore(baseline), 0.5);
    console.log(`feature-store p50 increase ${increaseMillis.toFixed(1)} ms`);
    assert.ok(increaseMillis > 80, `increase ${increaseMillis}`);
  });

  test('null-features: ml.preprocess.null_count rises and scores shift up', () => {
    const nullCounts = (spans: Span[]): number[] =>
      spans
        .filter((s) => s.resource.serviceName === 'preprocess' && s.kind === 2)
        .map((s) => Number(s.attributes['ml.preprocess.null_count'] ?? 0));
    const scores = (spans: Span[]): number[] =>
      spans.flatMap((s) =>
        typeof s.attributes['ml.prediction.score'] === 'number' ? [s.attributes['ml.prediction.score']] : [],
      );
    console.log(
      `null_count mean ${mean(nullCounts(baseline)).toFixed(2)} → ${mean(nullCounts(during)).toFixed(2)}`,
    );
    assert.ok(mean(nullCounts(baseline)) < 1);
    assert.ok(mean(nullCounts(during)) > 3.2, 'at least 5% of 64 features');
    assert.ok(mean(scores(during)) > mean(scores(baseline)) + 0.1);
  });

  test('error-burst: error spans on fraud-model and correlated error logs', async () => {
    const errors = during.filter(
      (s) => s.resource.serviceName === 'fraud-model' && s.statusCode === StatusCode.ERROR,
    );
    assert.ok(errors.length > 0);
    assert.equal(baseline.filter((s) => s.statusCode === StatusCode.ERROR).length, 0);
    const logs = await demo.vigil.store.searchLogs({
      range: scenarioRange,
      service: 'fraud-model',
      minSeverityNumber: 17,
      limit: 100,
    });
    assert.ok(logs.length > 0, 'error logs');
    const errorTraceIds = new Set(errors.map((s) => s.traceId));
    assert.ok(
      logs.some((log) => errorTraceIds.has(log.traceId)),
      'logs carry the failing trace ids',
    );
  });

  test('propagation-gap: disconnected traces rooted at vector-store, and orphan spans', async () => {
    const summaries = await demo.vigil.store.searchTraces({
      range: scenarioRange,
      service: 'vector-store',
      limit: 200,
    });
    const disconnected = summaries.filter((s) => s.rootServiceName === 'vector-store');
    assert.ok(disconnected.length > 0, 'traces that start at vector-store');
    const broken = summaries.filter((s) => s.services.includes('api-gateway'));
    assert.ok(broken.length > 0, 'gateway traces that still reach vector-store through the unexported hop');
    const detail = (await getJson(
      `${demo.apiUrl}/api/vigil/v1/traces/${broken[0]?.traceId}`,
    )) as TraceDetail & {
      spans: { orphan: boolean; resource: { serviceName: string } }[];
    };
    const orphans = detail.spans.filter((s) => s.orphan);
    assert.ok(
      orphans.length > 0 && orphans.every((s) => s.resource.serviceName === 'vector-store'),
      'orphans at vector-store',
    );
    assert.ok(
      detail.warnings.some((w) => /parent span that is not in the trace/.test(w)),
      JSON.stringify(detail.warnings),
    );
  });

  test('the ML reports name the gap edge and the skewed host', async () => {
    const range = `start=${scenarioRange.startUnixNano}&end=${scenarioRange.endUnixNano}`;
    const gaps = (await getJson(`${demo.apiUrl}/api/vigil/v1/ml/reports/propagation-gaps?${range}`)) as {
      edges: { caller: string; callee: string; estimatedGaps: number }[];
    };
    const top = gaps.edges[0];
    assert.equal(top?.callee, 'vector-store', JSON.stringify(gaps.edges.slice(0, 3)));
    assert.equal(top.caller, 'embedding');
    const skew = (await getJson(`${demo.apiUrl}/api/vigil/v1/ml/reports/clock-skew?${range}`)) as {
      hosts: { host: string; flagged: boolean; offsetMs: number }[];
    };
    const flagged = skew.hosts.filter((h) => h.flagged);
    assert.deepEqual(
      flagged.map((h) => h.host),
      ['feature-node-1'],
      JSON.stringify(skew.hosts),
    );
    assert.ok(Math.abs(flagged[0]!.offsetMs - 250) < 100, `offset ${flagged[0]!.offsetMs}`);
  });

  test('clock-skew: the trace API reports a clock-skew adjustment', async () => {
    const gatewayTraces = await demo.vigil.store.searchTraces({
      range: scenarioRange,
      service: 'feature-store',
      limit: 5,
    });
    const first = gatewayTraces[0];
    assert.ok(first);
    const detail = (await getJson(`${demo.apiUrl}/api/vigil/v1/traces/${first.traceId}`)) as TraceDetail;
    assert.ok(
      detail.warnings.some((warning) => /clock skew/i.test(warning)),
      JSON.stringify(detail.warnings),
    );
  });
});
