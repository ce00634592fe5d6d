/**
 * One system through the whole protocol: start fresh, settle, read idle RSS and CPU, replay the
 * load, read CPU and RSS again, flush and measure the disk ("fresh"), check the stored counts,
 * compact and measure again ("compacted"), stop.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  diskBreakdown,
  diskUsage,
  processCpuSeconds,
  processRssBytes,
  type DiskUsage,
} from './proc-stats.ts';
import type { Sender } from './sender-client.ts';
import type { SendResult } from './send-loop.ts';
import type { BenchSystem, SystemId } from './systems.ts';
import { storedCounts, type StoredCounts } from './verify.ts';

// Startup work (tsx compiling, Go runtime warm-up, first GCs) should not count as load.
const SETTLE_MS = 3_000;

/** Everything measured for one system. */
export interface SystemMeasurement {
  id: SystemId;
  title: string;
  version: string;
  send: SendResult;
  /** CPU-seconds of the server process during the send phase. */
  cpuSendSeconds: number;
  /** Same, plus the flush that followed (VictoriaMetrics's force_flush). */
  cpuSendFlushSeconds: number;
  rssIdleBytes: number;
  rssAfterBytes: number;
  /** The data dir right after startup: the fixed cost the per-sample figures include. */
  idle: DiskUsage;
  fresh: DiskUsage;
  /** Top-level entries of the data dir in the fresh state (WAL, head chunks, indexdb, …). */
  freshParts: { name: string; allocatedBytes: number }[];
  compacted: DiskUsage;
  compactNote: string;
  /** See Compacted.inUseBytes. */
  compactedInUseBytes?: number;
  stored: StoredCounts;
}

/** Runs the protocol for `system` with data under `workDir/<id>`. */
export async function measureSystem(
  system: BenchSystem,
  sender: Sender,
  workDir: string,
  log: (line: string) => void,
): Promise<SystemMeasurement> {
  const systemDir = join(workDir, system.id);
  const dataDir = join(systemDir, 'data');
  mkdirSync(dataDir, { recursive: true });
  const server = await system.start(dataDir, systemDir);
  try {
    const version = await system.version(server);
    log(`${system.title} ${version} ready (pid ${server.pid}), settling ${SETTLE_MS / 1000} s`);
    await sleep(SETTLE_MS);
    const idle = diskUsage(dataDir);
    const rssIdleBytes = processRssBytes(server.pid);
    const cpuBeforeSeconds = processCpuSeconds(server.pid);
    const send = await sender.send(`${server.baseUrl}${system.writePath}`);
    const cpuSendSeconds = processCpuSeconds(server.pid) - cpuBeforeSeconds;
    const rssAfterBytes = processRssBytes(server.pid);
    log(
      `${system.title}: ${send.samplesAccepted} samples accepted in ${(send.elapsedMs / 1000).toFixed(1)} s`,
    );
    await system.flush(server);
    const cpuSendFlushSeconds = processCpuSeconds(server.pid) - cpuBeforeSeconds;
    const fresh = diskUsage(dataDir);
    const freshParts = diskBreakdown(dataDir);
    const stored = await storedCounts(server.baseUrl, Date.now());
    const compaction = await system.compact(server, dataDir);
    const compacted = diskUsage(compaction.dir);
    return {
      ...{ id: system.id, title: system.title, version, send, cpuSendSeconds, cpuSendFlushSeconds },
      ...{
        rssIdleBytes,
        rssAfterBytes,
        idle,
        fresh,
        freshParts,
        compacted,
        compactNote: compaction.note,
        compactedInUseBytes: compaction.inUseBytes,
        stored,
      },
    };
  } finally {
    await server.stop();
  }
}
