import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { allRows, appendRows, CHUNK_ROWS } from './chunk-builder.ts';
import type { TableBatch } from './columnar.ts';
import {
  BoolBuilder,
  HexIdBuilder,
  Int64Builder,
  ListBuilder,
  mapOfInt64,
  mapOfText,
  NumberBuilder,
  StringTable,
} from './columnar.ts';

/** Strings that take every path of the vector writer: inline, assigned, non-ASCII, repeated, NULL. */
const STRINGS = [
  '',
  'a',
  'twelve-chars',
  'thirteen-char',
  'é',
  '日本語のテキスト',
  'emoji 🚀 here',
  'a long value that repeats on many rows of the same chunk',
  'x'.repeat(5000),
  null,
];

const ROWS = CHUNK_ROWS * 2 + 123;

/** `digits` pseudo-random lowercase hex digits (high bits set, so sign and word order matter). */
function hex(row: number, digits: number): string {
  const word = (seed: number): string =>
    ((BigInt(seed + 1) * 0x9e3779b97f4a7c15n) | (1n << 63n)).toString(16).slice(-16);
  return (word(row) + word(row + 7919)).slice(0, digits);
}

interface Expected {
  text: string | null;
  tags: [string, string][];
  counts: [string, bigint][];
  traceId: string;
  spanId: string | null;
  small: number;
  wide: number | null;
  ok: boolean;
  list: number[] | null;
}

function expectedRow(row: number): Expected {
  const text = STRINGS[row % STRINGS.length] ?? null;
  const tags: [string, string][] =
    row % 7 === 0
      ? []
      : [
          ['k.' + (row % 3), text ?? 'none'],
          ['ключ', 'значение'],
        ];
  return {
    text,
    tags,
    counts: row % 5 === 0 ? [] : [['n', BigInt(row) - 9_223_372_036_854_775_000n]],
    traceId: hex(row, 32),
    spanId: row % 4 === 0 ? null : hex(row, 16),
    small: row % 256,
    wide: row % 11 === 0 ? null : row * 3.5,
    ok: row % 2 === 0,
    list: row % 6 === 0 ? null : [row, -0.5, row / 7],
  };
}

function buildBatch(rows: Expected[]): TableBatch {
  const strings = new StringTable();
  const tags = mapOfText(rows.length, strings);
  const counts = mapOfInt64(rows.length, strings);
  const traceIds = new HexIdBuilder(rows.length, 4);
  const spanIds = new HexIdBuilder(rows.length, 2);
  const small = new NumberBuilder(rows.length);
  const wide = new NumberBuilder(rows.length);
  const ok = new BoolBuilder(rows.length);
  const lists = new ListBuilder(rows.length);
  const ids = new Int64Builder(rows.length, true);
  rows.forEach((e, row) => {
    for (const [key, value] of e.tags) tags.add(key, strings.code(value));
    tags.endRow(row);
    for (const [key, value] of e.counts) counts.add(key, value);
    counts.endRow(row);
    traceIds.set(row, e.traceId);
    spanIds.set(row, e.spanId ?? '');
    small.set(row, e.small);
    wide.set(row, e.wide);
    ok.set(row, e.ok);
    lists.set(row, e.list ?? undefined);
    ids.set(row, BigInt(row));
  });
  const columns = [
    ids.build(),
    strings.column(rows.map((e) => e.text)),
    tags.build(),
    counts.build(),
    traceIds.build(),
    spanIds.build(),
    small.build(),
    wide.build(),
    ok.build(),
    lists.build(),
  ];
  return { table: 't', rowCount: rows.length, columns, strings: strings.strings };
}

async function roundTrip(selectRows: (rowCount: number) => number[]): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(`CREATE TABLE t (id UBIGINT, text VARCHAR, tags MAP(VARCHAR, VARCHAR),
      counts MAP(VARCHAR, BIGINT), trace_id UHUGEINT, span_id UBIGINT, small UTINYINT, wide DOUBLE,
      ok BOOLEAN, list DOUBLE[])`);
    const expected = Array.from({ length: ROWS }, (_, row) => expectedRow(row));
    const rows = selectRows(ROWS);
    const appender = await connection.createAppender('t');
    appendRows(appender, buildBatch(expected), rows);
    appender.closeSync();
    const reader = await connection.runAndReadAll(
      `SELECT id, text, tags, counts, lower(lpad(to_hex(trace_id), 32, '0')), CASE WHEN span_id IS NULL THEN NULL
       ELSE lower(lpad(to_hex(span_id), 16, '0')) END, small, wide, ok, list FROM t ORDER BY id`,
    );
    const actual = reader.getRowsJS();
    assert.equal(actual.length, rows.length);
    actual.forEach((values, i) => {
      const row = rows[i] ?? -1;
      const e = expectedRow(row);
      const entries = (pairs: [string, unknown][]): unknown =>
        pairs.length === 0 ? null : pairs.map(([key, value]) => ({ key, value }));
      assert.deepEqual(
        values,
        [
          BigInt(row),
          e.text,
          entries(e.tags),
          entries(e.counts),
          e.traceId,
          e.spanId,
          e.small,
          e.wide,
          e.ok,
          e.list,
        ],
        `row ${row}`,
      );
    });
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

void test('appendRows writes every column kind exactly, across chunks', () => roundTrip(allRows));

void test('appendRows writes a non-contiguous selection of rows', () =>
  roundTrip((rowCount) => allRows(rowCount).filter((row) => row % 3 !== 1)));

void test('hex ids must be lowercase hex of the right length', () => {
  const ids = new HexIdBuilder(1, 2);
  assert.throws(() => ids.set(0, 'ABCDEF0123456789'), /span id is not 16 lowercase hex characters/);
  assert.throws(() => ids.set(0, 'abc'), TypeError);
  assert.throws(() => new HexIdBuilder(1, 4).set(0, 'g'.repeat(32)), /trace id/);
});
