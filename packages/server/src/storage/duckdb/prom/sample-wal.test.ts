import assert from 'node:assert/strict';
import { appendFile, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { SampleWal } from './sample-wal.ts';
import { decodeWalRecord, encodeWalRecord, type WalSamples } from './wal-record.ts';
import { withTempDir } from '../../../test-support/temp-dir.ts';

const bitsOf = (values: Float64Array): bigint[] => [...new BigUint64Array(values.slice().buffer)];

function samples(refs: number[], timestampsMs: number[], values: Float64Array): WalSamples {
  return {
    count: refs.length,
    refs: Float64Array.from(refs),
    timestampsMs: Float64Array.from(timestampsMs),
    values,
  };
}

/** Values whose bits a careless path would change: a signalling-NaN stale marker, -0, ±Inf, a subnormal. */
function awkwardValues(): Float64Array {
  const values = new Float64Array(6);
  new BigUint64Array(values.buffer).set([0x7ff0000000000002n, 0x8000000000000000n, 1n]);
  values[3] = Infinity;
  values[4] = -Infinity;
  values[5] = 0.1 + 0.2;
  return values;
}

function comparable(record: WalSamples): unknown {
  return {
    count: record.count,
    refs: [...record.refs],
    timestampsMs: [...record.timestampsMs],
    bits: bitsOf(record.values),
  };
}

const withDir = (body: (dir: string) => Promise<void>): Promise<void> =>
  withTempDir('vigil-sample-wal-', body);

async function replayAll(dir: string): Promise<{ records: WalSamples[]; wal: SampleWal; truncated: number }> {
  const records: WalSamples[] = [];
  const { wal, replay } = await SampleWal.open(dir, (record) => records.push(record));
  assert.equal(replay.records, records.length);
  return { records, wal, truncated: replay.truncatedBytes };
}

const segmentFiles = async (dir: string): Promise<string[]> => (await readdir(dir)).sort();

void test('wal record: refs and times of any size and sign round-trip, values bit for bit', () => {
  const record = samples(
    [0, 1, 70_000, 3, 2 ** 32 + 5, 3],
    [1_764_662_400_000, 1_764_662_400_000, -5_000, 2 ** 52, 0, 1_764_662_400_001],
    awkwardValues(),
  );
  const decoded = decodeWalRecord(encodeWalRecord(record));
  assert.deepStrictEqual(comparable(decoded), comparable(record));
  // Consecutive refs at one time (a remote-write request): 10 bytes a sample.
  const request = samples(
    Array.from({ length: 100 }, (_, i) => 500 + i),
    Array.from({ length: 100 }, () => 1_764_662_400_000),
    new Float64Array(100),
  );
  assert.ok(encodeWalRecord(request).length <= 100 * 10 + 8);
});

void test('wal record: a truncated or inflated payload is an error, not a huge allocation', () => {
  const encoded = encodeWalRecord(samples([1, 2], [10, 20], Float64Array.of(1, 2)));
  assert.throws(() => decodeWalRecord(encoded.subarray(0, encoded.length - 1)), /ends inside a value/);
  assert.throws(() => decodeWalRecord(Uint8Array.of(0xff, 0xff, 0xff, 0x7f)), /count exceeds its size/);
  assert.throws(() => decodeWalRecord(Uint8Array.of(0x80)), /ends inside a varint/);
});

void test('sample WAL: appended records are replayed in order after reopening, bits intact', () =>
  withDir(async (dir) => {
    const first = await replayAll(dir);
    assert.deepStrictEqual(first.records, []);
    const written = [
      samples([1, 2, 3, 4, 5, 6], [100, 100, 100, 100, 100, 100], awkwardValues()),
      samples([1, 9], [200, 200], Float64Array.of(1.5, -2.5)),
    ];
    for (const record of written) await first.wal.append(record);
    await first.wal.append(samples([], [], new Float64Array(0)));
    await first.wal.close();
    const second = await replayAll(dir);
    assert.deepStrictEqual(second.records.map(comparable), written.map(comparable));
    assert.equal(second.truncated, 0);
    await second.wal.close();
  }));

void test('sample WAL: a torn or corrupt tail is cut off at the last good record, and appends go on after it', () =>
  withDir(async (dir) => {
    const { wal } = await replayAll(dir);
    for (let i = 0; i < 3; i++) await wal.append(samples([i], [1_000 * i], Float64Array.of(i)));
    await wal.close();
    const [segment = ''] = await segmentFiles(dir);
    const path = join(dir, segment);
    const size = (await stat(path)).size;
    // A crash mid-append: half of a fourth record's frame.
    const torn = await readFile(path);
    await appendFile(path, torn.subarray(8, 20));
    const afterTear = await replayAll(dir);
    assert.deepStrictEqual(
      afterTear.records.map((r) => [...r.refs]),
      [[0], [1], [2]],
    );
    assert.equal(afterTear.truncated, 12);
    assert.equal((await stat(path)).size, size, 'the torn bytes are cut off the segment');
    await afterTear.wal.append(samples([7], [5_000], Float64Array.of(7)));
    await afterTear.wal.close();

    // A flipped bit in the second record: its checksum fails, the segment is read up to it.
    const bytes = await readFile(path);
    const secondRecordValue = 8 + (8 + 11) + 8 + 4;
    bytes[secondRecordValue] = (bytes[secondRecordValue] ?? 0) ^ 0x01;
    await writeFile(path, bytes);
    const afterFlip = await replayAll(dir);
    assert.deepStrictEqual(
      afterFlip.records.map((r) => [...r.refs]),
      [[0], [7]],
      'the later segment is still read',
    );
    assert.ok(afterFlip.truncated > 0);
    await afterFlip.wal.close();
  }));

void test('sample WAL: rotation closes a segment; only closed segments wholly older than the head are deleted', () =>
  withDir(async (dir) => {
    const { wal } = await replayAll(dir);
    await wal.append(samples([1, 2], [1_000, 2_000], Float64Array.of(1, 2)));
    await wal.rotate();
    await wal.rotate(); // nothing appended since: no empty segment
    await wal.append(samples([1], [3_000], Float64Array.of(3)));
    await wal.rotate();
    await wal.append(samples([1], [4_000], Float64Array.of(4)));
    assert.equal((await segmentFiles(dir)).length, 3);
    assert.equal(await wal.deleteBefore(2_000), 0, 'the first segment still has the sample at 2000');
    assert.equal(await wal.deleteBefore(2_001), 1);
    assert.equal(await wal.deleteBefore(Infinity), 1, 'the open segment is kept');
    assert.equal((await segmentFiles(dir)).length, 1);
    await wal.close();
    const reopened = await replayAll(dir);
    assert.deepStrictEqual(
      reopened.records.map((r) => [...r.timestampsMs]),
      [[4_000]],
    );
    await reopened.wal.close();
  }));
