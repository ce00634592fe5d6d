/**
 * What the remote-write comparison reads about a server process and its data dir, the same way for
 * every system: CPU time and RSS from /proc (all threads of the process: Vigil's DuckDB worker
 * thread, the Go runtime's threads), disk usage as `du` reports it.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/**
 * user + system CPU ticks from the text of /proc/PID/stat (proc(5): utime and stime are fields 14
 * and 15). The command name, field 2, is in parentheses and may itself hold spaces or ')', so the
 * fields are counted from the last ')'.
 */
export function parseStatCpuTicks(statText: string): number {
  const afterName = statText
    .slice(statText.lastIndexOf(')') + 2)
    .trim()
    .split(/\s+/);
  // afterName[0] is field 3 (state), so field N is afterName[N - 3].
  const utimeTicks = Number(afterName[14 - 3]);
  const stimeTicks = Number(afterName[15 - 3]);
  if (!Number.isFinite(utimeTicks) || !Number.isFinite(stimeTicks)) {
    throw new Error(`cannot read utime/stime from /proc stat line: ${statText.slice(0, 120)}`);
  }
  return utimeTicks + stimeTicks;
}

/** VmRSS, in bytes, from the text of /proc/PID/status (given there in kB, i.e. KiB). */
export function parseVmRssBytes(statusText: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(statusText);
  if (!match?.[1]) throw new Error('no VmRSS line in /proc status (has the process exited?)');
  return Number(match[1]) * 1024;
}

/** `du`'s first field: a byte count when du is run with --block-size=1 or -b. */
export function parseDuBytes(duOutput: string): number {
  const bytes = Number(duOutput.trim().split(/\s+/)[0]);
  if (!Number.isFinite(bytes)) throw new Error(`cannot read du output: ${duOutput.slice(0, 120)}`);
  return bytes;
}

let clockTicksPerSecond: number | undefined;

/** USER_HZ, the unit of utime/stime (`getconf CLK_TCK`, 100 on Linux in practice). */
export function clockTicksPerSecondOnce(): number {
  clockTicksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  return clockTicksPerSecond;
}

/** CPU-seconds (user + system, all threads) that process `pid` has used so far. */
export function processCpuSeconds(pid: number): number {
  return parseStatCpuTicks(readFileSync(`/proc/${pid}/stat`, 'utf8')) / clockTicksPerSecondOnce();
}

/** Resident set size of process `pid` now, in bytes. */
export function processRssBytes(pid: number): number {
  return parseVmRssBytes(readFileSync(`/proc/${pid}/status`, 'utf8'));
}

/** Disk usage of a directory tree: blocks allocated (plain `du`) and apparent size (`du -b`). */
export interface DiskUsage {
  allocatedBytes: number;
  apparentBytes: number;
}

/** Runs `du` on `dir`: what is on disk, counting each hard-linked file once. */
export function diskUsage(dir: string): DiskUsage {
  const du = (flags: string[]): number =>
    parseDuBytes(execFileSync('du', [...flags, dir], { encoding: 'utf8' }));
  return { allocatedBytes: du(['-s', '--block-size=1']), apparentBytes: du(['-s', '-b']) };
}

/** Allocated bytes of each top-level entry of `dir` (`du -s` per entry), largest first. */
export function diskBreakdown(dir: string): { name: string; allocatedBytes: number }[] {
  const paths = readdirSync(dir).map((name) => join(dir, name));
  if (paths.length === 0) return [];
  const output = execFileSync('du', ['-s', '--block-size=1', ...paths], { encoding: 'utf8' });
  return output
    .trim()
    .split('\n')
    .map((line) => ({
      name: basename(line.slice(line.indexOf('\t') + 1)),
      allocatedBytes: parseDuBytes(line),
    }))
    .sort((a, b) => b.allocatedBytes - a.allocatedBytes);
}
