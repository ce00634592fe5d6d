/**
 * Compaction into `prom_blocks` (docs/adr/0003-prometheus-series.md), as Prometheus cuts its head
 * into 2 h blocks: the head's samples of one window become one encoded block per series, committed
 * in one transaction, then trimmed from the head. Also moves the `prom_samples` rows of data dirs
 * from before the sample WAL into blocks, once at open.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { SeriesPiece } from './chunk-rows.ts';
import { appendBlocks } from './chunk-rows.ts';
import type { HeadSamples } from './head.ts';
import { msLiteral, readSampleRows } from './sample-rows.ts';

/** Window of a chunk row, aligned to the epoch like Prometheus's 2 h blocks. */
export const CHUNK_WINDOW_MS = 2 * 3_600_000;
/** A window is compacted once the newest sample is this far past its end (late samples get in first). */
export const COMPACTION_DELAY_MS = 3_600_000;

export function windowStart(timeMs: number): number {
  return Math.floor(timeMs / CHUNK_WINDOW_MS) * CHUNK_WINDOW_MS;
}

/** The rows of [fromMs, toMs) grouped per series (arrival order within a series, which is time order). */
async function rowsPerSeries(
  connection: DuckDBConnection,
  fromMs: number,
  toMs: number,
): Promise<SeriesPiece[]> {
  const sql = `SELECT ref, t, v FROM prom_samples WHERE t >= ${msLiteral(fromMs, 'ceil')} AND t < ${msLiteral(toMs, 'ceil')}`;
  const chunks = await readSampleRows(connection, sql);
  const counts = new Map<number, number>();
  for (const chunk of chunks)
    for (let i = 0; i < chunk.count; i++)
      counts.set(chunk.refs[i] ?? 0, (counts.get(chunk.refs[i] ?? 0) ?? 0) + 1);
  const refs = [...counts.keys()].sort((a, b) => a - b);
  const pieces = new Map<number, SeriesPiece & { filled: number }>();
  for (const ref of refs) {
    const count = counts.get(ref) ?? 0;
    pieces.set(ref, {
      ref,
      timestampsMs: new Float64Array(count),
      values: new Float64Array(count),
      filled: 0,
    });
  }
  for (const chunk of chunks) {
    for (let i = 0; i < chunk.count; i++) {
      const piece = pieces.get(chunk.refs[i] ?? 0);
      if (!piece) continue;
      piece.timestampsMs[piece.filled] = chunk.timestampsMs[i] ?? 0;
      piece.values[piece.filled] = chunk.values[i] ?? NaN;
      piece.filled++;
    }
  }
  return refs.map((ref) => pieces.get(ref)).filter((piece) => piece !== undefined);
}

/** Runs `statements` after appending `pieces` as blocks, in one transaction. */
async function commitBlocks(
  writer: DuckDBConnection,
  pieces: readonly SeriesPiece[],
  statements: readonly string[] = [],
): Promise<void> {
  await writer.run('BEGIN TRANSACTION');
  try {
    await appendBlocks(writer, pieces);
    for (const sql of statements) await writer.run(sql);
    await writer.run('COMMIT');
  } catch (error: unknown) {
    await writer.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * Moves the `prom_samples` rows of [fromMs, toMs) into blocks, one per series (data dirs written
 * before the sample WAL); returns the samples moved. Runs on the writer connection.
 */
export async function compactRows(writer: DuckDBConnection, fromMs: number, toMs: number): Promise<number> {
  const pieces = await rowsPerSeries(writer, fromMs, toMs);
  if (pieces.every((piece) => piece.timestampsMs.length === 0)) return 0;
  const range = `t >= ${msLiteral(fromMs, 'ceil')} AND t < ${msLiteral(toMs, 'ceil')}`;
  await commitBlocks(writer, pieces, [`DELETE FROM prom_samples WHERE ${range}`]);
  return pieces.reduce((sum, piece) => sum + piece.timestampsMs.length, 0);
}

/** The head's samples of [fromMs, toMs) per series, as views of its memory. */
function headPieces(head: HeadSamples, fromMs: number, toMs: number): SeriesPiece[] {
  const pieces: SeriesPiece[] = [];
  for (const ref of head.refs()) {
    const view = head.view(ref, fromMs, toMs - 1);
    if (!view) continue;
    const data = view.arena.data;
    pieces.push({
      ref,
      timestampsMs: data.subarray(view.timesAt, view.timesAt + view.count),
      values: data.subarray(view.valuesAt, view.valuesAt + view.count),
    });
  }
  return pieces;
}

/**
 * Moves the head's samples before `toMs` (all in [fromMs, toMs): the caller starts at the head's
 * oldest window) into blocks, then trims them from the head; returns the samples moved. Runs on
 * the writer connection between write groups, so nothing is appended meanwhile.
 */
export async function compactHead(
  writer: DuckDBConnection,
  head: HeadSamples,
  fromMs: number,
  toMs: number,
): Promise<number> {
  const pieces = headPieces(head, fromMs, toMs);
  // Trimmed even when empty: that recounts the head's oldest sample, so the window is not due again.
  if (pieces.length > 0) await commitBlocks(writer, pieces);
  return head.trim(toMs);
}

/**
 * Data dirs from before the sample WAL kept uncompacted samples as `prom_samples` rows: moves them
 * into blocks window by window and drops the table, once, at open. Returns the samples moved.
 */
export async function migrateSampleRows(writer: DuckDBConnection): Promise<number> {
  const tables = await writer.runAndReadAll(
    "SELECT count(*) FROM information_schema.tables WHERE table_name = 'prom_samples'",
  );
  if (Number(tables.getRowsJS()[0]?.[0] ?? 0) === 0) return 0;
  const bounds = (await writer.runAndReadAll('SELECT min(t), max(t) FROM prom_samples')).getRowsJS()[0];
  let moved = 0;
  if (bounds?.[0] !== null && bounds?.[0] !== undefined) {
    const newestMs = Number(bounds[1]);
    for (let fromMs = windowStart(Number(bounds[0])); fromMs <= newestMs; fromMs += CHUNK_WINDOW_MS)
      moved += await compactRows(writer, fromMs, fromMs + CHUNK_WINDOW_MS);
  }
  await writer.run('DROP TABLE prom_samples');
  return moved;
}
