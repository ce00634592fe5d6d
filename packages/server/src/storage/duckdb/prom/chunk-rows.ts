/**
 * `prom_chunks` rows: one series' samples of one window as two lists (docs/adr/0003). Reading a
 * result chunk of 2,048 such rows moves ~1M samples in a handful of native calls, where row-per-
 * sample results need one call per 2,048 samples.
 */
import duckdb from '@duckdb/node-bindings';
import type { DataChunk, Vector } from '@duckdb/node-bindings';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Column, TableBatch } from '../columnar.ts';
import { bigintsToNumbers, vectorBuffer, vectorBytes } from './sample-rows.ts';

/** One series' samples of a window, ascending. */
export interface SeriesPiece {
  ref: number;
  timestampsMs: Float64Array;
  values: Float64Array;
}

/** The `prom_chunks` batch for pieces (non-empty ones), in the order given. */
export function chunkBatch(pieces: readonly SeriesPiece[]): TableBatch {
  const kept = pieces.filter((piece) => piece.timestampsMs.length > 0);
  const n = kept.length;
  const total = kept.reduce((sum, piece) => sum + piece.timestampsMs.length, 0);
  const offsets = new Uint32Array(n + 1);
  const deltas = new Int32Array(total);
  const values = new Float64Array(total);
  const refs = new Float64Array(n);
  const bounds = new Uint32Array(n * 4);
  let at = 0;
  kept.forEach((piece, row) => {
    const times = piece.timestampsMs;
    refs[row] = piece.ref;
    for (let i = 0; i < times.length; i++)
      deltas[at + i] = i === 0 ? 0 : (times[i] ?? 0) - (times[i - 1] ?? 0);
    values.set(piece.values, at);
    at += times.length;
    offsets[row + 1] = at;
    setWords(bounds, row * 2, times[0] ?? 0);
    setWords(bounds, n * 2 + row * 2, times[times.length - 1] ?? 0);
  });
  const columns: Column[] = [
    { kind: 'number', values: refs, nulls: null },
    { kind: 'words', width: 2, values: bounds.subarray(0, n * 2), nulls: null },
    { kind: 'words', width: 2, values: bounds.subarray(n * 2), nulls: null },
    { kind: 'list', offsets, values: deltas, nulls: new Uint8Array(n) },
    { kind: 'list', offsets, values, nulls: new Uint8Array(n) },
  ];
  return { table: 'prom_chunks', rowCount: n, columns, strings: [] };
}

/** A BIGINT as little-endian uint32 words at `word` (two's complement for negative times). */
export function setWords(words: Uint32Array, word: number, value: number): void {
  const high = Math.floor(value / 4294967296);
  words[word] = value - high * 4294967296;
  words[word + 1] = high >>> 0;
}

/** One result chunk of `SELECT ref, min_t, dts, vs`: row i owns list elements starts[i] .. starts[i] + lengths[i]. */
export interface ChunkRows {
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

function chunkRows(raw: DataChunk, count: number): ChunkRows {
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
export async function readChunkRows(connection: DuckDBConnection, sql: string): Promise<ChunkRows[]> {
  const result = await connection.run(sql);
  const out: ChunkRows[] = [];
  for (let index = 0; index < result.chunkCount; index++) {
    const chunk = result.getChunk(index);
    if (chunk.rowCount > 0) out.push(chunkRows(chunk.chunk, chunk.rowCount));
  }
  return out;
}
