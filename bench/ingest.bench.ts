/**
 * Ingest benchmark: a separate load process sends realistic ML spans over OTLP/HTTP protobuf to a
 * `vigil serve` child process; every 200 answer means the spans are durable. Prints spans/s sustained to
 * durable storage and bytes per span on disk.
 *
 *   node --import tsx bench/ingest.bench.ts [seconds=30] [concurrency=8] [spansPerRequest=1000]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TraceRequestCopier } from './ml-spans.ts';

const seconds = Number(process.argv[2] ?? 30);
const concurrency = Number(process.argv[3] ?? 8);
const spansPerRequest = Number(process.argv[4] ?? 1000);

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-bench-'));
  const port = 14318 + Math.floor(Math.random() * 1000);
  const vigil = startVigil(dataDir, port);
  // Templates from the real SDK; copies get fresh trace ids so every request holds new traces.
  const requests = new TraceRequestCopier((20 * spansPerRequest) / 5, spansPerRequest);
  console.log(`${(requests.next().length / spansPerRequest).toFixed(0)} B/span protobuf`);
  await waitForPort(port);
  const result = await sendLoad(port, requests, seconds * 1000);
  console.log(
    `acked ${result.spans} spans in ${(result.elapsedMillis / 1000).toFixed(1)} s: ` +
      `${Math.round(result.spans / (result.elapsedMillis / 1000))} spans/s durable; ` +
      `${result.refused} requests refused (429/503), ${result.failed} failed`,
  );
  await stop(vigil);
  const bytes = dirBytes(dataDir);
  console.log(
    `store on disk after shutdown: ${(bytes / 1e6).toFixed(1)} MB, ${(bytes / result.spans).toFixed(1)} bytes/span`,
  );
  rmSync(dataDir, { recursive: true, force: true });
}

function startVigil(dataDir: string, port: number): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'packages/server/src/cli/main.ts',
      'serve',
      '--data',
      dataDir,
      '--otlp-http',
      `127.0.0.1:${port}`,
      '--otlp-grpc',
      'off',
      '--api',
      `127.0.0.1:${port + 1}`,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return child;
}

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/', method: 'GET' }, (res) => {
        res.resume();
        resolve(true);
      });
      req.on('error', () => resolve(false));
      req.end();
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('vigil did not start');
}

interface LoadResult {
  spans: number;
  refused: number;
  failed: number;
  elapsedMillis: number;
}

async function sendLoad(
  port: number,
  requests: TraceRequestCopier,
  durationMillis: number,
): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const result: LoadResult = { spans: 0, refused: 0, failed: 0, elapsedMillis: 0 };
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (performance.now() - started < durationMillis) {
      const body = requests.next();
      const status = await post(agent, port, body);
      if (status === 200) result.spans += spansPerRequest;
      else if (status === 429 || status === 503) {
        result.refused++;
        await new Promise((r) => setTimeout(r, 50));
      } else result.failed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  result.elapsedMillis = performance.now() - started;
  agent.destroy();
  return result;
}

function post(agent: http.Agent, port: number, body: Uint8Array): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/v1/traces',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.on('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function dirBytes(dir: string): number {
  return readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}

await main();
