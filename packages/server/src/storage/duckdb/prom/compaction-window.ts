/** The 2 h windows the head is compacted by (compaction.ts) and its chunks never straddle (head.ts). */

/** Window of a chunk row, aligned to the epoch like Prometheus's 2 h blocks. */
export const CHUNK_WINDOW_MS = 2 * 3_600_000;
/** A window is compacted once the newest sample is this far past its end (late samples get in first). */
export const COMPACTION_DELAY_MS = 3_600_000;

export function windowStart(timeMs: number): number {
  return Math.floor(timeMs / CHUNK_WINDOW_MS) * CHUNK_WINDOW_MS;
}
