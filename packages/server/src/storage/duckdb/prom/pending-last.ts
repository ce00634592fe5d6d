/**
 * Each series' newest sample so far in one group commit (ingest.ts prepareSamples), in typed
 * arrays indexed by ref and reused across groups: an object and a Map entry per series per
 * write made ~100 bytes of garbage a sample, which outlived the young generation (a group spans
 * its commit and fsync) and grew the worker's old generation by 100+ MiB at 100k series.
 *
 * The value is kept as (write, sample) rather than read out: read back from a typed array a
 * stale marker keeps its NaN payload, so a repeated one compares equal to itself.
 */
import { grownFrom } from './grown-array.ts';

const INITIAL_REFS = 1024;
/** `write` of a series whose newest sample is the stored one (the index's last value array). */
export const STORED = -1;

export class PendingLast {
  private stamps = new Uint32Array(INITIAL_REFS);
  private times = new Float64Array(INITIAL_REFS);
  private writes = new Int32Array(INITIAL_REFS);
  private samples = new Int32Array(INITIAL_REFS);
  private group = 0;

  /** Starts a group: nothing is pending. */
  begin(): void {
    this.group++;
    if (this.group === 0xffffffff) {
      this.stamps.fill(0);
      this.group = 1;
    }
  }

  has(ref: number): boolean {
    return ref < this.stamps.length && this.stamps[ref] === this.group;
  }

  timeMs(ref: number): number {
    return this.times[ref]!;
  }

  /** Index of the write holding the newest value, or STORED. */
  writeOf(ref: number): number {
    return this.writes[ref]!;
  }

  /** Index of the newest value in its write's values (or the ref, for STORED). */
  sampleOf(ref: number): number {
    return this.samples[ref]!;
  }

  set(ref: number, timeMs: number, write: number, sample: number): void {
    if (ref >= this.stamps.length) this.grow(ref + 1);
    this.stamps[ref] = this.group;
    this.times[ref] = timeMs;
    this.writes[ref] = write;
    this.samples[ref] = sample;
  }

  private grow(needed: number): void {
    const capacity = Math.max(needed, Math.ceil(this.stamps.length * 1.5));
    this.stamps = grownFrom(this.stamps, new Uint32Array(capacity));
    this.times = grownFrom(this.times, new Float64Array(capacity));
    this.writes = grownFrom(this.writes, new Int32Array(capacity));
    this.samples = grownFrom(this.samples, new Int32Array(capacity));
  }
}
