import type { DuckDBConnection } from '@duckdb/node-api';
import type { SeriesMatcher } from '../../../model/prom-series.ts';
import type { ChunkRows } from './chunk-rows.ts';
import { readChunkRows } from './chunk-rows.ts';
import type { HeadSamples, HeadView } from './head.ts';
import { lowerBound } from './head.ts';
import type { SeriesIndex } from './series-index.ts';
import type { SelectedSeries } from './protocol.ts';
import type { ReadWriteGate } from './read-write-gate.ts';
import type { SampleRows } from './sample-rows.ts';
import { msLiteral, readSampleRows } from './sample-rows.ts';

/** Up to this many refs go into SQL as `ref IN (…)`; more are filtered in JS while scanning the time range. */
const MAX_IN_LIST = 1_000;

export interface SelectContext {
  index: SeriesIndex;
  head: HeadSamples;
  reader: DuckDBConnection;
  /** Held while reading disk, so a compaction cannot commit between the two queries. */
  gate: ReadWriteGate;
}

function refFilter(refs: readonly number[], index: SeriesIndex): string {
  // Refs are our own integers, safe to inline; a selective list lets DuckDB skip the other rows.
  return refs.length <= MAX_IN_LIST && refs.length * 4 < index.size ? ` AND ref IN (${refs.join(',')})` : '';
}

/** Disk samples of [fromMs, toMs]: compacted chunk rows (which may reach beyond it) and sample rows. */
interface DiskPart {
  fromMs: number;
  toMs: number;
  chunks: ChunkRows[];
  rows: SampleRows[];
}

/**
 * Disk samples for the part of [minMs, maxMs] before the head. The head may move on (trim) while
 * a read is awaited, so the loop reads until the head covers the rest. Returns the parts and the
 * last time they cover (-Infinity when none were needed).
 */
async function readDisk(
  ctx: SelectContext,
  refs: readonly number[],
  minMs: number,
  maxMs: number,
): Promise<{ parts: DiskPart[]; coveredToMs: number }> {
  const parts: DiskPart[] = [];
  let coveredToMs = -Infinity;
  for (;;) {
    const fromMs = coveredToMs === -Infinity ? minMs : coveredToMs + 1;
    const toMs = Math.min(maxMs, ctx.head.startMs - 1);
    if (fromMs > toMs || coveredToMs >= toMs) return { parts, coveredToMs };
    const from = msLiteral(fromMs, 'ceil');
    const to = msLiteral(toMs, 'floor');
    const filter = refFilter(refs, ctx.index);
    const [chunks, rows] = await Promise.all([
      readChunkRows(
        ctx.reader,
        `SELECT ref, n, data FROM prom_blocks WHERE max_t >= ${from} AND min_t <= ${to}${filter}`,
      ),
      readSampleRows(
        ctx.reader,
        `SELECT ref, t, v FROM prom_samples WHERE t BETWEEN ${from} AND ${to}${filter}`,
      ),
    ]);
    parts.push({ fromMs, toMs, chunks, rows });
    coveredToMs = Math.floor(toMs);
  }
}

/** A run of one series' samples inside a decoded chunk result: elements [from, to) of `times`/`values`. */
interface Run {
  slot: number;
  times: Float64Array;
  values: Float64Array;
  from: number;
  to: number;
}

/** The runs of decoded blocks inside [minMs, maxMs]. */
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

/** Where each slot's samples come from: counts per source, and its only chunk run if that is all. */
interface Sources {
  runs: Run[];
  rows: SampleRows[];
  /** Samples per slot from disk (runs and rows). */
  diskCounts: Uint32Array;
  /** The slot's chunk run when it has exactly one and no rows; undefined otherwise. */
  onlyRun: (Run | undefined)[];
}

function countSources(parts: readonly DiskPart[], slots: Int32Array, seriesCount: number): Sources {
  const runs = parts.flatMap((part) =>
    part.chunks.flatMap((chunk) => chunkRuns(chunk, slots, part.fromMs, part.toMs)),
  );
  const rows = parts.flatMap((part) => part.rows);
  const diskCounts = new Uint32Array(seriesCount);
  const runCounts = new Uint32Array(seriesCount);
  const onlyRun: (Run | undefined)[] = new Array<Run | undefined>(seriesCount);
  for (const run of runs) {
    diskCounts[run.slot] = (diskCounts[run.slot] ?? 0) + run.to - run.from;
    runCounts[run.slot] = (runCounts[run.slot] ?? 0) + 1;
    onlyRun[run.slot] = run;
  }
  for (const chunk of rows) {
    for (let i = 0; i < chunk.count; i++) {
      const slot = slots[chunk.refs[i] ?? 0] ?? -1;
      if (slot >= 0) diskCounts[slot] = (diskCounts[slot] ?? 0) + 1;
    }
  }
  runCounts.forEach((runCount, slot) => {
    const run = onlyRun[slot];
    if (runCount !== 1 || (run && diskCounts[slot] !== run.to - run.from)) onlyRun[slot] = undefined;
  });
  return { runs, rows, diskCounts, onlyRun };
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
 * Series matching all matchers with their samples in [minMs, maxMs]. A series entirely in the
 * head is a view of its shared memory, one entirely in one chunk row a view of the DuckDB result;
 * the rest are packed: chunk runs, sample rows before the head, then the head. Per series that is
 * time order, as the ingest only ever appends newer samples. Nothing is copied to the main thread.
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
  const needsDisk = refs.length > 0 && fromMs < ctx.head.startMs;
  const disk = needsDisk
    ? await ctx.gate.read(() => readDisk(ctx, refs, fromMs, maxMs))
    : { parts: [], coveredToMs: -Infinity };
  const sources = countSources(disk.parts, slots, refs.length);
  // No await from here on: the head is read in one piece.
  const headFromMs = Math.max(fromMs, disk.coveredToMs + 1);
  const views = refs.map((ref) => ctx.head.view(ref, headFromMs, maxMs));
  const packed = packDisk(refs.length, sources, views, slots);
  const keep: number[] = [];
  for (let slot = 0; slot < refs.length; slot++)
    if ((sources.diskCounts[slot] ?? 0) > 0 || views[slot]) keep.push(slot);
  const buffers = new BufferList();
  const placement = new Uint32Array(keep.length * 4);
  const counts = new Uint32Array(keep.length);
  keep.forEach((slot, i) => {
    const view = views[slot];
    const run = sources.onlyRun[slot];
    const diskCount = sources.diskCounts[slot] ?? 0;
    if (diskCount === 0 && view) {
      const arena = buffers.index(view.arena.buffer);
      placement.set([arena, view.timesAt, arena, view.valuesAt], i * 4);
      counts[i] = view.count;
    } else if (run && !view) {
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

/**
 * Copies the samples of series that need it into two fresh arrays: disk chunk runs, disk rows,
 * then their head part. Series entirely in the head or in one chunk run are left to views.
 */
function packDisk(
  seriesCount: number,
  sources: Sources,
  views: readonly (HeadView | null)[],
  slots: Int32Array,
): { offsets: Uint32Array; timestampsMs: Float64Array; values: Float64Array } {
  const { diskCounts, onlyRun } = sources;
  const packs = (slot: number): boolean => (diskCounts[slot] ?? 0) > 0 && !(onlyRun[slot] && !views[slot]);
  const offsets = new Uint32Array(seriesCount + 1);
  for (let slot = 0; slot < seriesCount; slot++) {
    const size = packs(slot) ? (diskCounts[slot] ?? 0) + (views[slot]?.count ?? 0) : 0;
    offsets[slot + 1] = (offsets[slot] ?? 0) + size;
  }
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
  for (const chunk of sources.rows) {
    for (let i = 0; i < chunk.count; i++) {
      const slot = slots[chunk.refs[i] ?? 0] ?? -1;
      if (slot < 0) continue;
      const at = cursors[slot] ?? 0;
      cursors[slot] = at + 1;
      timestampsMs[at] = chunk.timestampsMs[i] ?? 0;
      values[at] = chunk.values[i] ?? NaN;
    }
  }
  for (let slot = 0; slot < seriesCount; slot++) {
    if (!packs(slot)) continue;
    const at = cursors[slot] ?? 0;
    sortRange(timestampsMs, values, offsets[slot] ?? 0, at);
    const view = views[slot];
    if (!view) continue;
    const data = view.arena.data;
    timestampsMs.set(data.subarray(view.timesAt, view.timesAt + view.count), at);
    values.set(data.subarray(view.valuesAt, view.valuesAt + view.count), at);
  }
  return { offsets, timestampsMs, values };
}

/**
 * Sorts one series' disk samples by time when they are not (DuckDB returns rows in insertion
 * order, and the ingest only appends newer samples, so this is a safety net, not a hot path).
 */
function sortRange(timestampsMs: Float64Array, values: Float64Array, from: number, to: number): void {
  let ascending = true;
  for (let i = from + 1; i < to && ascending; i++)
    ascending = (timestampsMs[i] ?? 0) > (timestampsMs[i - 1] ?? 0);
  if (ascending) return;
  const order = Array.from({ length: to - from }, (_, i) => from + i).sort(
    (a, b) => (timestampsMs[a] ?? 0) - (timestampsMs[b] ?? 0),
  );
  const sortedTimes = Float64Array.from(order, (i) => timestampsMs[i] ?? 0);
  const sortedValues = new Float64Array(order.length);
  order.forEach((source, i) => (sortedValues[i] = values[source] ?? NaN));
  timestampsMs.set(sortedTimes, from);
  values.set(sortedValues, from);
}
