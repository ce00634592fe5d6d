import type { ChunkRows } from './chunk-rows.ts';
import { windowStart } from './compaction-window.ts';
import { grownFrom } from './grown-array.ts';
import { HeadChunkTable, NO_CHUNK } from './head-chunk-table.ts';
import { HeadPages } from './head-pages.ts';
import { decodeSamplesInto, encodeSamplesView } from './sample-codec.ts';

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

/**
 * Raw samples a series keeps before they are encoded. Encoding has a fixed cost of ~2 µs a call,
 * so fewer, larger seals are cheaper; each raw sample costs 16 bytes of every series' slot.
 */
const TAIL_SAMPLES = 32;
/** A series' newest chunk takes in sealed tails up to this many samples (Prometheus cuts at 120). */
const CHUNK_SAMPLES = 128;
/**
 * A series' tail is sealed at TAIL_SAMPLES - (ref & SEAL_SPREAD) samples. Scrapes and remote-write
 * senders move all series in step, so one tail size for all would seal every series in the same
 * write — ~90 ms of encoding for 10k series that holds up that write's acknowledgement; eight
 * sizes spread it over eight writes. (Remote-write throughput did not measurably change either
 * way on this noisy machine; the stall is what it avoids.)
 */
const SEAL_SPREAD = 7;
const INITIAL_REFS = 1024;

/**
 * Every Prometheus sample not yet compacted into `prom_blocks`, in the worker, like Prometheus's
 * head block (docs/adr/0003-prometheus-series.md): the sample WAL (sample-wal.ts) makes it
 * durable and rebuilds it at open, compaction moves its older windows to disk and trims them here.
 *
 * Per series: a raw tail of up to TAIL_SAMPLES, then chunks encoded by the block codec
 * (sample-codec.ts, ~0.2–1.5 bytes a sample) in a linked list, oldest first. A full tail is sealed
 * into the newest chunk (decoded and encoded again with the tail appended) while that stays under
 * CHUNK_SAMPLES and in the same 2 h window, else into a new chunk; so no chunk straddles a
 * compaction window. Reads decode into fresh arrays (`read`).
 */
export class HeadSamples {
  private readonly chunks = new HeadChunkTable();
  private pages = new HeadPages();
  private tailTimesMs = new Float64Array(INITIAL_REFS * TAIL_SAMPLES);
  private tailValues = new Float64Array(INITIAL_REFS * TAIL_SAMPLES);
  private tailCounts = new Uint8Array(INITIAL_REFS);
  private firstChunk = new Int32Array(INITIAL_REFS).fill(NO_CHUNK);
  private lastChunk = new Int32Array(INITIAL_REFS).fill(NO_CHUNK);
  /** Decoded chunk plus tail while sealing. */
  private readonly scratchTimesMs = new Float64Array(CHUNK_SAMPLES + TAIL_SAMPLES);
  private readonly scratchValues = new Float64Array(CHUNK_SAMPLES + TAIL_SAMPLES);
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

  /** Encoded chunks held, and their live bytes: for tests and benchmarks. */
  get chunkStats(): { chunks: number; liveBytes: number; allocatedBytes: number } {
    return {
      chunks: this.chunks.size,
      liveBytes: this.pages.liveBytes,
      allocatedBytes: this.pages.allocatedBytes,
    };
  }

  /** Appends a sample newer than the series' last one. */
  append(ref: number, timeMs: number, value: number): void {
    if (ref >= this.tailCounts.length) this.growRefs(ref + 1);
    let count = this.tailCounts[ref]!;
    const base = ref * TAIL_SAMPLES;
    if (
      count > 0 &&
      (count >= TAIL_SAMPLES - (ref & SEAL_SPREAD) ||
        windowStart(timeMs) !== windowStart(this.tailTimesMs[base]!))
    ) {
      this.seal(ref);
      count = 0;
    }
    this.tailTimesMs[base + count] = timeMs;
    this.tailValues[base + count] = value;
    this.tailCounts[ref] = count + 1;
    this.sampleTotal++;
    if (timeMs > this.newestSampleMs) this.newestSampleMs = timeMs;
    if (timeMs < this.oldestSampleMs) this.oldestSampleMs = timeMs;
  }

  /**
   * The samples of `refs` that may lie in [minMs, maxMs], decoded into one pair of arrays: one row
   * per ref with any, in the order given, holding every chunk that overlaps the range and the tail
   * (callers narrow each row to the range, as they do for blocks).
   */
  read(refs: readonly number[], minMs: number, maxMs: number): ChunkRows {
    let total = 0;
    let rowCount = 0;
    for (const ref of refs) {
      const count = this.overlapCount(ref, minMs, maxMs);
      total += count;
      if (count > 0) rowCount++;
    }
    const rows: ChunkRows = {
      count: rowCount,
      refs: new Uint32Array(rowCount),
      starts: new Uint32Array(rowCount),
      lengths: new Uint32Array(rowCount),
      timestampsMs: new Float64Array(total),
      values: new Float64Array(total),
    };
    let row = 0;
    let at = 0;
    for (const ref of refs) {
      const end = this.decodeOverlap(ref, minMs, maxMs, rows.timestampsMs, rows.values, at);
      if (end === at) continue;
      rows.refs[row] = ref;
      rows.starts[row] = at;
      rows.lengths[row] = end - at;
      row++;
      at = end;
    }
    return rows;
  }

  /** Refs that have samples here, ascending. */
  refs(): number[] {
    const refs: number[] = [];
    for (let ref = 0; ref < this.tailCounts.length; ref++) if (this.has(ref)) refs.push(ref);
    return refs;
  }

  /** Drops every sample before `cutoffMs` (compacted to disk, or past retention). Returns how many. */
  trim(cutoffMs: number): number {
    const before = this.sampleTotal;
    this.oldestSampleMs = Infinity;
    for (let ref = 0; ref < this.tailCounts.length; ref++) {
      if (!this.has(ref)) continue;
      this.trimSeries(ref, cutoffMs);
      const oldest = this.seriesOldestMs(ref);
      if (oldest < this.oldestSampleMs) this.oldestSampleMs = oldest;
    }
    if (this.sampleTotal === 0) this.newestSampleMs = -Infinity;
    if (this.pages.sparse) this.repack();
    return before - this.sampleTotal;
  }

  /** Drops every sample of `ref`; returns how many. */
  drop(ref: number): number {
    if (ref >= this.tailCounts.length) return 0;
    let removed = this.tailCounts[ref]!;
    this.tailCounts[ref] = 0;
    for (let id = this.firstChunk[ref]!; id !== NO_CHUNK;) {
      const next = this.chunks.next[id]!;
      removed += this.releaseChunk(id);
      id = next;
    }
    this.firstChunk[ref] = NO_CHUNK;
    this.lastChunk[ref] = NO_CHUNK;
    this.sampleTotal -= removed;
    return removed;
  }

  private has(ref: number): boolean {
    return this.tailCounts[ref]! > 0 || this.firstChunk[ref]! !== NO_CHUNK;
  }

  private seriesOldestMs(ref: number): number {
    const first = this.firstChunk[ref]!;
    if (first !== NO_CHUNK) return this.chunks.minMs[first]!;
    return this.tailCounts[ref]! > 0 ? this.tailTimesMs[ref * TAIL_SAMPLES]! : Infinity;
  }

  /** Samples `decodeOverlap` would write for `ref`. */
  private overlapCount(ref: number, minMs: number, maxMs: number): number {
    if (ref >= this.tailCounts.length) return 0;
    const chunks = this.chunks;
    let count = 0;
    for (let id = this.firstChunk[ref]!; id !== NO_CHUNK; id = chunks.next[id]!)
      if (chunks.maxMs[id]! >= minMs && chunks.minMs[id]! <= maxMs) count += chunks.sampleCount[id]!;
    return count + (this.tailOverlaps(ref, minMs, maxMs) ? this.tailCounts[ref]! : 0);
  }

  private tailOverlaps(ref: number, minMs: number, maxMs: number): boolean {
    const tail = this.tailCounts[ref]!;
    const base = ref * TAIL_SAMPLES;
    return tail > 0 && this.tailTimesMs[base]! <= maxMs && this.tailTimesMs[base + tail - 1]! >= minMs;
  }

  /** Writes the overlapping chunks and the tail of `ref` from `at`; returns the end. */
  private decodeOverlap(
    ref: number,
    minMs: number,
    maxMs: number,
    timesMs: Float64Array,
    values: Float64Array,
    at: number,
  ): number {
    if (ref >= this.tailCounts.length) return at;
    const chunks = this.chunks;
    let end = at;
    for (let id = this.firstChunk[ref]!; id !== NO_CHUNK; id = chunks.next[id]!)
      if (chunks.maxMs[id]! >= minMs && chunks.minMs[id]! <= maxMs)
        end += this.decodeChunk(id, timesMs, values, end);
    const tail = this.tailCounts[ref]!;
    const base = ref * TAIL_SAMPLES;
    if (this.tailOverlaps(ref, minMs, maxMs)) {
      timesMs.set(this.tailTimesMs.subarray(base, base + tail), end);
      values.set(this.tailValues.subarray(base, base + tail), end);
      end += tail;
    }
    return end;
  }

  private decodeChunk(id: number, timesMs: Float64Array, values: Float64Array, at: number): number {
    const bytes = this.pages.bytesAt(this.chunks.address[id]!, this.chunks.byteLength[id]!);
    return decodeSamplesInto(bytes, timesMs, values, at);
  }

  /** Encodes the tail of `ref` into its newest chunk when that has room in the same window, else a new one. */
  private seal(ref: number): void {
    const tail = this.tailCounts[ref]!;
    const base = ref * TAIL_SAMPLES;
    const chunks = this.chunks;
    const last = this.lastChunk[ref]!;
    let prefix = 0;
    if (
      last !== NO_CHUNK &&
      chunks.sampleCount[last]! + tail <= CHUNK_SAMPLES &&
      windowStart(chunks.minMs[last]!) === windowStart(this.tailTimesMs[base]!)
    )
      prefix = this.decodeChunk(last, this.scratchTimesMs, this.scratchValues, 0);
    this.scratchTimesMs.set(this.tailTimesMs.subarray(base, base + tail), prefix);
    this.scratchValues.set(this.tailValues.subarray(base, base + tail), prefix);
    const id = prefix > 0 ? last : this.appendChunk(ref);
    if (prefix > 0) this.pages.free(chunks.byteLength[id]!);
    const length = prefix + tail;
    this.writeChunk(id, this.scratchTimesMs.subarray(0, length), this.scratchValues.subarray(0, length));
    this.tailCounts[ref] = 0;
    // Each seal into the newest chunk leaves its previous bytes dead: repack once they outweigh the live.
    if (this.pages.sparse) this.repack();
  }

  /** Stores samples (ascending, at least one) as chunk `id`'s contents. */
  private writeChunk(id: number, timesMs: Float64Array, values: Float64Array): void {
    // Head chunks are ≤ 128 samples and re-encoded as they grow: deflate would rarely pay.
    const encoded = encodeSamplesView(timesMs, values, { deflate: false });
    const chunks = this.chunks;
    chunks.address[id] = this.pages.store(encoded);
    chunks.byteLength[id] = encoded.length;
    chunks.sampleCount[id] = timesMs.length;
    chunks.minMs[id] = timesMs[0]!;
    chunks.maxMs[id] = timesMs[timesMs.length - 1]!;
  }

  /** A new chunk at the end of the list of `ref`. */
  private appendChunk(ref: number): number {
    const id = this.chunks.allocate();
    const last = this.lastChunk[ref]!;
    if (last === NO_CHUNK) this.firstChunk[ref] = id;
    else this.chunks.next[last] = id;
    this.lastChunk[ref] = id;
    return id;
  }

  /** Frees a chunk's id and bytes (not its place in a list); returns its sample count. */
  private releaseChunk(id: number): number {
    const count = this.chunks.sampleCount[id]!;
    this.pages.free(this.chunks.byteLength[id]!);
    this.chunks.release(id);
    return count;
  }

  /** Drops the samples of `ref` before `cutoffMs`: whole chunks, then a chunk or tail across it. */
  private trimSeries(ref: number, cutoffMs: number): void {
    const chunks = this.chunks;
    let id = this.firstChunk[ref]!;
    while (id !== NO_CHUNK && chunks.maxMs[id]! < cutoffMs) {
      const next = chunks.next[id]!;
      this.sampleTotal -= this.releaseChunk(id);
      id = next;
    }
    this.firstChunk[ref] = id;
    if (id === NO_CHUNK) this.lastChunk[ref] = NO_CHUNK;
    else if (chunks.minMs[id]! < cutoffMs) this.cutChunk(id, cutoffMs);
    const tail = this.tailCounts[ref]!;
    const base = ref * TAIL_SAMPLES;
    if (id !== NO_CHUNK || tail === 0 || this.tailTimesMs[base]! >= cutoffMs) return;
    // No chunk is left, so the tail may start before the cutoff: keep its newer part.
    const keep = lowerBound(this.tailTimesMs, base, base + tail, cutoffMs);
    const dropped = keep - base;
    this.tailTimesMs.copyWithin(base, keep, base + tail);
    this.tailValues.copyWithin(base, keep, base + tail);
    this.tailCounts[ref] = tail - dropped;
    this.sampleTotal -= dropped;
  }

  /** Re-encodes chunk `id` without its samples before `cutoffMs` (it has some at or after it). */
  private cutChunk(id: number, cutoffMs: number): void {
    const count = this.decodeChunk(id, this.scratchTimesMs, this.scratchValues, 0);
    const from = lowerBound(this.scratchTimesMs, 0, count, cutoffMs);
    this.pages.free(this.chunks.byteLength[id]!);
    this.sampleTotal -= from;
    this.writeChunk(id, this.scratchTimesMs.subarray(from, count), this.scratchValues.subarray(from, count));
  }

  /** Copies every live chunk into fresh pages, letting the old ones (and their dead bytes) go. */
  private repack(): void {
    const old = this.pages;
    const fresh = new HeadPages();
    const chunks = this.chunks;
    for (let ref = 0; ref < this.firstChunk.length; ref++)
      for (let id = this.firstChunk[ref]!; id !== NO_CHUNK; id = chunks.next[id]!)
        chunks.address[id] = fresh.store(old.bytesAt(chunks.address[id]!, chunks.byteLength[id]!));
    this.pages = fresh;
  }

  private growRefs(needed: number): void {
    // 1.5× rather than 2×: every ref costs ~520 bytes of tail, so slack is memory per series.
    const capacity = Math.max(needed, Math.ceil(this.tailCounts.length * 1.5));
    this.tailTimesMs = grownFrom(this.tailTimesMs, new Float64Array(capacity * TAIL_SAMPLES));
    this.tailValues = grownFrom(this.tailValues, new Float64Array(capacity * TAIL_SAMPLES));
    this.tailCounts = grownFrom(this.tailCounts, new Uint8Array(capacity));
    this.firstChunk = grownFrom(this.firstChunk, new Int32Array(capacity).fill(NO_CHUNK));
    this.lastChunk = grownFrom(this.lastChunk, new Int32Array(capacity).fill(NO_CHUNK));
  }
}
