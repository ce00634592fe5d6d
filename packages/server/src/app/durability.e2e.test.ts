/**
 * "Acknowledged means durable": spans acknowledged by `vigil serve` survive SIGKILL right after the acks.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeTraceRequests, SPANS_PER_TRACE } from '../../../../bench/ml-spans.ts';
import { openDuckDbStore } from '../storage/duckdb/duckdb-store.ts';

const MAIN = new URL('../cli/main.ts', import.meta.url).pathname;

interface Child {
  process: ChildProcess;
  otlpHttpPort: number;
  apiPort: number;
}

function freePortPair(): number {
  return 20_000 + Math.floor(Math.random() * 20_000);
}

async function startServe(dataDir: string): Promise<Child> {
  const base = freePortPair();
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      MAIN,
      'serve',
      '--data',
      dataDir,
      '--otlp-grpc',
      'off',
      '--otlp-http',
      `127.0.0.1:${base}`,
      '--api',
      `127.0.0.1:${base + 1}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Vigil is running')) resolve();
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`vigil serve exited with ${code}: ${output}`)));
  });
  return { process: child, otlpHttpPort: base, apiPort: base + 1 };
}

async function postSpans(port: number, body: Uint8Array): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf' },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}

test('every span acknowledged before SIGKILL is there after restart', { timeout: 120_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-durability-'));
  const requests = makeTraceRequests(2_000, 500);
  const first = await startServe(dataDir);
  // Many concurrent requests; SIGKILL lands once 10 are acknowledged, with the rest still in flight
  // (some inside the store's group commit). Only acknowledged ones are promised.
  let acked = 0;
  const killed = new Promise<void>((resolve) => first.process.on('exit', () => resolve()));
  const sends = requests.map(async (body) => {
    const status = await postSpans(first.otlpHttpPort, body).catch(() => 0);
    if (status === 200 && first.process.exitCode === null && first.process.signalCode === null) {
      acked++;
      if (acked === 10) first.process.kill('SIGKILL');
    }
  });
  await Promise.all(sends);
  await killed;
  const ackedSpans = acked * 500;
  assert.ok(acked >= 10, `acked ${acked} requests before the kill`);

  // Restart on the same data directory, then read what survived straight from the store file.
  const second = await startServe(dataDir);
  second.process.kill('SIGTERM');
  await new Promise((resolve) => second.process.on('exit', resolve));
  const store = await openDuckDbStore({ path: join(dataDir, 'vigil.duckdb') });
  try {
    const stats = await store.stats();
    assert.ok(
      stats.rows.traces >= ackedSpans,
      `stored ${stats.rows.traces} spans, acknowledged ${ackedSpans}`,
    );
    assert.ok(stats.rows.traces <= 2_000 * SPANS_PER_TRACE);
    const sample = await store.searchTraces({ service: 'fraud-model', limit: 50 });
    for (const summary of sample)
      assert.equal((await store.getTrace(summary.traceId)).length, SPANS_PER_TRACE);
  } finally {
    await store.close();
  }
});
