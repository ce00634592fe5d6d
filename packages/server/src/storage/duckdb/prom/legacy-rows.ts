/**
 * Migration of data dirs from before the sample WAL (docs/adr/0003-prometheus-series.md), which
 * kept uncompacted samples as `prom_samples(ref, t, v)` rows: they move into `prom_blocks` window by
 * window and the table is dropped, once, at open.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { commitBlocks, type SeriesPiece } from './chunk-rows.ts';
import { CHUNK_WINDOW_MS, windowStart } from './compaction-window.ts';
import { tableExists } from './legacy-chunks.ts';
import { msLiteral, readSampleRows } from './sample-rows.ts';

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
 * Moves the `prom_samples` rows of [fromMs, toMs) into blocks, one per series (data dirs written
 * before the sample WAL); returns the samples moved. Runs on the writer connection.
 */
async function compactRows(writer: DuckDBConnection, fromMs: number, toMs: number): Promise<number> {
  const pieces = await rowsPerSeries(writer, fromMs, toMs);
  if (pieces.every((piece) => piece.timestampsMs.length === 0)) return 0;
  const range = `t >= ${msLiteral(fromMs, 'ceil')} AND t < ${msLiteral(toMs, 'ceil')}`;
  await commitBlocks(writer, [pieces], [`DELETE FROM prom_samples WHERE ${range}`]);
  return pieces.reduce((sum, piece) => sum + piece.timestampsMs.length, 0);
}

/** Moves every `prom_samples` row into blocks and drops the table; returns the samples moved. */
export async function migrateSampleRows(writer: DuckDBConnection): Promise<number> {
  if (!(await tableExists(writer, 'prom_samples'))) return 0;
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
