import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SystemMeasurement } from './measure.ts';
import { formatDetails, formatInUseNotes, formatTable, tableRow, type TableRow } from './report.ts';

const MIB = 1024 * 1024;
const shape = { seriesCount: 1000, steps: 100, seriesPerRequest: 2000, concurrency: 4 };

function measurement(
  id: SystemMeasurement['id'],
  elapsedMs: number,
  cpuSendSeconds: number,
): SystemMeasurement {
  return {
    ...{ id, title: id, version: '1.0', cpuSendSeconds, cpuSendFlushSeconds: cpuSendSeconds + 1 },
    send: {
      samplesAccepted: 100_000,
      samplesDropped: 0,
      requests: 400,
      retries: 2,
      elapsedMs,
      bodyBytes: MIB,
      senderCpuMs: 500,
    },
    ...{ rssIdleBytes: 10 * MIB, rssAfterBytes: 10 * MIB + 2_000_000 },
    idle: { allocatedBytes: 4096, apparentBytes: 0 },
    fresh: { allocatedBytes: 300_000, apparentBytes: 290_000 },
    freshParts: [{ name: 'wal', allocatedBytes: 3 * MIB }],
    compacted: { allocatedBytes: 150_000, apparentBytes: 140_000 },
    ...{ compactNote: 'done', stored: { series: 1000, samples: 99_999 } },
  };
}

test('tableRow derives the per-sample and per-series figures', () => {
  const row: TableRow = tableRow(measurement('vigil', 2000, 3), shape.seriesCount);
  assert.deepEqual(row, {
    system: 'vigil',
    samplesPerSecond: 50_000,
    cpuSecondsPerMillionSamples: 30,
    freshBytesPerSample: 3,
    compactedBytesPerSample: 1.5,
    rssIdleMiB: 10,
    rssAfterMiB: 10 + 2_000_000 / MIB,
    rssBytesPerSeries: 2000,
  });
});

test('formatTable prints a row per system and Vigil over each other system', () => {
  const rows = [measurement('vigil', 2000, 3), measurement('victoria', 1000, 1)].map((m) =>
    tableRow(m, 1000),
  );
  const lines = formatTable(rows).split('\n');
  assert.equal(lines.length, 5);
  assert.match(lines[0]!, /^system\s+samples\/s\s+CPU-s per M samples\s+B\/sample fresh/);
  assert.match(lines[2]!, /^vigil\s+50000\s+30\.00\s+3\.00\s+1\.50\s+10\.0\s+11\.9\s+2000$/);
  assert.match(lines[4]!, /^vigil\/victoria\s+0\.50x\s+3\.00x\s+1\.00x\s+1\.00x\s+1\.00x\s+1\.00x\s+1\.00x$/);
  assert.equal(formatTable(rows.slice(1)).split('\n').length, 3, 'no ratio row without Vigil');
});

test('formatDetails flags a stored count that differs from the load', () => {
  const details = formatDetails(measurement('prometheus', 1000, 1), shape);
  assert.match(details, /stored series 1000 ok, samples 99999 MISMATCH \(expected 100000\)/);
  assert.match(details, /100000 samples accepted, 0 dropped, 2 retries/);
  assert.match(details, /fresh data dir: wal 3\.0 MiB\n/);
});

test('formatInUseNotes speaks only of systems that report blocks in use', () => {
  const vigil = { ...measurement('vigil', 1000, 1), compactedInUseBytes: 310_000 };
  assert.deepEqual(formatInUseNotes([vigil, measurement('prometheus', 1000, 1)]), [
    'vigil compacted, blocks in use: 3.10 B/sample (du counts free blocks the file keeps for later writes)',
  ]);
});
