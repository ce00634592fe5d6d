/**
 * The head's sealed chunks as columns indexed by chunk id (head.ts): ~30 bytes a chunk in a few
 * typed arrays instead of an object each. Freed ids are reused through a free list threaded
 * through `next`.
 */

import { grownFrom } from './grown-array.ts';

const INITIAL_CHUNKS = 1024;
export const NO_CHUNK = -1;

export class HeadChunkTable {
  /** Where the encoded bytes are in the pages (head-pages.ts). */
  address = new Uint32Array(INITIAL_CHUNKS);
  byteLength = new Uint32Array(INITIAL_CHUNKS);
  sampleCount = new Uint16Array(INITIAL_CHUNKS);
  minMs = new Float64Array(INITIAL_CHUNKS);
  maxMs = new Float64Array(INITIAL_CHUNKS);
  /** The series' next (newer) chunk, NO_CHUNK after its last; for a free id, the next free one. */
  next = new Int32Array(INITIAL_CHUNKS).fill(NO_CHUNK);
  private freeHead = NO_CHUNK;
  private nextUnused = 0;
  private inUse = 0;

  /** Chunks held. */
  get size(): number {
    return this.inUse;
  }

  /** A fresh id with `next` = NO_CHUNK; the caller sets the other fields. */
  allocate(): number {
    this.inUse++;
    let id = this.freeHead;
    if (id !== NO_CHUNK) this.freeHead = this.next[id] ?? NO_CHUNK;
    else {
      id = this.nextUnused++;
      if (id >= this.address.length) this.grow(this.address.length * 2);
    }
    this.next[id] = NO_CHUNK;
    return id;
  }

  release(id: number): void {
    this.inUse--;
    this.next[id] = this.freeHead;
    this.freeHead = id;
  }

  private grow(capacity: number): void {
    this.address = grownFrom(this.address, new Uint32Array(capacity));
    this.byteLength = grownFrom(this.byteLength, new Uint32Array(capacity));
    this.sampleCount = grownFrom(this.sampleCount, new Uint16Array(capacity));
    this.minMs = grownFrom(this.minMs, new Float64Array(capacity));
    this.maxMs = grownFrom(this.maxMs, new Float64Array(capacity));
    this.next = grownFrom(this.next, new Int32Array(capacity).fill(NO_CHUNK));
  }
}
