import { Buffer } from 'node:buffer';
import type { PromLabels } from '../../../model/prom-series.ts';

interface Entry {
  offset: number;
  length: number;
  labels: PromLabels;
  /** The cache's generation when stored: entries of an earlier one point into a dropped arena. */
  generation: number;
  /** The entry that followed this one in the last request where both were hits. */
  next: Entry | null;
}

/**
 * Where one request's lookups are: senders send a shard's series in the same order every time,
 * so the entry after the previous hit is tried first, before hashing.
 */
export interface LabelSetCursor {
  previous: Entry | null;
}

const INITIAL_ARENA_BYTES = 1 << 20;
/** Below this many bytes a JS loop compares faster than the native call. */
const NATIVE_COMPARE_BYTES = 24;

/**
 * Label sets by their wire bytes. Senders repeat every series' labels byte for byte in every
 * request (one sample per series per request), so decoding the same UTF-8 strings and building the
 * same Map again is most of a request's cost. A hit returns the same immutable labels object,
 * which later stages cache by identity (the store's wire ids). Keys are kept in one byte arena
 * (no object per key); a hash picks the bucket, or the order of the previous request guesses
 * (LabelSetCursor), and the bytes are always compared in full.
 *
 * Bounded: when the entry count or arena would pass its limit the cache starts over empty, which
 * costs one slow decode per series and never a wrong answer.
 */
export class LabelSetCache {
  private readonly buckets = new Map<number, Entry | Entry[]>();
  private arena = Buffer.alloc(INITIAL_ARENA_BYTES);
  private arenaUsed = 0;
  private entries = 0;
  private generation = 0;

  constructor(
    private readonly maxEntries = 2_000_000,
    private readonly maxArenaBytes = 256 * 1024 * 1024,
  ) {}

  get size(): number {
    return this.entries;
  }

  get(buf: Uint8Array, start: number, end: number, cursor?: LabelSetCursor): PromLabels | undefined {
    const previous = cursor?.previous;
    const guess = previous?.generation === this.generation ? previous.next : null;
    if (guess && guess.generation === this.generation && this.same(guess, buf, start, end)) {
      if (cursor) cursor.previous = guess;
      return guess.labels;
    }
    const entry = this.find(buf, start, end);
    if (cursor) {
      if (previous && entry) previous.next = entry;
      cursor.previous = entry ?? null;
    }
    return entry?.labels;
  }

  private find(buf: Uint8Array, start: number, end: number): Entry | undefined {
    const found = this.buckets.get(hashBytes(buf, start, end));
    if (found === undefined) return undefined;
    if (!Array.isArray(found)) return this.same(found, buf, start, end) ? found : undefined;
    for (const entry of found) if (this.same(entry, buf, start, end)) return entry;
    return undefined;
  }

  /** Remembers valid labels for the bytes `buf[start, end)` (callers check validity first). */
  set(buf: Uint8Array, start: number, end: number, labels: PromLabels): void {
    const length = end - start;
    if (length > this.maxArenaBytes) return;
    if (this.entries >= this.maxEntries || this.arenaUsed + length > this.maxArenaBytes) this.clear();
    if (this.arenaUsed + length > this.arena.length) this.growArena(this.arenaUsed + length);
    this.arena.set(buf.subarray(start, end), this.arenaUsed);
    const entry: Entry = { offset: this.arenaUsed, length, labels, generation: this.generation, next: null };
    this.arenaUsed += length;
    this.entries++;
    const hash = hashBytes(buf, start, end);
    const found = this.buckets.get(hash);
    if (found === undefined) this.buckets.set(hash, entry);
    else if (Array.isArray(found)) found.push(entry);
    else this.buckets.set(hash, [found, entry]);
  }

  clear(): void {
    this.generation++;
    this.buckets.clear();
    this.arena = Buffer.alloc(INITIAL_ARENA_BYTES);
    this.arenaUsed = 0;
    this.entries = 0;
  }

  private same(entry: Entry, buf: Uint8Array, start: number, end: number): boolean {
    if (entry.length !== end - start) return false;
    const arena = this.arena;
    if (entry.length >= NATIVE_COMPARE_BYTES)
      return arena.compare(buf, start, end, entry.offset, entry.offset + entry.length) === 0;
    for (let i = 0; i < entry.length; i++) if (arena[entry.offset + i] !== buf[start + i]) return false;
    return true;
  }

  private growArena(minBytes: number): void {
    let size = this.arena.length * 2;
    while (size < minBytes) size *= 2;
    const grown = Buffer.alloc(Math.min(size, this.maxArenaBytes));
    grown.set(this.arena.subarray(0, this.arenaUsed));
    this.arena = grown;
  }
}

/** FNV-1a over 32-bit words (then the tail's bytes), seeded with the length: 4× fewer multiplies. */
function hashBytes(buf: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5 ^ (end - start);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const word = buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24);
    hash = Math.imul(hash ^ word, 0x01000193);
  }
  for (; i < end; i++) hash = Math.imul(hash ^ buf[i]!, 0x01000193);
  return (hash ^ (hash >>> 15)) >>> 0;
}
