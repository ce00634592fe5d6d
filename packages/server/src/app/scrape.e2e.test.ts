/**
 * Vigil's prometheus receiver scrapes two real-shaped exporters and every exposed sample comes
 * back unchanged from /api/v1/query: (a) Debian's python3-prometheus-client running the seed's
 * "Custom Metrics for ML Inference Latency Histograms" example with a stand-in model, (b) an HTTP
 * server speaking DCGM exporter output for the seed's DCGM fields on two GPUs.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { skipUnless } from '../test-support/test-requirements.ts';
import { parseExposition, SCRAPE_ACCEPT_HEADER } from '../receivers/prometheus/parse-exposition.ts';
import { parseScrapeConfigs } from '../receivers/prometheus/scrape/scrape-config.ts';
import { getJson, startTestVigil } from './e2e-support.ts';
import type { RunningVigil } from './start-vigil.ts';

// Debian's interpreter: the python3 first on PATH may be a virtualenv without the Debian module.
const PYTHON = '/usr/bin/python3';
const promClientSkip = skipUnless('pythonPrometheusClient');

// The seed's example; the stand-in model and preprocess replace the real ones, and the default
// process/GC collectors are unregistered because their values change between two fetches.
const ML_EXPORTER = `
import sys, time, random
from prometheus_client import Histogram, Counter, Gauge, start_http_server, REGISTRY, PROCESS_COLLECTOR, PLATFORM_COLLECTOR, GC_COLLECTOR
for collector in (PROCESS_COLLECTOR, PLATFORM_COLLECTOR, GC_COLLECTOR):
    REGISTRY.unregister(collector)
INFERENCE_LATENCY = Histogram("ml_inference_latency_seconds", "Latency of model inference in seconds",
    labelnames=["model_name", "model_version", "endpoint"], buckets=[0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0])
PREPROCESS_LATENCY = Histogram("ml_preprocess_latency_seconds", "Latency of feature preprocessing in seconds",
    labelnames=["model_name"], buckets=[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5])
PREDICTION_COUNT = Counter("ml_predictions_total", "Total number of predictions served",
    labelnames=["model_name", "model_version", "result_class"])
MODEL_LOAD_TIME = Gauge("ml_model_load_duration_seconds", "Time taken to load the model into memory", labelnames=["model_name", "model_version"])
GPU_MEMORY_USED = Gauge("ml_gpu_memory_used_bytes", "GPU memory used by the model", labelnames=["gpu_id", "model_name"])
rng = random.Random(7)
class StandInModel:
    def predict(self, features):
        time.sleep(features * 0.02)
        return features
model = StandInModel()
def preprocess(request):
    time.sleep(0.002)
    return rng.random()
start_http_server(int(sys.argv[1]), addr="127.0.0.1")
def serve_prediction(request):
    model_name = "fraud-detector"
    model_version = "v3.1"
    with PREPROCESS_LATENCY.labels(model_name=model_name).time():
        features = preprocess(request)
    with INFERENCE_LATENCY.labels(model_name=model_name, model_version=model_version, endpoint="/predict").time():
        prediction = model.predict(features)
    result_class = "fraud" if prediction > 0.85 else "legitimate"
    PREDICTION_COUNT.labels(model_name=model_name, model_version=model_version, result_class=result_class).inc()
    return {"prediction": float(prediction), "class": result_class}
MODEL_LOAD_TIME.labels(model_name="fraud-detector", model_version="v3.1").set(4.25)
GPU_MEMORY_USED.labels(gpu_id="0", model_name="fraud-detector").set(6.5e9)
for i in range(25):
    serve_prediction({"id": i})
print("ready", flush=True)
while True:
    time.sleep(3600)
`;

// The seed's dcp-metrics-included.csv fields, as dcgm-exporter 3.3 writes them.
const DCGM_FIELDS: [string, 'gauge' | 'counter', string, [number, number]][] = [
  ['DCGM_FI_DEV_GPU_UTIL', 'gauge', 'GPU utilization (in %).', [87, 12]],
  ['DCGM_FI_DEV_MEM_COPY_UTIL', 'gauge', 'Memory utilization (in %).', [41, 3]],
  ['DCGM_FI_DEV_FB_USED', 'gauge', 'Framebuffer memory used (in MiB).', [61234, 1024]],
  ['DCGM_FI_DEV_FB_FREE', 'gauge', 'Framebuffer memory free (in MiB).', [20246, 80456]],
  ['DCGM_FI_DEV_GPU_TEMP', 'gauge', 'GPU temperature (in C).', [78, 41]],
  ['DCGM_FI_DEV_POWER_USAGE', 'gauge', 'Power draw (in W).', [612.337, 98.5]],
  ['DCGM_FI_DEV_SM_CLOCK', 'gauge', 'SM clock frequency (in MHz).', [1980, 345]],
  ['DCGM_FI_DEV_MEM_CLOCK', 'gauge', 'Memory clock frequency (in MHz).', [2619, 2619]],
  [
    'DCGM_FI_DEV_PCIE_TX_THROUGHPUT',
    'counter',
    'Total number of bytes transmitted through PCIe TX (in KB) via NVML.',
    [123456789, 4567],
  ],
  [
    'DCGM_FI_DEV_PCIE_RX_THROUGHPUT',
    'counter',
    'Total number of bytes received through PCIe RX (in KB) via NVML.',
    [987654321, 8910],
  ],
];

function dcgmExposition(): string {
  const gpus = [0, 1].map(
    (gpu) =>
      `gpu="${gpu}",UUID="GPU-5f2b8c1e-0000-4a5b-9c3d-00000000000${gpu}",device="nvidia${gpu}",modelName="NVIDIA H100 80GB HBM3",Hostname="gpu-node-1",DCGM_FI_DRIVER_VERSION="535.129.03"`,
  );
  return (
    DCGM_FIELDS.map(([name, type, help, values]) =>
      [
        `# HELP ${name} ${help}`,
        `# TYPE ${name} ${type}`,
        ...gpus.map((labels, gpu) => `${name}{${labels}} ${values[gpu] ?? 0}`),
      ].join('\n'),
    ).join('\n') + '\n'
  );
}

let vigil: RunningVigil | undefined;
let python: ChildProcess | undefined;
let dcgm: Server;
let mlAddress = '';
let dcgmAddress = '';

before(async () => {
  dcgm = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(dcgmExposition()),
  );
  await new Promise<void>((resolve) => dcgm.listen(0, '127.0.0.1', resolve));
  dcgmAddress = `127.0.0.1:${(dcgm.address() as AddressInfo).port}`;
  const jobs: Record<string, unknown>[] = [
    { job_name: 'dcgm-exporter', scrape_interval: '1s', static_configs: [{ targets: [dcgmAddress] }] },
  ];
  if (!promClientSkip) {
    mlAddress = `127.0.0.1:${await freePort()}`;
    python = await startMlExporter(mlAddress);
    jobs.push({
      job_name: 'ml-inference',
      scrape_interval: '1s',
      static_configs: [{ targets: [mlAddress] }],
    });
  }
  vigil = await startTestVigil(
    (config) => (config.prometheusScrapeConfigs = parseScrapeConfigs({ scrape_configs: jobs })),
  );
});

after(async () => {
  await vigil?.close();
  python?.kill();
  await new Promise((resolve) => dcgm.close(resolve));
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startMlExporter(address: string): Promise<ChildProcess> {
  const script = join(mkdtempSync(join(tmpdir(), 'vigil-ml-exporter-')), 'ml_exporter.py');
  writeFileSync(script, ML_EXPORTER);
  const child = spawn(PYTHON, [script, address.split(':')[1] ?? ''], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
    child.on('exit', (code) => reject(new Error(`ml exporter exited with ${code}`)));
  });
  return child;
}

interface VectorResult {
  metric: Record<string, string>;
  value: [number, string];
}

async function query(promql: string): Promise<VectorResult[]> {
  assert.ok(vigil);
  const { status, body } = await getJson(vigil, `/api/v1/query?query=${encodeURIComponent(promql)}`);
  assert.equal(status, 200, JSON.stringify(body));
  return (body as { data: { result: VectorResult[] } }).data.result;
}

async function waitForUp(job: string): Promise<VectorResult[]> {
  for (let attempt = 0; attempt < 60; attempt++) {
    const result = await query(`up{job="${job}"}`);
    if (result.length > 0) return result;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  assert.fail(`no up series for ${job}`);
}

/** Fetches the exposition as Vigil does and checks every sample against Vigil's stored value. */
async function assertStoredEqualsExposed(job: string, address: string): Promise<number> {
  const response = await fetch(`http://${address}/metrics`, { headers: { accept: SCRAPE_ACCEPT_HEADER } });
  const exposed = parseExposition(
    await response.text(),
    response.headers.get('content-type') ?? undefined,
  ).samples;
  const stored = await query(`{job="${job}",__name__!~"up|scrape_.+"}`);
  const byLabels = new Map(stored.map((r) => [key(r.metric), r.value[1]]));
  for (const sample of exposed) {
    const labels = { ...Object.fromEntries(sample.labels), job, instance: address };
    const value = byLabels.get(key(labels));
    assert.ok(value !== undefined, `missing ${key(labels)}`);
    assert.equal(Number(value), sample.value, key(labels));
  }
  assert.equal(stored.length, exposed.length);
  return exposed.length;
}

function key(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
}

test('DCGM exporter output on two GPUs is stored sample for sample, up=1', async () => {
  const up = await waitForUp('dcgm-exporter');
  assert.deepEqual(
    up.map((r) => [r.metric.instance, r.value[1]]),
    [[dcgmAddress, '1']],
  );
  assert.equal(await assertStoredEqualsExposed('dcgm-exporter', dcgmAddress), DCGM_FIELDS.length * 2);
  const util = await query('DCGM_FI_DEV_GPU_UTIL');
  assert.deepEqual(util.map((r) => [r.metric.gpu, r.value[1]]).sort(), [
    ['0', '87'],
    ['1', '12'],
  ]);
  // /api/v1/targets as Prometheus serves it: the target, its labels and its health.
  const { body } = await getJson(vigil!, '/api/v1/targets?scrapePool=dcgm-exporter');
  const targets = (
    body as {
      data: { activeTargets: { labels: Record<string, string>; health: string; scrapeUrl: string }[] };
    }
  ).data.activeTargets;
  assert.deepEqual(
    targets.map((t) => [t.labels.job, t.labels.instance, t.health]),
    [['dcgm-exporter', dcgmAddress, 'up']],
  );
  assert.match(targets[0]?.scrapeUrl ?? '', /\/metrics$/);
});

test(
  'prometheus_client running the seed ML example is stored sample for sample, up=1',
  { skip: promClientSkip },
  async () => {
    const up = await waitForUp('ml-inference');
    assert.deepEqual(
      up.map((r) => [r.metric.instance, r.value[1]]),
      [[mlAddress, '1']],
    );
    const count = await assertStoredEqualsExposed('ml-inference', mlAddress);
    assert.ok(count > 30, `samples: ${count}`);
    const predictions = await query('sum(ml_predictions_total{job="ml-inference"})');
    assert.equal(predictions[0]?.value[1], '25');
  },
);
