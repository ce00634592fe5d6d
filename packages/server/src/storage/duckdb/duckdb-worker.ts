/**
 * The thread that owns the DuckDB file. Appender and DataChunk calls are synchronous and a 20k-row
 * flush blocks for ~0.3 s, so they run here, never on the receivers' event loop. Reads share the
 * instance through a second connection (DuckDB MVCC lets them run beside a write transaction).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { DuckDBConnection } from '@duckdb/node-api';
import { DuckDBInstance } from '@duckdb/node-api';
import { CheckpointPolicy, parseByteSize } from './checkpoint-policy.ts';
import { allRows, appendRows } from './chunk-builder.ts';
import type { TableBatch } from './columnar.ts';
import type { PreparedSamples } from './prom/ingest.ts';
import { migrateListChunks } from './prom/legacy-chunks.ts';
import { migrateSampleRows } from './prom/legacy-rows.ts';
import { sampleWalDir } from './prom/sample-wal.ts';
import { PromSeriesStore } from './prom/series-store.ts';
import { DIMENSION_TABLES, SCHEMA_DDL } from './schema.ts';
import type { DimensionTable } from './schema.ts';
import type { OpenFailure, SqlParam, WorkerOptions, WorkerReply, WorkerRequest } from './worker-protocol.ts';

type Write = Extract<WorkerRequest, { type: 'write' }>;
type Exclusive = Extract<WorkerRequest, { type: 'exec' | 'close' | 'prom-delete-before' | 'prom-compact' }>;

const port = parentPort;
if (!port) throw new Error('duckdb-worker must run as a worker thread');
const options = workerData as WorkerOptions;

function reply(message: WorkerReply): void {
  port?.postMessage(message);
}

/** Which dimension ids are already stored, so each resource/scope is written once. */
const knownIds: Record<DimensionTable, Set<bigint>> = { resources: new Set(), scopes: new Set() };

async function readRows(connection: DuckDBConnection, sql: string, params: SqlParam[]): Promise<unknown[][]> {
  const reader = await connection.runAndReadAll(sql, params);
  return reader.getRowsJS();
}

interface Opened {
  instance: DuckDBInstance;
  writer: DuckDBConnection;
  reader: DuckDBConnection;
  checkpoints: CheckpointPolicy | null;
  prom: PromSeriesStore;
}

async function countRows(writer: DuckDBConnection, checkpoints: CheckpointPolicy | null): Promise<void> {
  if (!checkpoints) return;
  for (const { table, sql } of CheckpointPolicy.rowCountQueries()) {
    const [[rows] = []] = await readRows(writer, sql, []);
    checkpoints.setRows(table, Number(rows ?? 0));
  }
}

async function open(): Promise<Opened> {
  const thresholdBytes = parseByteSize(options.checkpointThreshold);
  // A threshold DuckDB understands but this parser does not is left to DuckDB's own trigger.
  const checkpoints =
    thresholdBytes === null ? null : new CheckpointPolicy(`${options.path}.wal`, thresholdBytes);
  const config: Record<string, string> = {
    checkpoint_threshold:
      thresholdBytes === null
        ? options.checkpointThreshold
        : CheckpointPolicy.duckdbThreshold(thresholdBytes),
  };
  if (options.threads > 0) config['threads'] = String(options.threads);
  const instance = await DuckDBInstance.create(options.path, config);
  const writer = await instance.connect();
  for (const ddl of SCHEMA_DDL) await writer.run(ddl);
  for (const [table, column] of Object.entries(DIMENSION_TABLES) as [DimensionTable, string][]) {
    for (const [id] of await readRows(writer, `SELECT ${column} FROM ${table}`, []))
      knownIds[table].add(id as bigint);
  }
  await countRows(writer, checkpoints);
  // Data dirs from before encoded blocks and the sample WAL (docs/adr/0003) move to blocks once,
  // before the index loads.
  await migrateListChunks(writer);
  await migrateSampleRows(writer);
  const prom = await PromSeriesStore.load(writer, sampleWalDir(options.path), options.seriesLimits);
  return { instance, writer, reader: await instance.connect(), checkpoints, prom };
}

function classifyOpenError(error: unknown): OpenFailure {
  const message = error instanceof Error ? error.message : String(error);
  if (/lock/i.test(message)) return 'locked';
  if (/permission denied|read-only|cannot open|no such file/i.test(message)) return 'not-writable';
  return 'other';
}

/** Rows of a dimension batch not yet stored (and not earlier in this group). */
function newDimensionRows(batch: TableBatch, pendingIds: Record<DimensionTable, Set<bigint>>): number[] {
  const table = batch.table as DimensionTable;
  const idColumn = batch.columns[0];
  if (idColumn?.kind !== 'int64') throw new Error('dimension batch without an id column');
  return allRows(batch.rowCount).filter((row) => {
    const id = BigInt(idColumn.values[row] ?? 0n);
    if (knownIds[table].has(id) || pendingIds[table].has(id)) return false;
    pendingIds[table].add(id);
    return true;
  });
}

/**
 * A sample WAL append that failed after the group's rows were committed: retrying the writes one
 * by one would store those rows twice, so the whole group fails.
 */
class SampleLogError extends Error {}

/** Appends and commits the rows of `byTable` in one transaction (none: nothing to commit). */
async function commitRows(
  writer: DuckDBConnection,
  byTable: Map<string, { batch: TableBatch; rows: number[] }[]>,
): Promise<void> {
  if (byTable.size === 0) return;
  await writer.run('BEGIN TRANSACTION');
  try {
    for (const [table, parts] of byTable) {
      const appender = await writer.createAppender(table);
      for (const { batch, rows } of parts) appendRows(appender, batch, rows);
      appender.closeSync();
    }
    // DuckDB writes and fsyncs the WAL on COMMIT: once this resolves the rows survive SIGKILL.
    await writer.run('COMMIT');
  } catch (error: unknown) {
    await writer.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * One group commit: every write waiting when the previous commit finished, in one transaction;
 * then the group's accepted Prometheus samples (prom/ingest.ts) in one fsynced record of the
 * sample WAL, after the transaction so every sample's series is on disk before it. Returns the
 * rows appended per table and each write's sample result.
 */
async function commitGroup(
  writer: DuckDBConnection,
  group: readonly Write[],
  prom: PromSeriesStore,
): Promise<{ appended: Map<string, number>; samples: PreparedSamples }> {
  const pendingIds: Record<DimensionTable, Set<bigint>> = { resources: new Set(), scopes: new Set() };
  const byTable = new Map<string, { batch: TableBatch; rows: number[] }[]>();
  const samples = prom.prepare(group.map((write) => write.series));
  for (const batches of [...group.map((write) => write.batches), samples.batches]) {
    for (const batch of batches) {
      const rows =
        batch.table in DIMENSION_TABLES ? newDimensionRows(batch, pendingIds) : allRows(batch.rowCount);
      if (rows.length === 0) continue;
      const list = byTable.get(batch.table) ?? [];
      list.push({ batch, rows });
      byTable.set(batch.table, list);
    }
  }
  await commitRows(writer, byTable);
  for (const table of Object.keys(pendingIds) as DimensionTable[]) {
    for (const id of pendingIds[table]) knownIds[table].add(id);
  }
  samples.applySeries();
  try {
    await prom.log(samples.samples);
  } catch {
    throw new SampleLogError('sample WAL append failed');
  }
  samples.applySamples();
  const appended = new Map<string, number>();
  for (const [table, parts] of byTable)
    appended.set(
      table,
      parts.reduce((sum, part) => sum + part.rows.length, 0),
    );
  return { appended, samples };
}

/**
 * Only DuckDB's error class ("Invalid Input Error", "Constraint Error") crosses back: the full text
 * can quote a bound value (a regex, a service name), and query values never go into error messages.
 */
function failureMessage(error: unknown): string {
  if (error instanceof SampleLogError) return 'Sample WAL error';
  const message = error instanceof Error ? error.message : '';
  return /^([A-Za-z ]{1,40}Error)\b/.exec(message)?.[1] ?? 'DuckDB error';
}

async function runExclusive(
  writer: DuckDBConnection,
  task: Exclusive,
  prom: PromSeriesStore,
): Promise<WorkerReply> {
  if (task.type === 'close') return { type: 'done', id: task.id, rows: [] };
  if (task.type === 'prom-delete-before') {
    return { type: 'value', id: task.id, value: await prom.deleteBefore(writer, task.cutoffMs) };
  }
  if (task.type === 'prom-compact') {
    return { type: 'value', id: task.id, value: await prom.compactBefore(writer, task.beforeMs) };
  }
  let rows: unknown[][] = [];
  for (const statement of task.statements) rows = await readRows(writer, statement.sql, statement.params);
  return { type: 'done', id: task.id, rows };
}

async function main(): Promise<void> {
  let opened: Opened;
  try {
    opened = await open();
  } catch (error: unknown) {
    reply({ type: 'open-failed', reason: classifyOpenError(error) });
    return;
  }
  const { instance, writer, reader, checkpoints, prom } = opened;
  const writes: Write[] = [];
  const exclusives: Exclusive[] = [];
  let running = false;

  const drain = async (): Promise<void> => {
    if (running) return;
    running = true;
    while (writes.length > 0 || exclusives.length > 0) {
      if (writes.length > 0) await flushWrites(writes.splice(0));
      // Between write groups, like a checkpoint: a due window of Prometheus samples becomes chunk rows.
      if (prom.compactionDue()) {
        await prom.compactDue(writer).catch(() => undefined);
        await countRows(writer, checkpoints).catch(() => undefined);
      }
      const task = exclusives.shift();
      if (!task) continue;
      try {
        reply(await runExclusive(writer, task, prom));
      } catch (error: unknown) {
        reply({ type: 'failed', id: task.id, message: failureMessage(error) });
      }
      // Retention deletes and rewrites tables: re-read where their last row groups end.
      if (task.type !== 'close') await countRows(writer, checkpoints).catch(() => undefined);
      if (task.type === 'close') {
        await prom.close().catch(() => undefined);
        reader.closeSync();
        writer.closeSync();
        instance.closeSync();
        port?.close();
        return;
      }
    }
    running = false;
  };

  const flushWrites = async (group: Write[]): Promise<void> => {
    try {
      const { appended, samples } = await commitGroup(writer, group, prom);
      group.forEach((write, i) => reply({ type: 'value', id: write.id, value: samples.results[i] }));
      // After the replies: the rows are durable at COMMIT, the checkpoint only moves them out of the WAL.
      if (checkpoints?.afterCommit(appended)) await writer.run('CHECKPOINT').catch(() => undefined);
    } catch (error: unknown) {
      if (group.length === 1 || error instanceof SampleLogError) {
        for (const write of group) reply({ type: 'failed', id: write.id, message: failureMessage(error) });
        return;
      }
      // One bad batch must not fail its neighbours: retry each on its own.
      for (const write of group) await flushWrites([write]);
    }
  };

  port?.on('message', (request: WorkerRequest) => {
    if (request.type === 'write') writes.push(request);
    else if (request.type === 'query') {
      readRows(reader, request.sql, request.params).then(
        (rows) => reply({ type: 'done', id: request.id, rows }),
        (error: unknown) => reply({ type: 'failed', id: request.id, message: failureMessage(error) }),
      );
      return;
    } else if (request.type === 'prom-read') {
      prom.read(reader, request.read).then(
        ({ value, transfer }) =>
          port?.postMessage({ type: 'value', id: request.id, value } satisfies WorkerReply, transfer),
        (error: unknown) => reply({ type: 'failed', id: request.id, message: failureMessage(error) }),
      );
      return;
    } else exclusives.push(request);
    void drain();
  });
  reply({ type: 'ready' });
}

void main();
