/**
 * Direct-mapped intern tables for short byte strings. OTLP batches repeat the same attribute keys,
 * span names, service and model names and trace ids thousands of times; creating a JS string costs
 * ~100 ns while hashing and comparing 20 bytes costs a fraction of that (DESIGN.md, "Measured": half
 * of decode time is string creation). Each table has a fixed number of slots whose bytes live in
 * one preallocated arena, so memory stays bounded whatever the input and a miss allocates nothing
 * but the new string: a colliding string simply replaces the slot's previous entry.
 */
const SLOT_BITS = 12;
const SLOT_COUNT = 1 << SLOT_BITS;
const SLOT_MASK = SLOT_COUNT - 1;
/** Longer strings are rarely repeated (messages, URLs with ids) and are decoded directly. */
const MAX_INTERNED_BYTES = 48;

class InternTable {
  private readonly arena = new Uint8Array(SLOT_COUNT * MAX_INTERNED_BYTES);
  /** Byte length of each slot's entry; -1 while the slot is empty. */
  private readonly lengths = new Int32Array(SLOT_COUNT).fill(-1);
  private readonly strings = new Array<string>(SLOT_COUNT).fill('');

  constructor(private readonly encoding: 'utf8' | 'hex') {}

  lookup(buf: Buffer, start: number, end: number): string {
    const length = end - start;
    // FNV-1a over the bytes, seeded with the length.
    let hash = 0x811c9dc5 ^ length;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ buf[i]!, 0x01000193);
    const slot = (hash ^ (hash >>> 15)) & SLOT_MASK;
    const arena = this.arena;
    const base = slot * MAX_INTERNED_BYTES;
    if (this.lengths[slot] === length) {
      let same = true;
      for (let i = 0; i < length; i++) {
        if (arena[base + i] !== buf[start + i]) {
          same = false;
          break;
        }
      }
      if (same) return this.strings[slot]!;
    }
    const value = buf.toString(this.encoding, start, end);
    for (let i = 0; i < length; i++) arena[base + i] = buf[start + i]!;
    this.lengths[slot] = length;
    this.strings[slot] = value;
    return value;
  }
}

const utf8Table = new InternTable('utf8');
const hexTable = new InternTable('hex');

/** UTF-8 text of `buf[start, end)`, shared with earlier identical strings when short. */
export function internString(buf: Buffer, start: number, end: number): string {
  if (start === end) return '';
  if (end - start > MAX_INTERNED_BYTES) return buf.toString('utf8', start, end);
  return utf8Table.lookup(buf, start, end);
}

/** Lowercase hex of `buf[start, end)` (trace ids, ≤ 48 bytes), shared with earlier identical ids. */
export function internHex(buf: Buffer, start: number, end: number): string {
  return hexTable.lookup(buf, start, end);
}
