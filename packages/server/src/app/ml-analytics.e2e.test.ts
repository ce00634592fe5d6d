/**
 * ML analytics end to end: the real OTel JS SDK sends inference traces with known injected effects
 * (a canary 15% slower, prediction scores shifted and 5% null features in the last 20 minutes) to a
 * running Vigil; the ML API finds each effect with the right magnitude, reports none where none was
 * injected, and the vigil_ml_* series answer PromQL.
 */
import {
  context,
  SpanKind,
  SpanStatusCode,
  trace,
  type Span as OtelSpan,
  type Tracer,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { seededRandom, standardNormal } from '../ml/stats/random.ts';
import type { CanaryComparison, DriftReport, GenAiSummary, ModelSummary } from '../ml/ml-types.ts';
import { labelsFrom } from '../query/promql/labels.ts';
import { getJson, startTestVigil } from './e2e-support.ts';
import type { RunningVigil } from './start-vigil.ts';

const MODEL = 'fraud-detector';
const MINUTE_MS = 60_000;
const STABLE_REQUESTS = 1600;
const CANARY_REQUESTS = 400;
const CANARY_SLOWDOWN = 1.15;
const SCORE_SHIFT = 0.15;
const FEATURES = 40;

let vigil: RunningVigil;
let dataDir: string;
let nowMs: number;
/** Drift starts on a slot (minute) boundary, so a query from there sees only drifted requests. */
let driftStartMs: number;

interface Request {
  version: string;
  endMs: number;
  durationMs: number;
  score: number;
  nullCount: number;
  failed: boolean;
}

/** 40 minutes of traffic: 3.1.0 throughout, 3.2.0 (canary) from minute 10; drift in the last 20. */
function workload(): Request[] {
  const random = seededRandom(42);
  const requests: Request[] = [];
  const add = (version: string, count: number, fromMs: number, medianMs: number): void => {
    for (let i = 0; i < count; i++) {
      const endMs = fromMs + ((nowMs - 60_000 - fromMs) * (i + 0.5)) / count;
      const drifting = version === '3.1.0' && endMs >= driftStartMs;
      requests.push({
        version,
        endMs,
        durationMs: medianMs * Math.exp(0.25 * standardNormal(random)),
        score: 0.05 + 0.35 * random() ** 2 + (drifting ? SCORE_SHIFT : 0),
        nullCount: drifting ? 2 : 0,
        failed: random() < 0.01,
      });
    }
  };
  add('3.1.0', STABLE_REQUESTS, nowMs - 40 * MINUTE_MS, 30);
  add('3.2.0', CANARY_REQUESTS, nowMs - 30 * MINUTE_MS, 30 * CANARY_SLOWDOWN);
  return requests;
}

function provider(resource: Record<string, string>): BasicTracerProvider {
  const exporter = new OTLPTraceExporter({ url: `http://127.0.0.1:${vigil.ports.otlpHttp}/v1/traces` });
  return new BasicTracerProvider({
    resource: resourceFromAttributes(resource),
    spanProcessors: [new BatchSpanProcessor(exporter, { maxExportBatchSize: 512, maxQueueSize: 20_000 })],
  });
}

/** api-gateway → fraud-model server span → inference.predict with its three phases. */
function emit(gateway: Tracer, models: Map<string, Tracer>, request: Request): void {
  const startMs = request.endMs - request.durationMs;
  const root = gateway.startSpan('POST /predict', { kind: SpanKind.SERVER, startTime: startMs - 3 });
  const tracer = models.get(request.version)!;
  const child = (parent: OtelSpan, name: string, kind: SpanKind, fromMs: number, attributes = {}): OtelSpan =>
    tracer.startSpan(name, { kind, startTime: fromMs, attributes }, trace.setSpan(context.active(), parent));
  const server = child(root, 'POST /predict', SpanKind.SERVER, startMs - 1);
  const predict = child(server, 'inference.predict', SpanKind.INTERNAL, startMs, {
    'ml.model.name': MODEL,
    'ml.model.version': request.version,
    'ml.request.batch_size': 1,
    'ml.prediction.score': request.score,
    'ml.prediction.class': request.score >= 0.5 ? 'fraud' : 'legit',
  });
  const d = request.durationMs;
  const phase = (name: string, fromMs: number, toMs: number, attributes = {}): void =>
    child(predict, name, SpanKind.INTERNAL, fromMs, attributes).end(toMs);
  phase('inference.preprocess', startMs, startMs + 0.1 * d, {
    'ml.preprocess.feature_count': FEATURES,
    'ml.preprocess.null_count': request.nullCount,
  });
  phase('inference.forward_pass', startMs + 0.1 * d, startMs + 0.9 * d, { 'ml.inference.gpu_used': true });
  phase('inference.postprocess', startMs + 0.9 * d, request.endMs);
  if (request.failed) predict.setStatus({ code: SpanStatusCode.ERROR, message: 'CUDA error' });
  predict.end(request.endMs);
  server.end(request.endMs + 1);
  root.end(request.endMs + 3);
}

/** When GPU 2's SM clock drops (a step boundary) and the embedder on it slows down. */
let throttleAtMs: number;
const EMBEDDER = 'text-embedder';

/** The embedder on GPU 2: 20 ms inferences, 30 ms once its GPU throttles; one request every 6 s. */
function emitEmbedder(tracer: Tracer): void {
  for (let endMs = nowMs - 40 * MINUTE_MS; endMs < nowMs - 30_000; endMs += 6_000) {
    const durationMs = endMs >= throttleAtMs ? 30 : 20;
    tracer
      .startSpan('inference.predict', {
        startTime: endMs - durationMs,
        attributes: { 'ml.model.name': EMBEDDER, 'ml.model.version': '1.0.0' },
      })
      .end(endMs);
  }
}

/** DCGM exporter series for GPU 2 every 15 s: the SM clock falls from 1980 to 1200 MHz at throttleAtMs. */
async function writeDcgm(): Promise<void> {
  const times: number[] = [];
  for (let t = nowMs - 45 * MINUTE_MS; t <= nowMs; t += 15_000) times.push(t);
  const series = (name: string, value: (t: number) => number) => ({
    labels: labelsFrom({ __name__: name, gpu: '2', Hostname: 'gpu-node-1', UUID: 'GPU-2', job: 'dcgm' }),
    timestampsMs: Float64Array.from(times),
    values: Float64Array.from(times.map(value)),
  });
  await vigil.store.writeSamples([
    series('DCGM_FI_DEV_SM_CLOCK', (t) => (t >= throttleAtMs ? 1200 : 1980)),
    series('DCGM_FI_DEV_GPU_TEMP', () => 70),
    series('DCGM_FI_DEV_FB_USED', () => 10_000),
    series('DCGM_FI_DEV_FB_FREE', () => 30_000),
    series('DCGM_FI_DEV_GPU_UTIL', () => 80),
  ]);
}

/** 100 LLM calls (OTel GenAI conventions): 500 tokens in, 200 out over 2 s, first token after 300 ms. */
function emitGenAi(tracer: Tracer): void {
  for (let i = 0; i < 100; i++) {
    const endMs = nowMs - 30 * MINUTE_MS + i * 10_000;
    tracer
      .startSpan('chat gpt-4o-mini', {
        kind: SpanKind.CLIENT,
        startTime: endMs - 2_000,
        attributes: {
          'gen_ai.system': 'openai',
          'gen_ai.operation.name': 'chat',
          'gen_ai.request.model': 'gpt-4o-mini',
          'gen_ai.response.model': 'gpt-4o-mini',
          'gen_ai.usage.input_tokens': 500,
          'gen_ai.usage.output_tokens': 200,
          'gen_ai.server.time_to_first_token': 0.3,
        },
      })
      .end(endMs);
  }
}

async function sendWorkload(): Promise<void> {
  const gatewayProvider = provider({ 'service.name': 'api-gateway', 'host.name': 'edge-1' });
  const embedderProvider = provider({ 'service.name': 'embedder', 'host.name': 'gpu-node-1', 'gpu.id': '2' });
  const llmProvider = provider({ 'service.name': 'assistant', 'host.name': 'edge-1' });
  const modelProviders = new Map(
    ['3.1.0', '3.2.0'].map((version, gpu) => [
      version,
      provider({
        'service.name': 'fraud-model',
        'host.name': 'gpu-node-1',
        'gpu.id': String(gpu),
        'ml.model.name': MODEL,
        'ml.model.version': version,
      }),
    ]),
  );
  const tracers = new Map([...modelProviders].map(([version, p]) => [version, p.getTracer('ml.inference')]));
  const gateway = gatewayProvider.getTracer('http');
  for (const request of workload()) emit(gateway, tracers, request);
  emitEmbedder(embedderProvider.getTracer('ml.inference'));
  emitGenAi(llmProvider.getTracer('openai'));
  for (const p of [gatewayProvider, embedderProvider, llmProvider, ...modelProviders.values()]) {
    await p.forceFlush();
    await p.shutdown();
  }
}

/** The drifted period, in the API's nanosecond timestamps. */
const sinceDrift = (): string => `start=${driftStartMs * 1e6}&end=${nowMs * 1e6}`;

async function data<T>(path: string): Promise<T> {
  const { status, body } = await getJson(vigil, path);
  assert.equal(status, 200, `${path}: ${JSON.stringify(body)}`);
  return (body as { data: T }).data;
}

async function promValue(query: string): Promise<number> {
  const result = await data<{ result: { value: [number, string] }[] }>(
    `/api/v1/query?query=${encodeURIComponent(query)}`,
  );
  assert.equal(result.result.length, 1, `${query}: ${JSON.stringify(result)}`);
  return Number(result.result[0]!.value[1]);
}

describe('ML analytics end to end (OTel JS SDK → Vigil → ML API)', () => {
  before(async () => {
    vigil = await startTestVigil((config) => {
      dataDir = config.dataDir;
      config.ml.seriesWindowMs = 20 * MINUTE_MS;
      config.ml.seriesIntervalMs = 3_600_000; // the test writes the series itself
      config.ml.genAiPrices = { 'gpt-4o-mini': { inputPerMillionUsd: 0.15, outputPerMillionUsd: 0.6 } };
    });
    nowMs = Date.now();
    driftStartMs = Math.floor((nowMs - 20 * MINUTE_MS) / MINUTE_MS) * MINUTE_MS;
    throttleAtMs = Math.floor((nowMs - 12 * MINUTE_MS) / MINUTE_MS) * MINUTE_MS;
    await sendWorkload();
    await writeDcgm();
  });
  after(() => vigil.close());

  test('models, versions and traffic share', async () => {
    const models = await data<ModelSummary[]>('/api/vigil/v1/ml/models?lookback=1h');
    const model = models.find((m) => m.model === MODEL);
    assert.ok(model, JSON.stringify(models));
    const byVersion = new Map(model.versions.map((v) => [v.version, v]));
    assert.equal(byVersion.get('3.1.0')?.requests, STABLE_REQUESTS);
    assert.equal(byVersion.get('3.2.0')?.requests, CANARY_REQUESTS);
    assert.equal(byVersion.get('3.2.0')?.trafficShare, CANARY_REQUESTS / (STABLE_REQUESTS + CANARY_REQUESTS));
    assert.deepEqual(byVersion.get('3.1.0')?.hosts, ['gpu-node-1']);
    assert.ok(byVersion.get('3.1.0')!.gpuSecondsPerRequest! > 0.02, 'forward passes on the GPU');
    const deployments = await data<{ version: string; previousVersion?: string }[]>(
      '/api/vigil/v1/ml/deployments?lookback=1h',
    );
    assert.deepEqual(
      deployments.map((d) => [d.version, d.previousVersion]),
      [['3.2.0', '3.1.0']],
    );
  });

  test('canary verdict: 3.2.0 about 15% slower, error rates not different', async () => {
    const comparison = await data<CanaryComparison>(`/api/vigil/v1/ml/compare?model=${MODEL}&lookback=1h`);
    assert.equal(comparison.baseline, '3.1.0');
    assert.equal(comparison.candidate, '3.2.0');
    const p50 = comparison.latency.find((q) => q.quantile === 0.5)!;
    assert.ok(p50.relativeChange! > 0.1 && p50.relativeChange! < 0.2, JSON.stringify(p50));
    assert.ok(p50.significant && p50.ciLow! <= 0.15 && p50.ciHigh! >= 0.15, JSON.stringify(p50));
    assert.equal(comparison.errorRate.significant, false, JSON.stringify(comparison.errorRate));
    assert.ok(
      comparison.verdict.some((line) => /3\.2\.0 p50 is 1\d% slower/.test(line)),
      comparison.verdict.join(' | '),
    );
  });

  test('drift: 3.1.0 scores shifted and 5% null features; 3.2.0 unchanged', async () => {
    const shifted = await data<DriftReport>(
      `/api/vigil/v1/ml/drift?model=${MODEL}&version=3.1.0&${sinceDrift()}`,
    );
    const score = shifted.features.find((f) => f.feature === 'ml.prediction.score')!;
    assert.ok(score.drifted && score.psi! > 0.2 && score.ksPValue! < 0.001, JSON.stringify(score));
    assert.ok(
      Math.abs(shifted.nullFeatureRatio.current! - 0.05) < 1e-9,
      JSON.stringify(shifted.nullFeatureRatio),
    );
    assert.equal(shifted.nullFeatureRatio.reference, 0);
    const steady = await data<DriftReport>(
      `/api/vigil/v1/ml/drift?model=${MODEL}&version=3.2.0&${sinceDrift()}`,
    );
    assert.deepEqual(
      steady.features.filter((f) => f.drifted).map((f) => f.feature),
      [],
      JSON.stringify(steady.features),
    );
  });

  test('the vigil_ml_* series answer PromQL', async () => {
    assert.ok((await vigil.ml!.writeSeries()) > 0);
    const psi = await promValue(
      `vigil_ml_drift_psi{model="${MODEL}",version="3.1.0",feature="ml.prediction.score"}`,
    );
    assert.ok(psi > 0.2, `psi ${psi}`);
    // The 20-minute series window is whole slots: up to one minute before the drift started is in it.
    const nulls = await promValue(`vigil_ml_null_feature_ratio{model="${MODEL}",version="3.1.0"}`);
    assert.ok(nulls > 0.044 && nulls <= 0.05, `null ratio ${nulls}`);
    const change = await promValue(
      `vigil_ml_canary_latency_change{model="${MODEL}",version="3.2.0",baseline="3.1.0",quantile="0.5"}`,
    );
    assert.ok(change > 0.08 && change < 0.22, `canary change ${change}`);
    // Every family written has its TYPE and HELP in the metadata API.
    const names = await data<string[]>('/api/v1/label/__name__/values');
    const metadata = await data<Record<string, { type: string }[]>>('/api/v1/metadata');
    const written = names.filter((name) => name.startsWith('vigil_ml_'));
    assert.ok(written.length >= 14, written.join(' '));
    for (const name of written) assert.ok(metadata[name]?.[0]?.type, `metadata of ${name}`);
  });

  test('phases, tail at scale, failure reports and GPU answer from the same traffic', async () => {
    const phases = await data<{
      versions: { version: string; all: { phases: { phase: string; share: number }[] } }[];
    }>(`/api/vigil/v1/ml/phases?lookback=1h&model=${MODEL}`);
    const stable = phases.versions.find((v) => v.version === '3.1.0');
    const forward = stable?.all.phases.find((p) => p.phase === 'forwardPass');
    assert.ok(forward && forward.share > 0.6 && forward.share < 0.85, JSON.stringify(stable));
    const tail = await data<{ endpoints: { service: string }[] }>(
      '/api/vigil/v1/ml/tail-at-scale?lookback=1h',
    );
    assert.ok(
      tail.endpoints.some((e) => e.service === 'api-gateway'),
      JSON.stringify(tail).slice(0, 500),
    );
    const gaps = await data<{ orphanSpans: number }>('/api/vigil/v1/ml/reports/propagation-gaps?lookback=1h');
    assert.equal(gaps.orphanSpans, 0);
    const skew = await data<{ hosts: { flagged: boolean }[] }>(
      '/api/vigil/v1/ml/reports/clock-skew?lookback=1h',
    );
    assert.ok(
      skew.hosts.every((h) => !h.flagged),
      JSON.stringify(skew),
    );
    const gpu = await data<{ timelines: { version: string; gpu: string }[] }>(
      '/api/vigil/v1/ml/gpu?lookback=1h',
    );
    assert.ok(Array.isArray(gpu.timelines));
  });

  test('GPU correlation: the embedder slowed when GPU 2 throttled; the fraud models had no such event', async () => {
    const report = await data<{
      timelines: { model: string; gpu: string }[];
      latencyRises: {
        model: string;
        atMs: number;
        p99RiseRatio: number;
        cause: string;
        gpuCauses: { kind: string; gpu: string }[];
      }[];
    }>('/api/vigil/v1/ml/gpu?lookback=40m&step=1m');
    assert.ok(
      report.timelines.some((t) => t.model === EMBEDDER && t.gpu === '2'),
      'embedder joined to GPU 2',
    );
    const rises = report.latencyRises.filter((r) => r.model === EMBEDDER);
    assert.equal(rises.length, 1, JSON.stringify(report.latencyRises));
    const [rise] = rises;
    // Steps run from the range start: the event is the step holding the throttle time.
    assert.ok(rise!.atMs <= throttleAtMs && throttleAtMs < rise!.atMs + MINUTE_MS, `at ${rise!.atMs}`);
    assert.ok(Math.abs(rise!.p99RiseRatio - 0.5) < 0.03, `rise ${rise!.p99RiseRatio}`);
    assert.equal(rise!.cause, 'gpu');
    assert.deepEqual(
      rise!.gpuCauses.map((c) => [c.kind, c.gpu]),
      [['sm_clock_drop', '2']],
    );
    assert.deepEqual(
      report.latencyRises.filter((r) => r.model === MODEL && r.cause === 'gpu'),
      [],
      'no GPU cause for the fraud models',
    );
  });

  test('GenAI: tokens per second, time to first token and cost per request', async () => {
    const summaries = await data<GenAiSummary[]>('/api/vigil/v1/ml/genai?lookback=1h');
    const llm = summaries.find((s) => s.model === 'gpt-4o-mini');
    assert.ok(llm, JSON.stringify(summaries));
    assert.equal(llm.requests, 100);
    assert.equal(llm.system, 'openai');
    assert.deepEqual([llm.inputTokens, llm.outputTokens], [50_000, 20_000]);
    assert.ok(Math.abs(llm.outputTokensPerSecond! - 100) < 1e-6, String(llm.outputTokensPerSecond));
    assert.ok(Math.abs(llm.timeToFirstTokenMs.p50! - 300) <= 3, JSON.stringify(llm.timeToFirstTokenMs));
    assert.ok(
      Math.abs(llm.costPerRequestUsd! - (500 * 0.15 + 200 * 0.6) / 1e6) < 1e-12,
      String(llm.costPerRequestUsd),
    );
  });

  test('bad input: unknown model 404, missing version 400, bad confidence 400', async () => {
    assert.equal((await getJson(vigil, '/api/vigil/v1/ml/compare?model=nope')).status, 404);
    const onlyStart = await getJson(
      vigil,
      `/api/vigil/v1/ml/drift?model=${MODEL}&version=3.1.0&reference_start=1`,
    );
    assert.equal(onlyStart.status, 400);
    assert.match(JSON.stringify(onlyStart.body), /reference_end/);
    assert.equal((await getJson(vigil, '/api/vigil/v1/ml/timeline?model=x&version=1&step=1ms')).status, 400);
    assert.equal((await getJson(vigil, `/api/vigil/v1/ml/drift?model=${MODEL}`)).status, 400);
    assert.equal((await getJson(vigil, `/api/vigil/v1/ml/compare?model=${MODEL}&confidence=2`)).status, 400);
    assert.equal(
      (await getJson(vigil, `/api/vigil/v1/ml/drift?model=${MODEL}&version=3.1.0&reference=baseline:none`))
        .status,
      404,
    );
  });

  test('pinned baselines: drift against a pin of the pre-drift window', async () => {
    const response = await fetch(`http://127.0.0.1:${vigil.ports.api}/api/vigil/v1/ml/baselines`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'pre-drift',
        model: MODEL,
        version: '3.1.0',
        start: String((nowMs - 40 * MINUTE_MS) * 1e6),
        end: String((driftStartMs - MINUTE_MS) * 1e6),
      }),
    });
    assert.equal(response.status, 201, await response.clone().text());
    const report = await data<DriftReport>(
      `/api/vigil/v1/ml/drift?model=${MODEL}&version=3.1.0&lookback=15m&reference=baseline:pre-drift`,
    );
    assert.ok(report.features.find((f) => f.feature === 'ml.prediction.score')!.drifted);
    const pins = await data<{ name: string }[]>('/api/vigil/v1/ml/baselines');
    assert.deepEqual(
      pins.map((p) => p.name),
      ['pre-drift'],
    );
    const url = `http://127.0.0.1:${vigil.ports.api}/api/vigil/v1/ml/baselines/pre-drift`;
    assert.equal((await fetch(url, { method: 'DELETE' })).status, 204);
    assert.equal((await fetch(url, { method: 'DELETE' })).status, 404);
    assert.deepEqual(await data<unknown[]>('/api/vigil/v1/ml/baselines'), []);
  });

  test("the seed's GPU alert rules are installed by default", async () => {
    const rules = await data<{ groups: { name: string; rules: { name: string }[] }[] }>('/api/v1/rules');
    const group = rules.groups.find((g) => g.name === 'vigil-ml-gpu-defaults');
    assert.deepEqual(group?.rules.map((r) => r.name).sort(), [
      'GPUIdleWaste',
      'GPUMemoryPressure',
      'GPUTemperatureHigh',
    ]);
  });

  test('the engine snapshot brings back versions, counts and the canary verdict', async () => {
    const before = await data<ModelSummary[]>('/api/vigil/v1/ml/models?lookback=1h');
    const verdict = (await data<CanaryComparison>(`/api/vigil/v1/ml/compare?model=${MODEL}&lookback=1h`))
      .verdict;
    await vigil.close();
    vigil = await startTestVigil((config) => {
      config.dataDir = dataDir;
    });
    const after = await data<ModelSummary[]>('/api/vigil/v1/ml/models?lookback=1h');
    const counts = (models: ModelSummary[]) =>
      models.flatMap((m) => m.versions.map((v) => [m.model, v.version, v.requests, v.errors]));
    assert.deepEqual(counts(after), counts(before));
    assert.ok(counts(after).length >= 3);
    const again = await data<CanaryComparison>(`/api/vigil/v1/ml/compare?model=${MODEL}&lookback=1h`);
    assert.deepEqual(again.verdict, verdict);
  });
});
