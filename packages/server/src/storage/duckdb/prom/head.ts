import type { Arena, Slice } from './arena.ts';
import { ArenaAllocator } from './arena.ts';

/**
 * One series' recent samples in an arena slice: timestamps at `slice.offset + i`, values at
 * `slice.offset + capacity + i`, for i in [start, end).
 */
interface HeadSeries {
  slice: Slice;
  capacity: number;
  start: number;
  end: number;
}

/** Where a series' samples in a time range lie in shared memory (arena.ts). */
export interface HeadView {
  arena: Arena;
  timesAt: number;
  valuesAt: number;
  count: number;
}

/** First index in [from, to) whose timestamp is >= timeMs. */
export function lowerBound(timestampsMs: Float64Array, from: number, to: number, timeMs: number): number {
  let low = from;
  let high = to;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((timestampsMs[mid] ?? 0) < timeMs) low = mid + 1;
    else high = mid;
  }
  return low;
}

const INITIAL_CAPACITY = 16;

/**
 * Every Prometheus sample not yet compacted into `prom_blocks`, in shared memory in the worker,
 * like Prometheus's head block (docs/adr/0003-prometheus-series.md): the sample WAL
 * (sample-wal.ts) makes it durable and rebuilds it at open, compaction moves its older windows to
 * disk and trims them here. Per series its samples are newer than any of the series' blocks, so a
 * range query reads blocks, then views of this memory instead of copies. Samples are never
 * overwritten once written, which is what makes handing out views safe.
 */
export class HeadSamples {
  private readonly series: (HeadSeries | undefined)[] = [];
  private readonly arenas = new ArenaAllocator();
  private newestSampleMs = -Infinity;
  private oldestSampleMs = Infinity;
  private sampleTotal = 0;

  get sampleCount(): number {
    return this.sampleTotal;
  }

  /** The oldest sample here (Infinity when empty; after a series is dropped it may be older than any left). */
  get oldestMs(): number {
    return this.oldestSampleMs;
  }

  /** The newest sample here (-Infinity when empty). */
  get newestMs(): number {
    return this.newestSampleMs;
  }

  /** Shared memory held, in bytes. */
  get bytes(): number {
    return this.arenas.bytes;
  }

  /** Appends a sample newer than the series' last one. */
  append(ref: number, timeMs: number, value: number): void {
    const series = this.room(ref, 1);
    const data = series.slice.arena.data;
    const at = series.slice.offset + series.end;
    data[at] = timeMs;
    data[at + series.capacity] = value;
    series.end++;
    this.sampleTotal++;
    if (timeMs > this.newestSampleMs) this.newestSampleMs = timeMs;
    if (timeMs < this.oldestSampleMs) this.oldestSampleMs = timeMs;
  }

  /** Where the samples of `ref` in [minMs, maxMs] are; null when it has none here. */
  view(ref: number, minMs: number, maxMs: number): HeadView | null {
    const series = this.series[ref];
    if (!series) return null;
    const data = series.slice.arena.data;
    const base = series.slice.offset;
    const from = lowerBound(data, base + series.start, base + series.end, minMs);
    // Stored timestamps are whole milliseconds: t <= maxMs exactly when t < floor(maxMs) + 1.
    const to = lowerBound(data, from, base + series.end, Math.floor(maxMs) + 1);
    if (from >= to) return null;
    return { arena: series.slice.arena, timesAt: from, valuesAt: from + series.capacity, count: to - from };
  }

  /** Refs that have samples here, ascending. */
  refs(): number[] {
    const refs: number[] = [];
    this.series.forEach((series, ref) => {
      if (series) refs.push(ref);
    });
    return refs;
  }

  /** Drops every sample before `cutoffMs` (compacted to disk, or past retention). Returns how many. */
  trim(cutoffMs: number): number {
    const before = this.sampleTotal;
    this.oldestSampleMs = Infinity;
    this.series.forEach((series, ref) => {
      if (!series) return;
      const data = series.slice.arena.data;
      const base = series.slice.offset;
      const from = lowerBound(data, base + series.start, base + series.end, cutoffMs) - base;
      this.sampleTotal -= from - series.start;
      series.start = from;
      if (series.start === series.end) this.drop(ref);
      else this.oldestSampleMs = Math.min(this.oldestSampleMs, data[base + series.start] ?? Infinity);
    });
    if (this.sampleTotal === 0) this.newestSampleMs = -Infinity;
    return before - this.sampleTotal;
  }

  /** Drops every sample of `ref`; returns how many. */
  drop(ref: number): number {
    const series = this.series[ref];
    if (!series) return 0;
    const count = series.end - series.start;
    this.sampleTotal -= count;
    this.arenas.release(series.slice);
    this.series[ref] = undefined;
    return count;
  }

  /** The series of `ref` with room for `extra` more samples; outgrown slices move, never shrink in place. */
  private room(ref: number, extra: number): HeadSeries {
    const series = this.series[ref];
    if (series && series.end + extra <= series.capacity) return series;
    const live = series ? series.end - series.start : 0;
    const capacity = Math.max(INITIAL_CAPACITY, live * 2, live + extra);
    const slice = this.arenas.allocate(capacity * 2);
    const moved: HeadSeries = { slice, capacity, start: 0, end: live };
    if (series) {
      const data = series.slice.arena.data;
      const from = series.slice.offset + series.start;
      slice.arena.data.set(data.subarray(from, from + live), slice.offset);
      slice.arena.data.set(
        data.subarray(from + series.capacity, from + series.capacity + live),
        slice.offset + capacity,
      );
      this.arenas.release(series.slice);
    }
    this.series[ref] = moved;
    return moved;
  }
}
