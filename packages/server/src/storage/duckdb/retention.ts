import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Signal } from '../../model/signal.ts';
import { SIGNALS } from '../../model/signal.ts';
import { NANOS_PER_MILLI, nowUnixNano } from '../../model/units.ts';
import type { RetentionPolicy, RetentionResult, StoreStats } from '../store.ts';
import { uintLiteral } from './dimension-decoder.ts';
import { SIGNAL_TABLES } from './schema.ts';
import { sampleWalDir } from './prom/sample-wal.ts';
import { readHeadStatus } from './prom/queries.ts';
import type { WorkerClient } from './worker-client.ts';

/** Slices of the stored time span deleted per step while over the size cap (10% each). */
const SIZE_SLICES = 10n;
const MAX_SIZE_STEPS = 30;

async function fileBytes(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/** Bytes of the files in `dir` (0 when it is missing). */
async function directoryBytes(dir: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  let bytes = 0;
  for (const name of names) bytes += await fileBytes(join(dir, name));
  return bytes;
}

/** Bytes on disk: the database file, its write-ahead log and the sample WAL. */
export async function storeFileBytes(path: string): Promise<number> {
  return (
    (await fileBytes(path)) + (await fileBytes(`${path}.wal`)) + (await directoryBytes(sampleWalDir(path)))
  );
}

/**
 * Bytes the data occupies: used blocks plus the WAL. DuckDB reuses freed blocks but only truncates
 * the file when they sit at its end, so the cap is measured on used blocks or it might never be met.
 */
export async function usedBytes(client: WorkerClient, path: string): Promise<number> {
  const [row] = await client.query('SELECT block_size, used_blocks FROM pragma_database_size()');
  const [blockSize, usedBlocks] = (row ?? [0n, 0n]) as bigint[];
  const walBytes = (await fileBytes(`${path}.wal`)) + (await directoryBytes(sampleWalDir(path)));
  return Number(blockSize ?? 0n) * Number(usedBlocks ?? 0n) + walBytes;
}

/** Prometheus samples go with the metrics, by the same cutoff (their times are milliseconds). */
function deletePromSamplesBefore(client: WorkerClient, cutoff: bigint): Promise<number> {
  return client.promDeleteBefore(Number(cutoff / NANOS_PER_MILLI));
}

async function deleteBefore(client: WorkerClient, signal: Signal, cutoff: bigint): Promise<number> {
  const { table, time } = SIGNAL_TABLES[signal];
  const statements = [{ sql: `DELETE FROM ${table} WHERE ${time} < ${uintLiteral(cutoff, 'UBIGINT')}` }];
  if (signal === 'traces') {
    statements.unshift({
      sql: `DELETE FROM trace_index WHERE max_start < ${uintLiteral(cutoff, 'UBIGINT')}`,
    });
  }
  const [row] = await client.exec(statements);
  return Number(row?.[0] ?? 0);
}

async function timeSpan(client: WorkerClient): Promise<[bigint, bigint] | null> {
  const parts = SIGNALS.map(
    (s) =>
      `SELECT min(${SIGNAL_TABLES[s].time}) AS lo, max(${SIGNAL_TABLES[s].time}) AS hi FROM ${SIGNAL_TABLES[s].table}`,
  );
  // Prometheus samples in nanoseconds like the rest (times before 1970 count as 0).
  parts.push(
    'SELECT (greatest(min(min_t), 0) * 1000000)::UBIGINT, (greatest(max(max_t), 0) * 1000000)::UBIGINT FROM prom_blocks HAVING count(*) > 0',
  );
  const [row] = await client.query(`SELECT min(lo), max(hi) FROM (${parts.join(' UNION ALL ')})`);
  const [lo, hi] = (row ?? []) as (bigint | null)[];
  let low = typeof lo === 'bigint' ? lo : null;
  let high = typeof hi === 'bigint' ? hi : null;
  // Samples not yet compacted are in the worker's head, not in any table.
  const head = await readHeadStatus(client);
  if (head.samples > 0) {
    const nanos = (ms: number): bigint => BigInt(Math.max(0, Math.floor(ms))) * NANOS_PER_MILLI;
    const [headLow, headHigh] = [nanos(head.oldestMs), nanos(head.newestMs)];
    low = low === null || headLow < low ? headLow : low;
    high = high === null || headHigh > high ? headHigh : high;
  }
  return low !== null && high !== null ? [low, high] : null;
}

/**
 * Deleting rows frees a block only when a whole row group (~122k rows) is gone; a partly deleted
 * one keeps its blocks. When a delete step freed nothing, rewrite the tables so the space is
 * actually released (DuckDB's documented way to reclaim space).
 */
async function compact(client: WorkerClient, path: string): Promise<number> {
  const tables = [
    ...Object.values(SIGNAL_TABLES).map((t) => t.table),
    'trace_index',
    'prom_blocks',
    'prom_series',
  ];
  await client.exec([
    ...tables.map((table) => ({ sql: `CREATE OR REPLACE TABLE ${table} AS SELECT * FROM ${table}` })),
    { sql: 'CHECKPOINT' },
  ]);
  return usedBytes(client, path);
}

export async function applyRetention(
  client: WorkerClient,
  path: string,
  policy: RetentionPolicy,
): Promise<RetentionResult> {
  const deletedRows: Record<Signal, number> = { traces: 0, metrics: 0, logs: 0 };
  let deletedPromSamples = 0;
  const now = nowUnixNano();
  for (const signal of SIGNALS) {
    const maxAgeMillis = policy.maxAgeMillis[signal];
    if (maxAgeMillis > 0) {
      const cutoff = now - BigInt(Math.floor(maxAgeMillis)) * NANOS_PER_MILLI;
      if (cutoff > 0n) deletedRows[signal] += await deleteBefore(client, signal, cutoff);
      if (cutoff > 0n && signal === 'metrics')
        deletedPromSamples += await deletePromSamplesBefore(client, cutoff);
    }
  }
  await client.exec([{ sql: 'CHECKPOINT' }]);
  if (policy.maxSizeBytes <= 0) return { deletedRows, deletedPromSamples };
  // Oldest data first, a time slice at a time, across all signals, checkpointing so freed blocks count.
  let used = await usedBytes(client, path);
  for (let step = 0; step < MAX_SIZE_STEPS && used > policy.maxSizeBytes; step++) {
    const span = await timeSpan(client);
    if (!span) break;
    const [oldest, newest] = span;
    const cutoff = oldest + ((newest - oldest) / SIZE_SLICES > 0n ? (newest - oldest) / SIZE_SLICES : 1n);
    for (const signal of SIGNALS) deletedRows[signal] += await deleteBefore(client, signal, cutoff);
    deletedPromSamples += await deletePromSamplesBefore(client, cutoff);
    await client.exec([{ sql: 'CHECKPOINT' }]);
    const before = used;
    used = await usedBytes(client, path);
    if (used >= before) used = await compact(client, path);
  }
  return { deletedRows, deletedPromSamples };
}

export async function storeStats(client: WorkerClient, path: string): Promise<StoreStats> {
  const counts = SIGNALS.map((s) => `(SELECT count(*) FROM ${SIGNAL_TABLES[s].table})`).join(', ');
  const [row] = await client.query(
    `SELECT ${counts}, (SELECT count(*) FROM prom_series),
      (SELECT coalesce(sum(n), 0) FROM prom_blocks)`,
  );
  const rows = Object.fromEntries(SIGNALS.map((s, i) => [s, Number(row?.[i] ?? 0)])) as Record<
    Signal,
    number
  >;
  return {
    sizeBytes: await storeFileBytes(path),
    rows,
    promSeries: Number(row?.[SIGNALS.length] ?? 0),
    promSamples: Number(row?.[SIGNALS.length + 1] ?? 0) + (await readHeadStatus(client)).samples,
  };
}
