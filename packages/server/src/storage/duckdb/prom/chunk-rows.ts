/**
 * `prom_blocks` rows: one series' samples of one 2 h window, encoded by sample-codec.ts
 * (docs/adr/0003-prometheus-series.md). A select decodes a result chunk's blocks into one packed
 * pair of arrays, so each series' run is a view of them.
 */
import type { DuckDBBlobVector, DuckDBConnection } from '@duckdb/node-api';
import { decodeSamplesInto, encodeSamples } from './sample-codec.ts';
import { vectorBytes } from './sample-rows.ts';

/** One series' samples of a window, ascending. */
export interface SeriesPiece {
  ref: number;
  timestampsMs: Float64Array;
  values: Float64Array;
}

/** Appends one `prom_blocks` row per non-empty piece (the caller holds the transaction). */
export async function appendBlocks(
  writer: DuckDBConnection,
  pieces: readonly SeriesPiece[],
): Promise<number> {
  const appender = await writer.createAppender('prom_blocks');
  let rows = 0;
  for (const piece of pieces) {
    const count = piece.timestampsMs.length;
    if (count === 0) continue;
    appender.appendUInteger(piece.ref);
    appender.appendBigInt(BigInt(piece.timestampsMs[0] ?? 0));
    appender.appendBigInt(BigInt(piece.timestampsMs[count - 1] ?? 0));
    appender.appendUInteger(count);
    appender.appendDouble(piece.values[count - 1] ?? NaN);
    appender.appendBlob(encodeSamples(piece.timestampsMs, piece.values));
    appender.endRow();
    rows++;
  }
  appender.closeSync();
  return rows;
}

/**
 * Runs `statements` after appending the pieces of every batch as blocks, in one transaction.
 * Batches may be made one at a time (a generator), so a caller need not hold every piece at once.
 */
export async function commitBlocks(
  writer: DuckDBConnection,
  batches: Iterable<readonly SeriesPiece[]>,
  statements: readonly string[] = [],
): Promise<void> {
  await writer.run('BEGIN TRANSACTION');
  try {
    for (const batch of batches) await appendBlocks(writer, batch);
    for (const sql of statements) await writer.run(sql);
    await writer.run('COMMIT');
  } catch (error: unknown) {
    await writer.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** A BIGINT as little-endian uint32 words at `word` (two's complement for negative times). */
export function setWords(words: Uint32Array, word: number, value: number): void {
  const high = Math.floor(value / 4294967296);
  words[word] = value - high * 4294967296;
  words[word + 1] = high >>> 0;
}

/** One result chunk of blocks, decoded: row i owns elements starts[i] .. starts[i] + lengths[i]. */
export interface ChunkRows {
  count: number;
  refs: Uint32Array;
  starts: Uint32Array;
  lengths: Uint32Array;
  timestampsMs: Float64Array;
  values: Float64Array;
}

/** Runs `sql`, which must select exactly `ref, n, data` (non-NULL), and decodes every block. */
export async function readChunkRows(connection: DuckDBConnection, sql: string): Promise<ChunkRows[]> {
  const result = await connection.run(sql);
  const out: ChunkRows[] = [];
  for (let index = 0; index < result.chunkCount; index++) {
    const chunk = result.getChunk(index);
    const count = chunk.rowCount;
    if (count === 0) continue;
    const refs = new Uint32Array(vectorBytes(chunk.chunk, 0, count * 4), 0, count);
    const sizes = new Uint32Array(vectorBytes(chunk.chunk, 1, count * 4), 0, count);
    const total = sizes.reduce((sum, n) => sum + n, 0);
    const rows: ChunkRows = {
      count,
      refs,
      starts: new Uint32Array(count),
      lengths: new Uint32Array(count),
      timestampsMs: new Float64Array(total),
      values: new Float64Array(total),
    };
    const blobs = chunk.getColumnVector(2) as DuckDBBlobVector;
    let at = 0;
    for (let row = 0; row < count; row++) {
      const block = blobs.getItemBytes(row);
      if (block === null) throw new Error('prom_blocks row without data');
      rows.starts[row] = at;
      const decoded = decodeSamplesInto(block, rows.timestampsMs, rows.values, at);
      rows.lengths[row] = decoded;
      at += decoded;
    }
    out.push(rows);
  }
  return out;
}
