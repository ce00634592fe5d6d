/**
 * Compaction into `prom_blocks` (docs/adr/0003-prometheus-series.md), as Prometheus cuts its head
 * into 2 h blocks: the head's samples of one window become one encoded block per series, committed
 * in one transaction, then trimmed from the head.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { SeriesPiece } from './chunk-rows.ts';
import { commitBlocks } from './chunk-rows.ts';
import type { HeadSamples } from './head.ts';
import { lowerBound } from './head.ts';

/**
 * Series decoded per batch: the window of 1,000 series is ~8 MB of fresh arrays, where all 100k at
 * once would be ~800 MB.
 */
const SERIES_PER_BATCH = 1_000;

/** The head's samples of [fromMs, toMs) of `refs`, decoded. */
function headPieces(head: HeadSamples, refs: readonly number[], fromMs: number, toMs: number): SeriesPiece[] {
  const rows = head.read(refs, fromMs, toMs - 1);
  const pieces: SeriesPiece[] = [];
  for (let row = 0; row < rows.count; row++) {
    const start = rows.starts[row] ?? 0;
    const end = start + (rows.lengths[row] ?? 0);
    // A row holds whole chunks: keep only the window's part.
    const from = lowerBound(rows.timestampsMs, start, end, fromMs);
    const to = lowerBound(rows.timestampsMs, from, end, toMs);
    if (to > from)
      pieces.push({
        ref: rows.refs[row] ?? 0,
        timestampsMs: rows.timestampsMs.subarray(from, to),
        values: rows.values.subarray(from, to),
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
  const refs = head.refs();
  function* batches(): Generator<SeriesPiece[]> {
    for (let at = 0; at < refs.length; at += SERIES_PER_BATCH)
      yield headPieces(head, refs.slice(at, at + SERIES_PER_BATCH), fromMs, toMs);
  }
  // Trimmed even when empty: that recounts the head's oldest sample, so the window is not due again.
  if (refs.length > 0) await commitBlocks(writer, batches());
  return head.trim(toMs);
}
