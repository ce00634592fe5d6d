import type { DuckDBConnection } from '@duckdb/node-api';
import type { SeriesMatcher } from '../../../model/prom-series.ts';
import type { ChunkRows } from './chunk-rows.ts';
import { readChunkRows } from './chunk-rows.ts';
import type { HeadSamples } from './head.ts';
import { lowerBound } from './head.ts';
import type { SeriesIndex } from './series-index.ts';
import type { SelectedSeries } from './protocol.ts';
import type { ReadWriteGate } from './read-write-gate.ts';
import { msLiteral } from './sample-rows.ts';

/** Up to this many refs go into SQL as `ref IN (…)`; more are filtered in JS while scanning the time range. */
const MAX_IN_LIST = 1_000;

export interface SelectContext {
  index: SeriesIndex;
  head: HeadSamples;
  reader: DuckDBConnection;
  /** Held while reading disk and the head, so a compaction cannot move samples in between. */
  gate: ReadWriteGate;
  /** No block holds a sample after this time. */
  blocksNewestMs: number;
}

function refFilter(refs: readonly number[], index: SeriesIndex): string {
  // Refs are our own integers, safe to inline; a selective list lets DuckDB skip the other rows.
  return refs.length <= MAX_IN_LIST && refs.length * 4 < index.size ? ` AND ref IN (${refs.join(',')})` : '';
}

/** The blocks overlapping [minMs, maxMs], decoded. */
function readBlocks(
  ctx: SelectContext,
  refs: readonly number[],
  minMs: number,
  maxMs: number,
): Promise<ChunkRows[]> {
  const from = msLiteral(minMs, 'ceil');
  const to = msLiteral(maxMs, 'floor');
  const filter = refFilter(refs, ctx.index);
  return readChunkRows(
    ctx.reader,
    `SELECT ref, n, data FROM prom_blocks WHERE max_t >= ${from} AND min_t <= ${to}${filter}`,
  );
}

/** A run of one series' samples inside a decoded chunk result: elements [from, to) of `times`/`values`. */
interface Run {
  slot: number;
  times: Float64Array;
  values: Float64Array;
  from: number;
  to: number;
}

/** The runs of decoded blocks (or the head's decoded rows) inside [minMs, maxMs]. */
function chunkRuns(chunk: ChunkRows, slots: Int32Array, minMs: number, maxMs: number): Run[] {
  const runs: Run[] = [];
  const times = chunk.timestampsMs;
  for (let row = 0; row < chunk.count; row++) {
    const slot = slots[chunk.refs[row] ?? 0] ?? -1;
    if (slot < 0) continue;
    const start = chunk.starts[row] ?? 0;
    const end = start + (chunk.lengths[row] ?? 0);
    const from = lowerBound(times, start, end, minMs);
    const to = lowerBound(times, from, end, Math.floor(maxMs) + 1);
    if (to > from) runs.push({ slot, times, values: chunk.values, from, to });
  }
  return runs;
}

/** Where each slot's samples come from: its sample count, and its only run if that is all. */
interface Sources {
  runs: Run[];
  /** Samples per slot, over all runs. */
  counts: Uint32Array;
  /** The slot's chunk run when it has exactly one; undefined otherwise. */
  onlyRun: (Run | undefined)[];
}

function countSources(
  chunks: readonly ChunkRows[],
  slots: Int32Array,
  seriesCount: number,
  minMs: number,
  maxMs: number,
): Sources {
  const runs = chunks.flatMap((chunk) => chunkRuns(chunk, slots, minMs, maxMs));
  const counts = new Uint32Array(seriesCount);
  const runCounts = new Uint32Array(seriesCount);
  const onlyRun: (Run | undefined)[] = new Array<Run | undefined>(seriesCount);
  for (const run of runs) {
    counts[run.slot] = (counts[run.slot] ?? 0) + run.to - run.from;
    runCounts[run.slot] = (runCounts[run.slot] ?? 0) + 1;
    onlyRun[run.slot] = run;
  }
  runCounts.forEach((runCount, slot) => {
    if (runCount !== 1) onlyRun[slot] = undefined;
  });
  return { runs, counts, onlyRun };
}

/** Numbers the buffers a result refers to. */
class BufferList {
  readonly buffers: (SharedArrayBuffer | ArrayBuffer)[] = [];
  private readonly indexes = new Map<SharedArrayBuffer | ArrayBuffer, number>();
  index(buffer: SharedArrayBuffer | ArrayBuffer): number {
    let index = this.indexes.get(buffer);
    if (index === undefined) {
      index = this.buffers.length;
      this.indexes.set(buffer, index);
      this.buffers.push(buffer);
    }
    return index;
  }
}

/**
 * Series matching all matchers with their samples in [minMs, maxMs]. A series in one block or
 * entirely in the head is a view of that decoded result; the rest are packed: block runs, then
 * the head. Per series that is time order, as the ingest only ever appends newer samples and
 * compaction moves the oldest. Nothing is copied to the main thread: the arrays are moved.
 */
export async function selectSeries(
  ctx: SelectContext,
  matchers: readonly SeriesMatcher[],
  minMs: number,
  maxMs: number,
): Promise<SelectedSeries> {
  const fromMs = Math.max(minMs, ctx.index.retentionFloorMs);
  const refs = ctx.index.resolve(matchers).filter((ref) => ctx.index.overlaps(ref, fromMs, maxMs));
  const slots = new Int32Array(ctx.index.nextRef).fill(-1);
  refs.forEach((ref, slot) => (slots[ref] = slot));
  const needsDisk = refs.length > 0 && fromMs <= ctx.blocksNewestMs;
  // Per series its blocks hold older samples than the head, so blocks then head is time order.
  const chunks = needsDisk
    ? await ctx.gate.read(async () => {
        const blocks = await readBlocks(ctx, refs, fromMs, maxMs);
        // No await between reading the blocks and the head: a compaction cannot come between.
        return [...blocks, ctx.head.read(refs, fromMs, maxMs)];
      })
    : [ctx.head.read(refs, fromMs, maxMs)];
  const sources = countSources(chunks, slots, refs.length, fromMs, maxMs);
  const packed = packRuns(refs.length, sources);
  const keep: number[] = [];
  for (let slot = 0; slot < refs.length; slot++) if ((sources.counts[slot] ?? 0) > 0) keep.push(slot);
  const buffers = new BufferList();
  const placement = new Uint32Array(keep.length * 4);
  const counts = new Uint32Array(keep.length);
  keep.forEach((slot, i) => {
    const run = sources.onlyRun[slot];
    if (run) {
      placement.set(
        [buffers.index(run.times.buffer), run.from, buffers.index(run.values.buffer), run.from],
        i * 4,
      );
      counts[i] = run.to - run.from;
    } else {
      const at = packed.offsets[slot] ?? 0;
      placement.set(
        [buffers.index(packed.timestampsMs.buffer), at, buffers.index(packed.values.buffer), at],
        i * 4,
      );
      counts[i] = (packed.offsets[slot + 1] ?? 0) - at;
    }
  });
  return {
    refs: Uint32Array.from(keep, (slot) => refs[slot] ?? 0),
    labels: keep.map((slot) => ctx.index.labelsOf(refs[slot] ?? 0) ?? []),
    placement,
    counts,
    buffers: buffers.buffers,
  };
}

/** Copies the runs of series that have more than one into two fresh arrays, in run order. */
function packRuns(
  seriesCount: number,
  sources: Sources,
): { offsets: Uint32Array; timestampsMs: Float64Array; values: Float64Array } {
  const { counts, onlyRun } = sources;
  const packs = (slot: number): boolean => (counts[slot] ?? 0) > 0 && !onlyRun[slot];
  const offsets = new Uint32Array(seriesCount + 1);
  for (let slot = 0; slot < seriesCount; slot++)
    offsets[slot + 1] = (offsets[slot] ?? 0) + (packs(slot) ? (counts[slot] ?? 0) : 0);
  const total = offsets[seriesCount] ?? 0;
  const timestampsMs = new Float64Array(total);
  const values = new Float64Array(total);
  if (total === 0) return { offsets, timestampsMs, values };
  const cursors = offsets.slice(0, seriesCount);
  for (const run of sources.runs) {
    if (!packs(run.slot)) continue;
    const at = cursors[run.slot] ?? 0;
    timestampsMs.set(run.times.subarray(run.from, run.to), at);
    values.set(run.values.subarray(run.from, run.to), at);
    cursors[run.slot] = at + run.to - run.from;
  }
  return { offsets, timestampsMs, values };
}
