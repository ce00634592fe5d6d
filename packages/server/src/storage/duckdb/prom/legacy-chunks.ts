/**
 * Migration of the first compacted format, `prom_chunks(ref, min_t, max_t, dts INTEGER[], vs
 * DOUBLE[])`, into `prom_blocks`. Lists are read straight from the result vectors, as they were
 * written, so values keep their exact bits (stale markers included).
 */
import duckdb from '@duckdb/node-bindings';
import type { DataChunk, Vector } from '@duckdb/node-bindings';
import type { DuckDBConnection } from '@duckdb/node-api';
import { commitBlocks, type SeriesPiece } from './chunk-rows.ts';
import { bigintsToNumbers, vectorBuffer, vectorBytes } from './sample-rows.ts';

/** One result chunk of `SELECT ref, min_t, dts, vs`: row i owns list elements starts[i] .. starts[i] + lengths[i]. */
interface ListChunkRows {
  count: number;
  refs: Uint32Array;
  minTimesMs: Float64Array;
  starts: Uint32Array;
  lengths: Uint32Array;
  deltas: Int32Array;
  values: Float64Array;
}

/** A list vector's entries (offset, length as uint64 pairs; below 2^32 here) and its child's data. */
function listData(
  vector: Vector,
  count: number,
  bytesPerElement: number,
): { entries: Uint32Array; child: ArrayBuffer } {
  const entries = new Uint32Array(vectorBuffer(vector, count * 16));
  const size = duckdb.list_vector_get_size(vector);
  return { entries, child: vectorBuffer(duckdb.list_vector_get_child(vector), size * bytesPerElement) };
}

function chunkRows(raw: DataChunk, count: number): ListChunkRows {
  const deltas = listData(duckdb.data_chunk_get_vector(raw, 2), count, 4);
  const values = listData(duckdb.data_chunk_get_vector(raw, 3), count, 8);
  const starts = new Uint32Array(count);
  const lengths = new Uint32Array(count);
  const deltaStarts = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    starts[i] = values.entries[i * 4] ?? 0;
    lengths[i] = values.entries[i * 4 + 2] ?? 0;
    deltaStarts[i] = deltas.entries[i * 4] ?? 0;
  }
  const deltaView = new Int32Array(deltas.child);
  // Both lists have the same lengths; align the deltas with the values' offsets when they differ.
  const aligned = deltaStarts.every((start, i) => start === starts[i])
    ? deltaView
    : realign(deltaView, deltaStarts, starts, lengths);
  return {
    count,
    refs: new Uint32Array(vectorBytes(raw, 0, count * 4), 0, count),
    minTimesMs: bigintsToNumbers(vectorBytes(raw, 1, count * 8), count),
    starts,
    lengths,
    deltas: aligned,
    values: new Float64Array(values.child),
  };
}

function realign(deltas: Int32Array, from: Uint32Array, to: Uint32Array, lengths: Uint32Array): Int32Array {
  const size = to.reduce((max, start, i) => Math.max(max, start + (lengths[i] ?? 0)), 0);
  const out = new Int32Array(size);
  from.forEach((start, i) => out.set(deltas.subarray(start, start + (lengths[i] ?? 0)), to[i] ?? 0));
  return out;
}

/** Runs `sql`, which must select exactly `ref, min_t, dts, vs` (non-NULL), chunk by chunk. */
async function readListChunks(connection: DuckDBConnection, sql: string): Promise<ListChunkRows[]> {
  const result = await connection.run(sql);
  const out: ListChunkRows[] = [];
  for (let index = 0; index < result.chunkCount; index++) {
    const chunk = result.getChunk(index);
    if (chunk.rowCount > 0) out.push(chunkRows(chunk.chunk, chunk.rowCount));
  }
  return out;
}

/** Whether the database has a table of that name (a migration's source). */
export async function tableExists(writer: DuckDBConnection, table: string): Promise<boolean> {
  const result = await writer.runAndReadAll(
    'SELECT count(*) FROM information_schema.tables WHERE table_name = $1',
    [table],
  );
  return Number(result.getRowsJS()[0]?.[0] ?? 0) > 0;
}

/**
 * Moves every `prom_chunks` row into `prom_blocks` and drops the old table, in one transaction.
 * Returns the samples moved (0 when there is no old table).
 */
export async function migrateListChunks(writer: DuckDBConnection): Promise<number> {
  if (!(await tableExists(writer, 'prom_chunks'))) return 0;
  const pieces: SeriesPiece[] = [];
  for (const rows of await readListChunks(writer, 'SELECT ref, min_t, dts, vs FROM prom_chunks')) {
    for (let row = 0; row < rows.count; row++) {
      const start = rows.starts[row] ?? 0;
      const length = rows.lengths[row] ?? 0;
      const timestampsMs = new Float64Array(length);
      let t = rows.minTimesMs[row] ?? 0;
      for (let i = 0; i < length; i++) timestampsMs[i] = t += rows.deltas[start + i] ?? 0;
      pieces.push({
        ref: rows.refs[row] ?? 0,
        timestampsMs,
        values: rows.values.slice(start, start + length),
      });
    }
  }
  await commitBlocks(writer, [pieces], ['DROP TABLE prom_chunks']);
  return pieces.reduce((sum, piece) => sum + piece.timestampsMs.length, 0);
}
