/**
 * Ingest benchmark: a separate load process sends realistic ML spans over OTLP/HTTP protobuf to a
 * `vigil serve` child process; every 200 answer means the spans are durable. Prints spans/s sustained to
 * durable storage and bytes per span on disk.
 *
 *   node --import tsx bench/ingest.bench.ts [seconds=30] [concurrency=8] [spansPerRequest=1000] [config.yaml]
 *
 * With a config (e.g. bench/configs/seed-tail-sampling.yaml: the seed's tail_sampling policies), 1% of
 * traces fail and 1% are slow, and the run also prints what the tail sampler kept and Vigil's peak RSS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TraceRequestCopier } from './ml-spans.ts';

const seconds = Number(process.argv[2] ?? 30);
const concurrency = Number(process.argv[3] ?? 8);
const spansPerRequest = Number(process.argv[4] ?? 1000);
const configPath = process.argv[5];

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-bench-'));
  const port = 14318 + Math.floor(Math.random() * 1000);
  const vigil = startVigil(dataDir, port);
  // Templates from the real SDK; copies get fresh trace ids so every request holds new traces.
  const mix = configPath ? { errorEvery: 100, slowEvery: 100 } : { errorEvery: 0, slowEvery: 0 };
  const requests = new TraceRequestCopier((20 * spansPerRequest) / 5, spansPerRequest, mix);
  console.log(`${(requests.next().length / spansPerRequest).toFixed(0)} B/span protobuf`);
  await waitForPort(port);
  const cpuBeforeS = cpuSeconds(vigil.pid);
  const senderCpuBefore = process.cpuUsage();
  const result = await sendLoad(port, requests, seconds * 1000);
  const vigilCpuS = cpuSeconds(vigil.pid) - cpuBeforeS;
  const senderCpu = process.cpuUsage(senderCpuBefore);
  // The sender shares the 2 cores: what it takes, Vigil cannot have.
  const senderCpuS = (senderCpu.user + senderCpu.system) / 1e6;
  console.log(
    `acked ${result.spans} spans in ${(result.elapsedMillis / 1000).toFixed(1)} s: ` +
      `${Math.round(result.spans / (result.elapsedMillis / 1000))} spans/s durable; ` +
      `${result.refused} requests refused (429/503), ${result.failed} failed`,
  );
  console.log(
    `vigil CPU during the load: ${vigilCpuS.toFixed(1)} s (${(vigilCpuS / (result.elapsedMillis / 1000)).toFixed(2)} cores), ` +
      `${Math.round(result.spans / vigilCpuS)} spans per CPU-second; ` +
      `the load sender used ${(senderCpuS / (result.elapsedMillis / 1000)).toFixed(2)} cores`,
  );
  if (configPath) await printSampling(port + 1);
  console.log(`vigil peak RSS: ${peakRssMiB(vigil.pid)} MiB`);
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
      // VIGIL_BENCH_CPU_PROF=dir writes a V8 CPU profile of the Vigil process there.
      ...(process.env['VIGIL_BENCH_CPU_PROF']
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env['VIGIL_BENCH_CPU_PROF']}`]
        : []),
      // The young-generation size packages/server/bin/vigil.mjs and `npm start` give Vigil, unless
      // VIGIL_BENCH_NODE_FLAGS="--a --b" says otherwise (GC tuning runs; "" for V8's defaults).
      ...(process.env['VIGIL_BENCH_NODE_FLAGS'] ?? '--max-semi-space-size=64').split(' ').filter(Boolean),
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
      ...(configPath ? ['--config', configPath] : []),
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
  const latencyMillis: number[] = [];
  const result: LoadResult = { spans: 0, refused: 0, failed: 0, elapsedMillis: 0 };
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (performance.now() - started < durationMillis) {
      const body = requests.next();
      const sentMillis = performance.now();
      const status = await post(agent, port, body);
      latencyMillis.push(performance.now() - sentMillis);
      if (status === 200) result.spans += spansPerRequest;
      else if (status === 429 || status === 503) {
        result.refused++;
        await new Promise((r) => setTimeout(r, 50));
      } else result.failed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  latencyMillis.sort((a, b) => a - b);
  const quantile = (q: number): string =>
    (latencyMillis[Math.floor(q * latencyMillis.length)] ?? NaN).toFixed(1);
  console.log(`request latency p50 ${quantile(0.5)} ms, p90 ${quantile(0.9)} ms, p99 ${quantile(0.99)} ms`);
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

/** User + system CPU seconds of a process, all threads, from /proc (clock ticks of 10 ms). */
function cpuSeconds(pid: number | undefined): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Peak resident set size of the Vigil process (VmHWM), from /proc. */
function peakRssMiB(pid: number | undefined): string {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return (kib / 1024).toFixed(0);
}

/** What the tail sampler kept, per service, after its decision_wait has passed for the last traces. */
async function printSampling(apiPort: number): Promise<void> {
  await new Promise((r) => setTimeout(r, 3000));
  const response = await fetch(`http://127.0.0.1:${apiPort}/api/vigil/v1/sampling`);
  console.log(`sampling: ${JSON.stringify(await response.json())}`);
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
