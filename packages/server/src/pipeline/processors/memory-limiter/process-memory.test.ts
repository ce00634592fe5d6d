import assert from 'node:assert/strict';
import { totalmem } from 'node:os';
import { describe, it } from 'node:test';
import { cgroupMemoryMaxBytes, readRssBytes, readTotalMemoryBytes } from './process-memory.ts';

function files(entries: Record<string, string>): (path: string) => string | undefined {
  return (path) => entries[path];
}

describe('cgroupMemoryMaxBytes', () => {
  const rows: { name: string; files: Record<string, string>; expected: number | undefined }[] = [
    {
      name: 'a container: limit on the root of its namespace',
      files: { '/proc/self/cgroup': '0::/\n', '/sys/fs/cgroup/memory.max': '536870912\n' },
      expected: 536_870_912,
    },
    {
      name: 'no limit anywhere ("max")',
      files: {
        '/proc/self/cgroup': '0::/user.slice/session-1.scope\n',
        '/sys/fs/cgroup/user.slice/session-1.scope/memory.max': 'max\n',
        '/sys/fs/cgroup/user.slice/memory.max': 'max\n',
      },
      expected: undefined,
    },
    {
      name: 'the tightest of the process cgroup and its ancestors',
      files: {
        '/proc/self/cgroup': '0::/system.slice/vigil.service\n',
        '/sys/fs/cgroup/system.slice/vigil.service/memory.max': '2147483648\n',
        '/sys/fs/cgroup/system.slice/memory.max': '1073741824\n',
      },
      expected: 1_073_741_824,
    },
    {
      name: 'a cgroup v1 host (no 0:: line)',
      files: { '/proc/self/cgroup': '12:memory:/docker/abc\n11:cpu:/docker/abc\n' },
      expected: undefined,
    },
    { name: 'no /proc (not Linux)', files: {}, expected: undefined },
  ];
  for (const row of rows) {
    it(row.name, () => {
      assert.equal(cgroupMemoryMaxBytes(files(row.files)), row.expected);
    });
  }
});

describe('readTotalMemoryBytes', () => {
  it('is the machine total unless a cgroup limit is lower', () => {
    assert.equal(readTotalMemoryBytes(files({})), totalmem());
    const limited = files({ '/proc/self/cgroup': '0::/\n', '/sys/fs/cgroup/memory.max': '1048576\n' });
    assert.equal(readTotalMemoryBytes(limited), 1_048_576);
  });
});

describe('readRssBytes', () => {
  it('grows when the process holds more memory', () => {
    const before = readRssBytes();
    const held = Buffer.alloc(64 * 1024 * 1024, 1); // filled, so the pages are resident
    assert.ok(readRssBytes() - before > 32 * 1024 * 1024);
    assert.equal(held[held.length - 1], 1);
  });
});
