/**
 * The prometheusremotewrite exporter writes into Debian's Prometheus 2.42 (started with
 * --web.enable-remote-write-receiver); Prometheus's own /api/v1/query must then answer with every
 * series and sample the exporter translated: histogram buckets, summary quantiles, counters,
 * gauges, target_info, external labels. Skipped with a message when `prometheus` is not installed.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import type { MetricPoint } from '../../../model/metric-point.ts';
import { BASE_NANOS, seedMetricPoints } from '../../../storage/contract-fixtures.ts';
import { skipUnless } from '../../../test-support/test-requirements.ts';
import type { ComponentContext } from '../../graph/component.ts';
import { ManualScheduler } from '../../graph/manual-scheduler.ts';
import { testComponentContext } from '../../graph/test-context.ts';
import { prometheusRemoteWriteFactory } from './prometheus-remote-write-exporter.ts';
import { translateForRemoteWrite } from './prw-translate.ts';

const skip = skipUnless('prometheus');

let prometheus: ChildProcess | undefined;
let prometheusUrl = '';
let workDir = '';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForReady(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ready = await fetch(`${prometheusUrl}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return;
    await sleep(200);
  }
  throw new Error('Prometheus did not become ready');
}

before(async () => {
  if (skip) return;
  workDir = mkdtempSync(join(tmpdir(), 'vigil-prw-export-'));
  const port = await freePort();
  prometheusUrl = `http://127.0.0.1:${port}`;
  writeFileSync(join(workDir, 'prometheus.yml'), 'global: { scrape_interval: 1m }\n');
  prometheus = spawn(
    'prometheus',
    [
      `--config.file=${join(workDir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(workDir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-remote-write-receiver',
    ],
    { stdio: 'ignore' },
  );
  await waitForReady(30_000);
});

after(async () => {
  if (prometheus && prometheus.exitCode === null) {
    const exited = new Promise((resolve) => prometheus?.once('exit', resolve));
    prometheus.kill('SIGTERM');
    await exited;
  }
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/** The seed points moved to a minute ago: Prometheus's head takes recent samples. */
function recentPoints(nowMs: number): MetricPoint[] {
  const shiftNanos = BigInt(nowMs - 60_000) * 1_000_000n - BASE_NANOS;
  return seedMetricPoints().map((p) => ({
    ...p,
    timeUnixNano: p.timeUnixNano + shiftNanos,
    startTimeUnixNano: p.startTimeUnixNano + shiftNanos,
  }));
}

function context(nowMs: number): ComponentContext {
  return testComponentContext({
    id: 'prometheusremotewrite',
    scheduler: new ManualScheduler(nowMs),
    dataDir: workDir,
  });
}

type Table = Record<string, [number, number][]>;

function key(labels: Iterable<[string, string]>): string {
  return JSON.stringify([...labels].sort(([a], [b]) => (a < b ? -1 : 1)));
}

void test(
  'remote-written points read back from Prometheus 2.42 with equal series and values',
  { skip, timeout: 90_000 },
  async () => {
    const nowMs = Date.now();
    const points = recentPoints(nowMs);
    const settings = {
      endpoint: `${prometheusUrl}/api/v1/write`,
      external_labels: { cluster: 'eu-1' },
      send_metadata: true,
      max_batch_size_bytes: 600,
      remote_write_queue: { enabled: false },
      retry_on_failure: { enabled: false },
    };
    const exporter = prometheusRemoteWriteFactory.create('metrics', settings, context(nowMs));
    await exporter.consume(points);
    await exporter.shutdown();

    const expected: Table = {};
    const options = {
      namespace: '',
      externalLabels: new Map([['cluster', 'eu-1']]),
      resourceToTelemetry: false,
      targetInfo: true,
      exportCreatedMetric: false,
    };
    for (const s of translateForRemoteWrite(points, options).series) {
      expected[key(s.labels)] = [...s.timestampsMs].map((t, i) => [t / 1000, s.values[i] ?? NaN]);
    }
    const query = encodeURIComponent('{cluster="eu-1"}[10m]');
    const response = await fetch(`${prometheusUrl}/api/v1/query?query=${query}&time=${nowMs / 1000}`);
    const body = (await response.json()) as {
      status: string;
      data: { result: { metric: Record<string, string>; values: [number, string][] }[] };
    };
    assert.equal(body.status, 'success');
    const actual: Table = {};
    for (const s of body.data.result)
      actual[key(Object.entries(s.metric))] = s.values.map(([t, v]) => [t, Number(v)]);
    assert.ok(
      Object.keys(expected).length >= 12,
      'buckets, sums, counts, quantiles, counters, gauge, target_info',
    );
    assert.deepEqual(actual, expected);
  },
);
