import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { selfMetrics } from '../../telemetry/self-metrics.ts';
import { attrs, hexId, makeSpan } from '../contract-fixtures.ts';
import { runStoreContract } from '../store.contract.ts';
import { openDuckDbStore, StoreOpenError } from './duckdb-store.ts';
import { withTempDir } from '../../test-support/temp-dir.ts';

runStoreContract('duckdb', (dir) => openDuckDbStore({ path: join(dir, 'vigil.duckdb'), threads: 2 }));

const withDir = (body: (dir: string) => Promise<void>): Promise<void> => withTempDir('vigil-duckdb-', body);

/** Starts durability-child.ts and resolves once it printed "acked" (all its writes resolved). */
function startAckedChild(
  path: string,
  spanCount: number,
  sampleSteps: number,
): Promise<ReturnType<typeof spawn>> {
  const script = fileURLToPath(new URL('./durability-child.ts', import.meta.url));
  const args = ['--import', 'tsx', script, path, String(spanCount), String(sampleSteps)];
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (data: Buffer) => {
      output += data.toString();
      if (output.includes('acked')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before acknowledging`)));
  });
}

void test('duckdb: acknowledged spans and samples survive SIGKILL; a second process is told the directory is in use', () =>
  withDir(async (dir) => {
    const path = join(dir, 'vigil.duckdb');
    const child = await startAckedChild(path, 2_000, 200);
    await assert.rejects(openDuckDbStore({ path }), (error: unknown) => {
      assert.ok(error instanceof StoreOpenError);
      assert.match(error.message, /in use by another Vigil process/);
      return true;
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const store = await openDuckDbStore({ path });
    try {
      assert.equal((await store.stats()).rows.traces, 2_000);
      for (const trace of [1, 200, 900_000 + 200]) {
        assert.equal((await store.getTrace(hexId(trace, 32))).length, 1, `trace ${trace}`);
      }
      // The samples were never compacted: they come back from the sample WAL alone.
      const head = await store.promHeadStatus();
      assert.deepStrictEqual([head.samples, head.replay.samples], [2_000, 2_000]);
      assert.ok(head.walBytes >= 2_000 * 10, `${head.walBytes} bytes of WAL`);
      const series = await store.selectSeries(
        [{ name: '__name__', type: '=', value: 'durable' }],
        0,
        Infinity,
      );
      assert.equal(series.length, 10);
      for (const { labels, values } of series) {
        const s = Number(labels.get('s'));
        assert.deepStrictEqual(
          [...values],
          Array.from({ length: 200 }, (_, step) => step * 10 + s),
        );
      }
    } finally {
      await store.close();
    }
  }));

void test('duckdb: an unusable directory gives a clear error', () =>
  withDir(async (dir) => {
    await assert.rejects(
      openDuckDbStore({ path: join(dir, 'missing', 'vigil.duckdb') }),
      /missing or not writable/,
    );
    if (process.getuid?.() !== 0) {
      await chmod(dir, 0o500);
      await assert.rejects(openDuckDbStore({ path: join(dir, 'vigil.duckdb') }), /not writable/);
      await chmod(dir, 0o700);
    }
  }));

void test('duckdb: writes report latency, rows and size in self metrics', () =>
  withDir(async (dir) => {
    const store = await openDuckDbStore({ path: join(dir, 'vigil.duckdb') });
    try {
      const before = selfMetrics.render();
      await store.writeSpans([makeSpan({ trace: 1, span: 1 }), makeSpan({ trace: 1, span: 2 })]);
      const after = selfMetrics.render();
      const rows = (text: string): number =>
        Number(/vigil_store_rows_written_total\{signal="traces"\} (\d+)/.exec(text)?.[1] ?? 0);
      assert.equal(rows(after) - rows(before), 2);
      assert.match(after, /vigil_store_write_duration_seconds_count\{signal="traces"\} \d+/);
      assert.match(after, /vigil_store_size_bytes [1-9]\d*/);
    } finally {
      await store.close();
    }
  }));

void test('duckdb: the size cap deletes the oldest data until the store fits', () =>
  withDir(async (dir) => {
    const store = await openDuckDbStore({ path: join(dir, 'vigil.duckdb'), threads: 2 });
    try {
      // Incompressible payloads so ten one-minute batches fill ~30 blocks (DuckDB frees whole blocks).
      for (let batch = 0; batch < 10; batch++) {
        const spans = Array.from({ length: 2_000 }, (_, i) =>
          makeSpan({
            trace: batch * 10_000 + i + 1,
            span: i + 1,
            startOffsetNanos: BigInt(batch) * 60_000_000_000n,
            attributes: attrs({ payload: randomBytes(192).toString('base64') }),
          }),
        );
        await store.writeSpans(spans);
      }
      const noAge = { traces: 0, metrics: 0, logs: 0 };
      await store.applyRetention({ maxAgeMillis: noAge, maxSizeBytes: 0 });
      const fullBytes = await store.dataBytes();
      const maxSizeBytes = Math.floor(fullBytes / 2);
      const result = await store.applyRetention({ maxAgeMillis: noAge, maxSizeBytes });
      const after = await store.stats();
      assert.ok(
        result.deletedRows.traces > 0 && result.deletedRows.traces < 20_000,
        String(result.deletedRows.traces),
      );
      assert.equal(after.rows.traces, 20_000 - result.deletedRows.traces);
      const keptBytes = await store.dataBytes();
      assert.ok(keptBytes <= maxSizeBytes, `${keptBytes} > ${maxSizeBytes}`);
      // The newest batch is kept; the oldest went first.
      assert.equal((await store.getTrace(hexId(9 * 10_000 + 1, 32))).length, 1);
      assert.deepStrictEqual(await store.getTrace(hexId(1, 32)), []);
    } finally {
      await store.close();
    }
  }));
