/**
 * Compaction into `prom_blocks` (docs/adr/0003-prometheus-series.md), as Prometheus cuts its head
 * into 2 h blocks: the head's samples of one window become one encoded block per series, committed
 * in one transaction, then trimmed from the head.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { SeriesPiece } from './chunk-rows.ts';
import { commitBlocks } from './chunk-rows.ts';
import type { HeadSamples } from './head.ts';

/** Window of a chunk row, aligned to the epoch like Prometheus's 2 h blocks. */
export const CHUNK_WINDOW_MS = 2 * 3_600_000;
/** A window is compacted once the newest sample is this far past its end (late samples get in first). */
export const COMPACTION_DELAY_MS = 3_600_000;

export function windowStart(timeMs: number): number {
  return Math.floor(timeMs / CHUNK_WINDOW_MS) * CHUNK_WINDOW_MS;
}

/** The head's samples of [fromMs, toMs) per series, as views of its memory. */
function headPieces(head: HeadSamples, fromMs: number, toMs: number): SeriesPiece[] {
  const pieces: SeriesPiece[] = [];
  for (const ref of head.refs()) {
    const view = head.view(ref, fromMs, toMs - 1);
    if (!view) continue;
    const data = view.arena.data;
    pieces.push({
      ref,
      timestampsMs: data.subarray(view.timesAt, view.timesAt + view.count),
      values: data.subarray(view.valuesAt, view.valuesAt + view.count),
    });
  }
  return pieces;
}

/**
 * Moves the head's samples before `toMs` (all in [fromMs, toMs): the caller starts at the head's
 * oldest window) into blocks, then trims them from the head; returns the samples moved. Runs on
 * the writer connection between write groups, so nothing is appended meanwhile.
 */
export async function compactHead(
  writer: DuckDBConnection,
  head: HeadSamples,
  fromMs: number,
  toMs: number,
): Promise<number> {
  const pieces = headPieces(head, fromMs, toMs);
  // Trimmed even when empty: that recounts the head's oldest sample, so the window is not due again.
  if (pieces.length > 0) await commitBlocks(writer, pieces);
  return head.trim(toMs);
}
