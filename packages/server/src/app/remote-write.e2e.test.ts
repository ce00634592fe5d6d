/**
 * Debian's Prometheus 2.42 scrapes a small exposition served by the test and remote-writes it to
 * Vigil's POST /api/v1/write (remote-write 1.0, snappy, metadata requests included); then the same
 * /api/v1/query_range asked of both must give the same series and samples over the range Vigil has.
 * Skipped with a message when `prometheus` is not installed (scripts/ensure-test-packages.sh).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { skipUnless } from '../test-support/test-requirements.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestVigil } from './e2e-support.ts';
import type { RunningVigil } from './start-vigil.ts';

const skip = skipUnless('prometheus');
const SELECTOR = '{job="demo"}';

interface MatrixSeries {
  metric: Record<string, string>;
  values: [number, string][];
}

let vigil: RunningVigil | undefined;
let target: Server | undefined;
let prometheus: ChildProcess | undefined;
let prometheusUrl = '';
let workDir = '';

/** A text exposition whose counter and gauge change on every scrape, with a stale-able series. */
function startTarget(): Promise<Server> {
  let scrapes = 0;
  const server = createServer((_request, response) => {
    scrapes++;
    const lines = [
      '# HELP demo_requests_total Requests served.',
      '# TYPE demo_requests_total counter',
      `demo_requests_total{path="/a"} ${scrapes * 3}`,
      `demo_requests_total{path="/b"} ${scrapes * 0.5}`,
      '# TYPE demo_temperature gauge',
      `demo_temperature ${Math.sin(scrapes) * 20}`,
      // Present on odd scrapes only: Prometheus writes stale markers when it disappears.
      ...(scrapes % 2 === 1 ? [`demo_flapping ${scrapes}`] : []),
    ];
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(`${lines.join('\n')}\n`);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function getData(baseUrl: string, path: string): Promise<MatrixSeries[]> {
  const response = await fetch(`${baseUrl}${path}`);
  const body = (await response.json()) as { status: string; data: { result: MatrixSeries[] } };
  assert.equal(body.status, 'success', `${baseUrl}${path}`);
  return body.data.result;
}

async function waitFor<T>(what: string, timeoutMs: number, poll: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await poll().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

before(async () => {
  if (skip) return;
  vigil = await startTestVigil();
  target = await startTarget();
  workDir = mkdtempSync(join(tmpdir(), 'vigil-remote-write-'));
  const port = await freePort();
  prometheusUrl = `http://127.0.0.1:${port}`;
  const targetPort = (target.address() as AddressInfo).port;
  writeFileSync(
    join(workDir, 'prometheus.yml'),
    [
      'global: { scrape_interval: 1s, evaluation_interval: 1s }',
      'scrape_configs:',
      `  - { job_name: demo, static_configs: [{ targets: ["127.0.0.1:${targetPort}"] }] }`,
      'remote_write:',
      `  - url: http://127.0.0.1:${vigil.ports.api}/api/v1/write`,
      '    queue_config: { batch_send_deadline: 500ms, min_backoff: 100ms }',
      '    metadata_config: { send_interval: 1s }',
    ].join('\n'),
  );
  prometheus = spawn(
    'prometheus',
    [
      `--config.file=${join(workDir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(workDir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: 'ignore' },
  );
});

after(async () => {
  if (prometheus && prometheus.exitCode === null) {
    const exited = new Promise((resolve) => prometheus?.once('exit', resolve));
    prometheus.kill('SIGTERM');
    await exited;
  }
  await new Promise((resolve) => (target ? target.close(resolve) : resolve(undefined)));
  await vigil?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

void test(
  'Prometheus 2.42 remote-writes to Vigil: query_range answers match',
  { skip, timeout: 120_000 },
  async () => {
    const vigilUrl = `http://127.0.0.1:${vigil!.ports.api}`;
    // Enough scrapes that the flapping series has gone stale and come back a few times.
    const matrixQuery = (timeS: number) =>
      `/api/v1/query?query=${encodeURIComponent(`${SELECTOR}[10m]`)}&time=${timeS}`;
    const raw = await waitFor('8 samples of every series in Vigil', 60_000, async () => {
      const result = await getData(vigilUrl, matrixQuery(Date.now() / 1000));
      const counters = result.filter((s) => s.metric.__name__ === 'demo_requests_total');
      return counters.length === 2 && result.every((s) => s.values.length >= 8) && result.length >= 5
        ? result
        : undefined;
    });
    // The range both have: from Vigil's first sample to the newest sample of Vigil's most lagging series.
    const startS = Math.max(...raw.map((s) => s.values[0]![0]));
    const endS = Math.min(...raw.map((s) => s.values.at(-1)![0]));
    assert.ok(endS - startS >= 3, `range ${startS}..${endS}`);
    const rangePath = `/api/v1/query_range?query=${encodeURIComponent(SELECTOR)}&start=${startS}&end=${endS}&step=0.5`;
    const [fromVigil, fromPrometheus] = await Promise.all([
      getData(vigilUrl, rangePath),
      getData(prometheusUrl, rangePath),
    ]);
    assert.deepEqual(byLabels(fromVigil), byLabels(fromPrometheus));
    // Raw samples too, stale markers included (they end a series in both the same way).
    const [rawVigil, rawPrometheus] = await Promise.all([
      getData(vigilUrl, matrixQuery(endS)),
      getData(prometheusUrl, matrixQuery(endS)),
    ]);
    const sinceStart = (series: MatrixSeries[]) =>
      byLabels(series.map((s) => ({ ...s, values: s.values.filter(([t]) => t >= startS) })));
    assert.deepEqual(sinceStart(rawVigil), sinceStart(rawPrometheus));
    assert.ok(Object.keys(byLabels(fromVigil)).length >= 5);
  },
);

function byLabels(series: MatrixSeries[]): Record<string, [number, string][]> {
  const entries = series.map((s) => [JSON.stringify(Object.entries(s.metric).sort()), s.values] as const);
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : 1)));
}
