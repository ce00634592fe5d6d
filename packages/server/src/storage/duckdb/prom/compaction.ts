/**
 * Compaction of `prom_samples` rows into `prom_blocks` (docs/adr/0003-prometheus-series.md), as
 * Prometheus cuts its head into 2 h blocks: the rows of one window are regrouped per series into
 * list rows and deleted, in one transaction. Rows are the source (not the head), so a chunk holds
 * exactly the rows it replaces.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { SeriesPiece } from './chunk-rows.ts';
import { appendBlocks } from './chunk-rows.ts';
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

/**
 * Moves the rows of [fromMs, toMs) into chunk rows, one per series; returns the samples moved.
 * Runs on the writer connection between write groups.
 */
export async function compactRows(writer: DuckDBConnection, fromMs: number, toMs: number): Promise<number> {
  const pieces = await rowsPerSeries(writer, fromMs, toMs);
  if (pieces.every((piece) => piece.timestampsMs.length === 0)) return 0;
  await writer.run('BEGIN TRANSACTION');
  try {
    await appendBlocks(writer, pieces);
    await writer.run(
      `DELETE FROM prom_samples WHERE t >= ${msLiteral(fromMs, 'ceil')} AND t < ${msLiteral(toMs, 'ceil')}`,
    );
    await writer.run('COMMIT');
  } catch (error: unknown) {
    await writer.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
  return pieces.reduce((sum, piece) => sum + piece.timestampsMs.length, 0);
}
