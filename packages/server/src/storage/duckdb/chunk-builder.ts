import duckdb from '@duckdb/node-bindings';
import type { Vector } from '@duckdb/node-bindings';
import type { DuckDBAppender, DuckDBType } from '@duckdb/node-api';
import { DuckDBDataChunk, DuckDBTypeId } from '@duckdb/node-api';
import type { Column, MapValues, TableBatch } from './columnar.ts';
import type { Selection } from './vector-writer.ts';
import {
  contiguous,
  listChild,
  StringPool,
  structChild,
  writeFixed,
  writeListEntries,
  writeNarrowed,
  writeNullFlags,
  writeWords,
} from './vector-writer.ts';

/** DuckDB's vector size: a data chunk holds at most this many rows. */
export const CHUNK_ROWS = 2048;

function writeMapValues(vector: Vector, values: MapValues, strings: StringPool, selection: Selection): void {
  if (values.kind === 'text') strings.write(vector, values.codes, selection);
  else writeFixed(vector, values.values, selection);
}

function writeNumbers(
  vector: Vector,
  column: Extract<Column, { kind: 'number' }>,
  type: DuckDBType,
  rows: Selection,
): void {
  switch (type.typeId) {
    case DuckDBTypeId.DOUBLE:
      return writeFixed(vector, column.values, rows);
    case DuckDBTypeId.UTINYINT:
      return writeNarrowed(vector, column.values, rows, 1);
    case DuckDBTypeId.USMALLINT:
      return writeNarrowed(vector, column.values, rows, 2);
    case DuckDBTypeId.UINTEGER:
      return writeNarrowed(vector, column.values, rows, 4);
    default:
      throw new Error(`number column cannot fill a ${type.toString()} column`);
  }
}

/** Fills one vector of a chunk from the selected rows of a columnar column. */
function writeColumn(
  vector: Vector,
  column: Column,
  type: DuckDBType,
  strings: StringPool,
  rows: Selection,
): void {
  switch (column.kind) {
    case 'text':
      return strings.write(vector, column.codes, rows);
    case 'int64':
    case 'bool':
      writeFixed(vector, column.values, rows);
      return writeNullFlags(vector, column.nulls, rows);
    case 'number':
      writeNumbers(vector, column, type, rows);
      return writeNullFlags(vector, column.nulls, rows);
    case 'words':
      writeWords(vector, column.values, column.width, rows);
      return writeNullFlags(vector, column.nulls, rows);
    case 'map': {
      const { offsets } = column;
      const elements = writeListEntries(vector, offsets, rows, (row) => offsets[row] === offsets[row + 1]);
      // MAP is LIST(STRUCT(key, value)).
      const entries = listChild(vector);
      strings.write(structChild(entries, 0), column.keys, elements);
      return writeMapValues(structChild(entries, 1), column.values, strings, elements);
    }
    case 'list': {
      const { nulls } = column;
      const elements = writeListEntries(vector, column.offsets, rows, (row) => nulls[row] === 1);
      return writeFixed(listChild(vector), column.values, elements);
    }
  }
}

function chunkSelection(rows: readonly number[], offset: number, count: number): Selection {
  const first = rows[offset] ?? 0;
  // Rows are ascending, so equal span means no gaps.
  if ((rows[offset + count - 1] ?? 0) - first === count - 1) return contiguous(first, count);
  return { count, start: 0, indices: Int32Array.from(rows.slice(offset, offset + count)) };
}

/**
 * Appends the selected rows (ascending) of a columnar batch through DataChunks written at vector
 * level (vector-writer.ts). The caller owns the transaction; nothing is visible before its COMMIT.
 */
export function appendRows(appender: DuckDBAppender, batch: TableBatch, rows: readonly number[]): void {
  const { columns } = batch;
  const types: DuckDBType[] = [];
  for (let i = 0; i < appender.columnCount; i++) types.push(appender.columnType(i));
  if (types.length !== columns.length) throw new Error('batch column count does not match the table');
  const strings = new StringPool(batch.strings);
  const logicalTypes = types.map((type) => type.toLogicalType().logical_type);
  for (let offset = 0; offset < rows.length; offset += CHUNK_ROWS) {
    const count = Math.min(CHUNK_ROWS, rows.length - offset);
    const selection = chunkSelection(rows, offset, count);
    const chunk = duckdb.create_data_chunk(logicalTypes);
    duckdb.data_chunk_set_size(chunk, count);
    columns.forEach((column, index) => {
      writeColumn(
        duckdb.data_chunk_get_vector(chunk, index),
        column,
        types[index] as DuckDBType,
        strings,
        selection,
      );
    });
    appender.appendDataChunk(new DuckDBDataChunk(chunk));
  }
}

export function allRows(rowCount: number): number[] {
  return Array.from({ length: rowCount }, (_, row) => row);
}
