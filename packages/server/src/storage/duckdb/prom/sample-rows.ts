/**
 * Reads `(ref UINTEGER, t BIGINT, v DOUBLE)` result rows as typed arrays, one native copy per
 * vector. getRowsJS would build a JS array per row and a BigInt per timestamp: ~10× slower for the
 * millions of samples a range query over a few thousand series reads.
 */
import duckdb from '@duckdb/node-bindings';
import type { DataChunk, Vector } from '@duckdb/node-bindings';
import type { DuckDBConnection } from '@duckdb/node-api';

/** One result chunk's samples; `count` rows. */
export interface SampleRows {
  count: number;
  refs: Uint32Array;
  timestampsMs: Float64Array;
  values: Float64Array;
}

/**
 * A vector's first `bytes` bytes as an ArrayBuffer of its own, aligned: vector_get_data already
 * returns a copy, so it is used as it is unless it is a view into a larger buffer.
 */
export function vectorBuffer(vector: Vector, bytes: number): ArrayBuffer {
  const data = duckdb.vector_get_data(vector, bytes);
  const buffer = data.buffer;
  if (data.byteOffset === 0 && data.byteLength === buffer.byteLength && buffer instanceof ArrayBuffer)
    return buffer;
  return data.slice().buffer;
}

/** Column `column` of a result chunk (see vectorBuffer). */
export function vectorBytes(chunk: DataChunk, column: number, bytes: number): ArrayBuffer {
  return vectorBuffer(duckdb.data_chunk_get_vector(chunk, column), bytes);
}

/** BIGINT milliseconds (little-endian two's complement) → float64; exact below 2^53. */
export function bigintsToNumbers(buffer: ArrayBuffer, count: number): Float64Array {
  const low = new Uint32Array(buffer, 0, count * 2);
  const high = new Int32Array(buffer, 0, count * 2);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = (high[2 * i + 1] ?? 0) * 4294967296 + (low[2 * i] ?? 0);
  return out;
}

/**
 * Runs `sql`, which must select exactly `ref, t, v` (non-NULL), and returns its rows chunk by
 * chunk in result order.
 */
export async function readSampleRows(connection: DuckDBConnection, sql: string): Promise<SampleRows[]> {
  const result = await connection.run(sql);
  const chunks: SampleRows[] = [];
  for (let index = 0; index < result.chunkCount; index++) {
    const chunk = result.getChunk(index);
    const count = chunk.rowCount;
    if (count === 0) continue;
    const raw = chunk.chunk;
    chunks.push({
      count,
      refs: new Uint32Array(vectorBytes(raw, 0, count * 4), 0, count),
      timestampsMs: bigintsToNumbers(vectorBytes(raw, 1, count * 8), count),
      values: new Float64Array(vectorBytes(raw, 2, count * 8), 0, count),
    });
  }
  return chunks;
}

/** A millisecond bound as a SQL integer literal (digits from a number only: safe to inline). */
export function msLiteral(timeMs: number, round: 'floor' | 'ceil'): string {
  const limit = 2 ** 62;
  if (Number.isNaN(timeMs)) throw new TypeError('time is NaN');
  const rounded = round === 'floor' ? Math.floor(timeMs) : Math.ceil(timeMs);
  return String(Math.max(-limit, Math.min(limit, rounded)));
}
