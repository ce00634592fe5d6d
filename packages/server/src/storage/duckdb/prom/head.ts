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
 * The newest samples of every series, in shared memory in the worker, like Prometheus's head
 * block (docs/adr/0003-prometheus-series.md). Every sample with a time at or after `startMs` is
 * here as well as on disk, so a range query over recent data gets views of this memory instead of
 * DuckDB rows. It keeps about `rangeMs` behind the newest sample seen; 0 disables it. Samples are
 * never overwritten once written, which is what makes handing out views safe.
 */
export class HeadSamples {
  private readonly series: (HeadSeries | undefined)[] = [];
  private readonly arenas = new ArenaAllocator();
  private newestMs = -Infinity;
  private oldestMs = Infinity;
  private sampleTotal = 0;

  /**
   * @param rangeMs how much time behind the newest sample to keep
   * @param startMs the time from which the head is complete: -Infinity for an empty store
   */
  constructor(
    readonly rangeMs: number,
    public startMs: number,
  ) {
    if (rangeMs <= 0) this.startMs = Infinity;
  }

  get sampleCount(): number {
    return this.sampleTotal;
  }

  /** Shared memory held, in bytes. */
  get bytes(): number {
    return this.arenas.bytes;
  }

  /** Appends a sample newer than the series' last one; samples before `startMs` stay on disk only. */
  append(ref: number, timeMs: number, value: number): void {
    if (timeMs < this.startMs) return;
    const series = this.room(ref, 1);
    const data = series.slice.arena.data;
    const at = series.slice.offset + series.end;
    data[at] = timeMs;
    data[at + series.capacity] = value;
    series.end++;
    this.sampleTotal++;
    if (timeMs > this.newestMs) this.newestMs = timeMs;
    if (timeMs < this.oldestMs) this.oldestMs = timeMs;
  }

  /** Appends a run of samples newer than the series' last one (the load at open). */
  appendMany(ref: number, timestampsMs: Float64Array, values: Float64Array): void {
    const from = lowerBound(timestampsMs, 0, timestampsMs.length, this.startMs);
    const count = timestampsMs.length - from;
    if (count <= 0) return;
    const series = this.room(ref, count);
    const data = series.slice.arena.data;
    const at = series.slice.offset + series.end;
    data.set(timestampsMs.subarray(from), at);
    data.set(values.subarray(from), at + series.capacity);
    series.end += count;
    this.sampleTotal += count;
    this.newestMs = Math.max(this.newestMs, timestampsMs[timestampsMs.length - 1] ?? -Infinity);
    this.oldestMs = Math.min(this.oldestMs, timestampsMs[from] ?? Infinity);
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

  /** Drops samples of about `rangeMs / 4` at a time once the head spans 1.25 × `rangeMs`. */
  trimIfDue(): void {
    if (!Number.isFinite(this.rangeMs) || this.rangeMs <= 0) return;
    if (this.oldestMs < this.newestMs - this.rangeMs * 1.25) this.trim(this.newestMs - this.rangeMs);
  }

  /** Drops every sample before `cutoffMs` (retention, or the head moving on). */
  trim(cutoffMs: number): void {
    this.oldestMs = Infinity;
    this.series.forEach((series, ref) => {
      if (!series) return;
      const data = series.slice.arena.data;
      const base = series.slice.offset;
      const from = lowerBound(data, base + series.start, base + series.end, cutoffMs) - base;
      this.sampleTotal -= from - series.start;
      series.start = from;
      if (series.start === series.end) this.drop(ref);
      else this.oldestMs = Math.min(this.oldestMs, data[base + series.start] ?? Infinity);
    });
    this.startMs = Math.max(this.startMs, cutoffMs);
  }

  drop(ref: number): void {
    const series = this.series[ref];
    if (!series) return;
    this.sampleTotal -= series.end - series.start;
    this.arenas.release(series.slice);
    this.series[ref] = undefined;
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
