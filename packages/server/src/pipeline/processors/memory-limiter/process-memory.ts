import { readFileSync } from 'node:fs';
import { totalmem } from 'node:os';

/** Reads a text file, or undefined when it does not exist or cannot be read. */
export type ReadText = (path: string) => string | undefined;

const CGROUP_ROOT = '/sys/fs/cgroup';

/**
 * The process's resident set size. RSS, not the V8 heap: Vigil's embedded DuckDB allocates in the
 * same process outside the JS heap, and what the kernel's OOM killer (or a container limit) sees is
 * RSS, so that is what the limit has to cover. (The Collector measures Go's heap, runtime.MemStats.Alloc,
 * because a Go collector's memory is almost all Go heap.)
 */
export function readRssBytes(): number {
  return process.memoryUsage.rss();
}

/**
 * The memory available to this process: the machine's total, or the cgroup v2 `memory.max` when one
 * is set lower (a container limit), as the Collector's iruntime.TotalMemory prefers the cgroup limit.
 */
export function readTotalMemoryBytes(readText: ReadText = readTextFile): number {
  const cgroupBytes = cgroupMemoryMaxBytes(readText);
  const machineBytes = totalmem();
  return cgroupBytes === undefined ? machineBytes : Math.min(cgroupBytes, machineBytes);
}

/**
 * The tightest cgroup v2 `memory.max` on the path from this process's cgroup (the `0::/path` line of
 * /proc/self/cgroup) up to the root, since every ancestor's limit applies; undefined when none is set
 * ("max") or the host has no cgroup v2.
 */
export function cgroupMemoryMaxBytes(readText: ReadText): number | undefined {
  const ownPath = cgroupV2Path(readText('/proc/self/cgroup') ?? '');
  if (ownPath === undefined) return undefined;
  let tightest: number | undefined;
  for (const dir of ancestorsOf(ownPath)) {
    const limit = parseMemoryMax(readText(`${CGROUP_ROOT}${dir}/memory.max`));
    if (limit !== undefined && (tightest === undefined || limit < tightest)) tightest = limit;
  }
  return tightest;
}

/** The unified-hierarchy entry of /proc/self/cgroup: `0::/system.slice/vigil.service`. */
function cgroupV2Path(procSelfCgroup: string): string | undefined {
  const line = procSelfCgroup.split('\n').find((l) => l.startsWith('0::'));
  return line === undefined ? undefined : line.slice(3).trim() || '/';
}

/** `/a/b` → `/a/b`, `/a`, `` (the root, whose files sit directly in /sys/fs/cgroup). */
function ancestorsOf(path: string): string[] {
  const parts = path.split('/').filter((part) => part !== '');
  const dirs: string[] = [];
  for (let depth = parts.length; depth >= 0; depth--) {
    dirs.push(depth === 0 ? '' : `/${parts.slice(0, depth).join('/')}`);
  }
  return dirs;
}

function parseMemoryMax(text: string | undefined): number | undefined {
  const trimmed = text?.trim();
  if (trimmed === undefined || !/^\d+$/.test(trimmed)) return undefined; // absent, or "max": no limit
  return Number(trimmed);
}

function readTextFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Runs a full garbage collection when Node exposes one (`--expose-gc`) and says whether it did. The
 * Collector forces a GC when memory crosses a limit (memorylimiter.go CheckMemLimits); Node only lets
 * a program do so behind that flag.
 */
export function runExposedGc(): boolean {
  if (typeof globalThis.gc !== 'function') return false;
  globalThis.gc();
  return true;
}
