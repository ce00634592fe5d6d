import { DuckDBInstance } from '@duckdb/node-api';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDuckDbStore } from '../duckdb-store.ts';

void test('a data dir with sample rows from before the sample WAL opens with them moved into blocks', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-legacy-rows-'));
  const path = join(dir, 'vigil.duckdb');
  try {
    // Two 2 h windows apart, so the rows become one block per series per window.
    const t0Ms = 1_764_000_000_000 - (1_764_000_000_000 % 7_200_000) + 7_000_000;
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    await connection.run(`CREATE TABLE prom_series (
      ref UINTEGER, series_hash UBIGINT, name VARCHAR, labels MAP(VARCHAR, VARCHAR))`);
    await connection.run(`CREATE TABLE prom_samples (ref UINTEGER, t BIGINT, v DOUBLE)`);
    await connection.run(`INSERT INTO prom_series VALUES
      (0, 1, 'up', MAP {'__name__': 'up', 'job': 'a'}), (1, 2, 'up', MAP {'__name__': 'up', 'job': 'b'})`);
    await connection.run(`INSERT INTO prom_samples VALUES
      (0, ${t0Ms}, 1), (1, ${t0Ms}, 7), (0, ${t0Ms + 400_000}, 'NaN'::DOUBLE), (1, ${t0Ms + 400_000}, 8)`);
    connection.closeSync();
    instance.closeSync();

    const store = await openDuckDbStore({ path });
    try {
      const series = await store.selectSeries([{ name: '__name__', type: '=', value: 'up' }], 0, Infinity);
      assert.deepEqual(
        series.map((s) => [s.labels.get('job'), [...s.timestampsMs].map((t) => t - t0Ms), [...s.values]]),
        [
          ['a', [0, 400_000], [1, NaN]],
          ['b', [0, 400_000], [7, 8]],
        ],
      );
      assert.deepEqual(await store.promHeadStatus().then((head) => head.samples), 0, 'all in blocks');
      assert.equal((await store.stats()).promSamples, 4);
    } finally {
      await store.close();
    }
    const reopened = await DuckDBInstance.create(path);
    const check = await reopened.connect();
    const tables = await check.runAndReadAll(
      "SELECT count(*) FROM information_schema.tables WHERE table_name = 'prom_samples'",
    );
    assert.equal(Number(tables.getRowsJS()[0]?.[0]), 0, 'the old table is dropped');
    check.closeSync();
    reopened.closeSync();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
