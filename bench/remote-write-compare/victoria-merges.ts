/**
 * Waiting for VictoriaMetrics's background merges after /internal/force_merge, which returns at
 * once (app/vmstorage/main.go runs ForceMergePartitions in a goroutine).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { diskUsage } from './proc-stats.ts';

const POLL_MS = 1_000;
const TIMEOUT_MS = 180_000;
// Merges show up in the gauges a moment after they start; require a few quiet polls in a row.
const QUIET_POLLS = 3;

/** Sum of the merge gauges (vm_active_force_merges, vm_active_merges{type=…}) in a /metrics text. */
export function activeMerges(metricsText: string): number {
  let active = 0;
  for (const line of metricsText.split('\n')) {
    const match = /^vm_active_(?:force_)?merges(?:\{[^}]*\})? (\S+)$/.exec(line);
    if (match?.[1] !== undefined) active += Number(match[1]);
  }
  return active;
}

/** Resolves (with the time waited) once no merge runs and the data dir's size stays put. */
export async function waitForVictoriaMerges(baseUrl: string, dataDir: string): Promise<number> {
  const startedMs = performance.now();
  let quiet = 0;
  let lastBytes = -1;
  while (quiet < QUIET_POLLS) {
    if (performance.now() - startedMs > TIMEOUT_MS) throw new Error('VictoriaMetrics merges did not finish');
    await sleep(POLL_MS);
    const metricsText = await (await fetch(`${baseUrl}/metrics`)).text();
    const bytes = diskUsage(dataDir).apparentBytes;
    quiet = activeMerges(metricsText) === 0 && bytes === lastBytes ? quiet + 1 : 0;
    lastBytes = bytes;
  }
  return performance.now() - startedMs;
}
