/**
 * Bytes of the head's sealed chunks (head.ts): a bump allocator over fixed pages, so 10k series'
 * chunks are a few buffers rather than an object and a backing store each. Freed bytes are only
 * counted; the head copies its live chunks into fresh pages (`HeadSamples.repack`) once the dead
 * ones outweigh them, which bounds the pages at about twice the live bytes.
 */

/** Bytes per page: a chunk never crosses one, and ~10 encoded chunks per series fit many series. */
export const PAGE_BYTES = 1 << 18;

/** An address is `page * PAGE_BYTES + offset`: 2^32 bytes of pages fit a uint32. */
const MAX_PAGES = 2 ** 32 / PAGE_BYTES;

export class HeadPages {
  private readonly pages: Uint8Array[] = [];
  private used = PAGE_BYTES;
  private live = 0;

  /** Bytes of the chunks stored and not freed. */
  get liveBytes(): number {
    return this.live;
  }

  /** Bytes of every page held. */
  get allocatedBytes(): number {
    return this.pages.length * PAGE_BYTES;
  }

  /** Copies `bytes` in; returns their address. */
  store(bytes: Uint8Array): number {
    const length = bytes.length;
    if (length > PAGE_BYTES) throw new RangeError(`a head chunk of ${length} bytes does not fit a page`);
    if (this.used + length > PAGE_BYTES) {
      if (this.pages.length >= MAX_PAGES) throw new RangeError('the head holds 4 GiB of chunks');
      this.pages.push(new Uint8Array(PAGE_BYTES));
      this.used = 0;
    }
    const page = this.pages.length - 1;
    this.pages[page]!.set(bytes, this.used);
    const address = page * PAGE_BYTES + this.used;
    this.used += length;
    this.live += length;
    return address;
  }

  /** The `length` bytes at `address`, as a view (valid until the pages are replaced). */
  bytesAt(address: number, length: number): Uint8Array {
    const page = Math.floor(address / PAGE_BYTES);
    const offset = address - page * PAGE_BYTES;
    const data = this.pages[page];
    if (!data || offset + length > PAGE_BYTES) throw new RangeError('head chunk address out of range');
    return data.subarray(offset, offset + length);
  }

  /** Marks `length` bytes dead; they are reclaimed when the head repacks. */
  free(length: number): void {
    this.live -= length;
  }

  /** Whether copying the live chunks to fresh pages would give back at least half of what is held. */
  get sparse(): boolean {
    return this.allocatedBytes > 2 * this.live + 2 * PAGE_BYTES;
  }
}
