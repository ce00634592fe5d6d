/**
 * Writes columnar arrays straight into DuckDB vectors through the C API bindings. The node-api
 * vector classes build one JS value object per row (a map is a list of struct values) and copy
 * every string with its own native call; that was ~80% of the worker's time at 30k spans/s.
 * Here fixed-width data is one memcpy per vector, and a string is copied into the vector once per
 * vector: repeated strings reuse its 16-byte `string_t`, short ASCII ones are inlined from JS.
 *
 * `duckdb_vector_get_data` hands back a copy, not a view, so every vector is filled in a JS buffer
 * and copied in with `copy_data_to_vector` (and `copy_data_to_vector_validity` for NULLs).
 */
import duckdb from '@duckdb/node-bindings';
import type { Vector } from '@duckdb/node-bindings';

/** A selection of source rows: `indices[i]` when given, else `start + i`. */
export interface Selection {
  readonly count: number;
  readonly start: number;
  readonly indices: Int32Array | null;
}

export function contiguous(start: number, count: number): Selection {
  return { count, start, indices: null };
}

function at(selection: Selection, i: number): number {
  return selection.indices === null ? selection.start + i : (selection.indices[i] ?? 0);
}

type Typed =
  BigInt64Array | BigUint64Array | Float64Array | Int32Array | Uint32Array | Uint16Array | Uint8Array;

function copyIn(vector: Vector, data: Typed): void {
  duckdb.copy_data_to_vector(vector, 0, data.buffer as ArrayBuffer, data.byteOffset, data.byteLength);
}

/** Copies the selected elements of `source`; a contiguous selection is copied without a JS loop. */
export function writeFixed(vector: Vector, source: Typed, selection: Selection): void {
  const { count, start, indices } = selection;
  if (indices === null) {
    copyIn(vector, source.subarray(start, start + count));
    return;
  }
  const out = new (source.constructor as new (length: number) => Typed)(count);
  for (let i = 0; i < count; i++) out[i] = source[indices[i] ?? 0] as never;
  copyIn(vector, out);
}

/** Narrows doubles to the vector's unsigned integer width (UTINYINT/USMALLINT/UINTEGER columns). */
export function writeNarrowed(
  vector: Vector,
  source: Float64Array,
  selection: Selection,
  bytes: 1 | 2 | 4,
): void {
  const out =
    bytes === 1
      ? new Uint8Array(selection.count)
      : bytes === 2
        ? new Uint16Array(selection.count)
        : new Uint32Array(selection.count);
  for (let i = 0; i < selection.count; i++) out[i] = source[at(selection, i)] ?? 0;
  copyIn(vector, out);
}

/** Copies elements of `width` uint32 words (UBIGINT 2, UHUGEINT 4: little-endian, low word first). */
export function writeWords(vector: Vector, source: Uint32Array, width: number, selection: Selection): void {
  const { count, start, indices } = selection;
  if (indices === null) {
    copyIn(vector, source.subarray(start * width, (start + count) * width));
    return;
  }
  const out = new Uint32Array(count * width);
  for (let i = 0; i < count; i++) {
    const from = (indices[i] ?? 0) * width;
    for (let word = 0; word < width; word++) out[i * width + word] = source[from + word] ?? 0;
  }
  copyIn(vector, out);
}

/** Marks NULL rows: `isNull(i)` for the i-th selected row. Writes nothing when every row is valid. */
export function writeValidity(vector: Vector, count: number, isNull: (i: number) => boolean): void {
  let mask: Uint8Array | null = null;
  for (let i = 0; i < count; i++) {
    if (!isNull(i)) continue;
    // DuckDB's validity mask: uint64 words, bit i%64 of word i/64; little-endian bytes.
    mask ??= new Uint8Array(Math.ceil(count / 64) * 8).fill(0xff);
    mask[i >> 3] = (mask[i >> 3] ?? 0) & ~(1 << (i & 7));
  }
  if (mask === null) return;
  duckdb.vector_ensure_validity_writable(vector);
  duckdb.copy_data_to_vector_validity(
    vector,
    0,
    mask.buffer as ArrayBuffer,
    mask.byteOffset,
    mask.byteLength,
  );
}

export function writeNullFlags(vector: Vector, nulls: Uint8Array | null, selection: Selection): void {
  if (nulls !== null) writeValidity(vector, selection.count, (i) => nulls[at(selection, i)] === 1);
}

const STRING_T_BYTES = 16;
const INLINE_BYTES = 12;
/** Marks a string that is not inlined (longer than 12 bytes or not ASCII). */
const NOT_INLINE = 0xffffffff;

/**
 * A batch's string table (columnar.ts) with each string's inline `string_t` precomputed: a string
 * of at most 12 bytes is stored in the vector itself as {uint32 length, bytes, zero padding}.
 */
export class StringPool {
  private readonly inline: Uint32Array;
  /** Per code: the generation (one per vector written) in which `slots` holds its first row. */
  private readonly stamps: Int32Array;
  private readonly slots: Int32Array;
  private generation = 0;

  constructor(readonly strings: readonly string[]) {
    this.inline = new Uint32Array(strings.length * 4);
    const bytes = new Uint8Array(this.inline.buffer);
    strings.forEach((value, code) => {
      if (!inlineAscii(bytes, code * STRING_T_BYTES + 4, value)) this.inline[code * 4] = NOT_INLINE;
      else this.inline[code * 4] = value.length;
    });
    this.stamps = new Int32Array(strings.length);
    this.slots = new Int32Array(strings.length);
  }

  /**
   * Fills a VARCHAR vector with the selected codes (-1 is NULL). Each distinct string is stored
   * once per vector; later rows copy its `string_t` (length, prefix, pointer into the vector's own
   * string heap), the way DuckDB's dictionary vectors share strings.
   */
  write(vector: Vector, codes: Int32Array, selection: Selection): void {
    const { count } = selection;
    const words = new Uint32Array(count * 4);
    const generation = ++this.generation;
    const assigned: number[] = [];
    let hasNull = false;
    for (let i = 0; i < count; i++) {
      const code = codes[at(selection, i)] ?? -1;
      if (code < 0) {
        hasNull = true;
        continue;
      }
      if (this.stamps[code] === generation) {
        copyStringT(words, i, words, this.slots[code] ?? 0);
        continue;
      }
      this.stamps[code] = generation;
      this.slots[code] = i;
      if (this.inline[code * 4] !== NOT_INLINE) copyStringT(words, i, this.inline, code);
      else {
        duckdb.vector_assign_string_element(vector, i, this.strings[code] ?? '');
        assigned.push(i);
      }
    }
    if (assigned.length > 0) this.fixAssigned(vector, words, codes, selection, assigned);
    copyIn(vector, words);
    if (hasNull) writeValidity(vector, count, (i) => (codes[at(selection, i)] ?? -1) < 0);
  }

  /** Copies the `string_t`s DuckDB made for assigned strings over their slots and their copies. */
  private fixAssigned(
    vector: Vector,
    words: Uint32Array,
    codes: Int32Array,
    selection: Selection,
    assigned: number[],
  ): void {
    const stored = new Uint32Array(duckdb.vector_get_data(vector, words.byteLength).slice().buffer);
    for (const slot of assigned) copyStringT(words, slot, stored, slot);
    const generation = this.generation;
    for (let i = 0; i < selection.count; i++) {
      const code = codes[at(selection, i)] ?? -1;
      if (code >= 0 && this.stamps[code] === generation && this.inline[code * 4] === NOT_INLINE) {
        copyStringT(words, i, words, this.slots[code] ?? 0);
      }
    }
  }
}

function copyStringT(to: Uint32Array, toSlot: number, from: Uint32Array, fromSlot: number): void {
  const t = toSlot * 4;
  const f = fromSlot * 4;
  to[t] = from[f] ?? 0;
  to[t + 1] = from[f + 1] ?? 0;
  to[t + 2] = from[f + 2] ?? 0;
  to[t + 3] = from[f + 3] ?? 0;
}

/** Writes an ASCII string of at most 12 characters at `offset`; false (writing nothing) otherwise. */
function inlineAscii(bytes: Uint8Array, offset: number, value: string): boolean {
  if (value.length > INLINE_BYTES) return false;
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) >= 0x80) return false;
  for (let i = 0; i < value.length; i++) bytes[offset + i] = value.charCodeAt(i);
  return true;
}

/**
 * Sets a LIST (or MAP) vector's entries from per-row offsets (`offsets[row]..offsets[row+1]`) and
 * sizes its child vector. Returns the selection of child elements, in the order they now occupy.
 * `rowIsNull(row)` marks NULL rows (a MAP row with no entries, a list that was absent).
 */
export function writeListEntries(
  vector: Vector,
  offsets: Uint32Array,
  selection: Selection,
  rowIsNull: (row: number) => boolean,
): Selection {
  const count = selection.count;
  const entries = new BigUint64Array(count * 2);
  let total = 0;
  for (let i = 0; i < count; i++) {
    const row = at(selection, i);
    const length = (offsets[row + 1] ?? 0) - (offsets[row] ?? 0);
    entries[2 * i] = BigInt(total);
    entries[2 * i + 1] = BigInt(length);
    total += length;
  }
  copyIn(vector, entries);
  writeValidity(vector, count, (i) => rowIsNull(at(selection, i)));
  duckdb.list_vector_reserve(vector, total);
  duckdb.list_vector_set_size(vector, total);
  return childSelection(offsets, selection, total);
}

function childSelection(offsets: Uint32Array, selection: Selection, total: number): Selection {
  if (selection.indices === null) return contiguous(offsets[selection.start] ?? 0, total);
  const indices = new Int32Array(total);
  let next = 0;
  for (const row of selection.indices) {
    for (let element = offsets[row] ?? 0; element < (offsets[row + 1] ?? 0); element++)
      indices[next++] = element;
  }
  return { count: total, start: 0, indices };
}

export function listChild(vector: Vector): Vector {
  return duckdb.list_vector_get_child(vector);
}

export function structChild(vector: Vector, index: number): Vector {
  return duckdb.struct_vector_get_child(vector, index);
}
