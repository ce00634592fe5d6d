import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDuckDbStore } from '../duckdb-store.ts';
import { PendingLast, STORED } from './pending-last.ts';

test('pending samples are forgotten at the next group, and refs past the arrays grow them', () => {
  const pending = new PendingLast();
  pending.begin();
  assert.equal(pending.has(3), false);
  pending.set(3, 1_000, STORED, 3);
  pending.set(50_000, 2_000, 4, 17);
  assert.equal(pending.has(3), true);
  assert.equal(pending.has(50_000), true);
  assert.equal(pending.has(49_999), false);
  assert.deepEqual(
    [pending.timeMs(50_000), pending.writeOf(50_000), pending.sampleOf(50_000)],
    [2_000, 4, 17],
  );
  assert.deepEqual([pending.timeMs(3), pending.writeOf(3), pending.sampleOf(3)], [1_000, STORED, 3]);
  pending.begin();
  assert.equal(pending.has(3), false);
  assert.equal(pending.has(50_000), false);
  pending.set(3, -Infinity, STORED, 3);
  assert.equal(pending.has(3), true);
  assert.equal(pending.timeMs(3), -Infinity);
});

test('writes committed in one group see each other: identical repeats ignored, conflicts rejected', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-pending-last-'));
  const store = await openDuckDbStore({ path: join(dir, 'vigil.duckdb') });
  try {
    const labels = new Map([['__name__', 'grouped']]);
    const write = (timeMs: number, value: number) =>
      store.writeSamples([{ labels, timestampsMs: Float64Array.of(timeMs), values: Float64Array.of(value) }]);
    // Issued together: the first is committed alone, the group commit takes the others as one group,
    // where the repeats meet a sample accepted from another write of the same group.
    const results = await Promise.all([
      write(500, 0),
      write(1_000, 1),
      write(1_000, 1),
      write(1_000, 2),
      write(2_000, 3),
    ]);
    assert.deepEqual(
      results.map((r) => [r.samplesWritten, r.samplesRejected]),
      [
        [1, 0],
        [1, 0],
        [0, 0],
        [0, 1],
        [1, 0],
      ],
    );
    const [read] = await store.selectSeries([{ name: '__name__', type: '=', value: 'grouped' }], 0, 10_000);
    assert.deepEqual([...(read?.timestampsMs ?? [])], [500, 1_000, 2_000]);
    assert.deepEqual([...(read?.values ?? [])], [0, 1, 3]);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
});
