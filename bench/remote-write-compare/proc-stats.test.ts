import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  diskBreakdown,
  diskUsage,
  parseDuBytes,
  parseStatCpuTicks,
  parseVmRssBytes,
  processCpuSeconds,
  processRssBytes,
} from './proc-stats.ts';

// A /proc/PID/stat line shaped like proc(5): utime (field 14) = 1234, stime (field 15) = 56.
const statLine = (name: string): string =>
  `4242 (${name}) S 1 4242 4242 0 -1 4194560 9000 0 0 0 1234 56 0 0 20 0 11 0 100 9999 2000 ` +
  '18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0';

test('parseStatCpuTicks adds utime and stime, whatever the command name holds', () => {
  for (const name of ['prometheus', 'node', 'a b) (c', 'victoria-metrics ) 7 8']) {
    assert.equal(parseStatCpuTicks(statLine(name)), 1290, name);
  }
  assert.throws(() => parseStatCpuTicks('4242 (x) S 1'), /utime\/stime/);
});

test('parseVmRssBytes reads the kB figure of the VmRSS line', () => {
  const status = 'Name:\tnode\nVmPeak:\t  999 kB\nVmRSS:\t  186776 kB\nRssAnon:\t 1 kB\n';
  assert.equal(parseVmRssBytes(status), 186_776 * 1024);
  assert.throws(() => parseVmRssBytes('Name:\tzombie\n'), /no VmRSS/);
});

test('parseDuBytes reads the first field of du output', () => {
  assert.equal(parseDuBytes('1847296\t/tmp/x/data\n'), 1_847_296);
  assert.throws(() => parseDuBytes('du: cannot access'), /cannot read du/);
});

test('this process has CPU time and a resident set', () => {
  assert.ok(processCpuSeconds(process.pid) > 0);
  const rssBytes = processRssBytes(process.pid);
  assert.ok(rssBytes > 1024 * 1024 && rssBytes < 64 * 1024 ** 3, String(rssBytes));
});

test('diskUsage and diskBreakdown measure a directory tree with du', () => {
  const dir = mkdtempSync(join(tmpdir(), 'proc-stats-test-'));
  try {
    mkdirSync(join(dir, 'wal'));
    writeFileSync(join(dir, 'wal', '00000000'), Buffer.alloc(300_000, 1));
    writeFileSync(join(dir, 'lock'), 'x');
    const usage = diskUsage(dir);
    assert.ok(usage.apparentBytes >= 300_001, String(usage.apparentBytes));
    assert.ok(usage.allocatedBytes >= 300_000, String(usage.allocatedBytes));
    const parts = diskBreakdown(dir);
    assert.deepEqual(
      parts.map((part) => part.name),
      ['wal', 'lock'],
    );
    assert.ok(parts[0]!.allocatedBytes >= 300_000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
