/**
 * Shared memory for the head's samples. A select hands the main thread views into these
 * SharedArrayBuffers instead of copies: copying 4.8M samples (10k series × 2 h at 15 s) into fresh
 * arrays cost ~100 ms in page faults alone. Views stay valid because nothing written is ever
 * overwritten: a series appends past the samples any view covers, and moves to a new slice when
 * it outgrows its own (docs/adr/0003-prometheus-series.md, "Head").
 */

/** Float64 elements per arena (8 MiB): small enough that a few long-lived slices pin little. */
const ARENA_ELEMENTS = 1 << 20;

export interface Arena {
  readonly id: number;
  readonly buffer: SharedArrayBuffer;
  readonly data: Float64Array;
  used: number;
  /** Elements of slices still in use; at 0 the arena is forgotten (GC frees it once no view holds it). */
  live: number;
}

/** `length` elements of an arena from `offset`. */
export interface Slice {
  readonly arena: Arena;
  readonly offset: number;
  readonly length: number;
}

/** A bump allocator over SharedArrayBuffer arenas; slices are released whole, arenas when empty. */
export class ArenaAllocator {
  private readonly arenas = new Map<number, Arena>();
  private current: Arena | null = null;
  private nextId = 0;

  allocate(length: number): Slice {
    let arena = this.current;
    if (!arena || arena.data.length - arena.used < length) {
      if (arena && arena.live === 0) this.arenas.delete(arena.id);
      arena = this.newArena(Math.max(ARENA_ELEMENTS, length));
      this.current = arena;
    }
    const slice = { arena, offset: arena.used, length };
    arena.used += length;
    arena.live += length;
    return slice;
  }

  release(slice: Slice): void {
    const arena = slice.arena;
    arena.live -= slice.length;
    if (arena.live === 0 && arena !== this.current) this.arenas.delete(arena.id);
  }

  /** Bytes held by arenas that still have live slices. */
  get bytes(): number {
    let bytes = 0;
    for (const arena of this.arenas.values()) bytes += arena.buffer.byteLength;
    return bytes;
  }

  private newArena(length: number): Arena {
    const buffer = new SharedArrayBuffer(length * 8);
    const arena = { id: this.nextId++, buffer, data: new Float64Array(buffer), used: 0, live: 0 };
    this.arenas.set(arena.id, arena);
    return arena;
  }
}
