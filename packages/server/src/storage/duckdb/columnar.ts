/**
 * The columnar form a batch crosses the thread boundary in. Structured-cloning Span objects is
 * expensive (every Map, bigint and nested object is walked); one array per column, typed arrays for
 * numbers and transferred ArrayBuffers cost a fraction of that. Strings travel once per batch in
 * `strings` and columns hold codes into it: a 1,000-span batch repeats the same few dozen keys,
 * names and values ~20,000 times, and cloning each occurrence was the main thread's third-largest
 * cost. Column order is the table's order (schema.ts), so the worker appends positionally.
 */
export type Column =
  | { kind: 'int64'; values: BigInt64Array | BigUint64Array; nulls: Uint8Array | null }
  /** Ids as little-endian uint32 words: 4 per UHUGEINT trace id, 2 per UBIGINT span id. */
  | { kind: 'words'; width: 2 | 4; values: Uint32Array; nulls: Uint8Array | null }
  | { kind: 'number'; values: Float64Array; nulls: Uint8Array | null }
  | { kind: 'bool'; values: Uint8Array; nulls: Uint8Array | null }
  /** Codes into the batch's `strings`; -1 is NULL. */
  | { kind: 'text'; codes: Int32Array }
  /** MAP(VARCHAR, X): row i owns entries offsets[i]..offsets[i+1]; a row with none is NULL. */
  | { kind: 'map'; offsets: Uint32Array; keys: Int32Array; values: MapValues }
  /** DOUBLE[] (INTEGER[] from an Int32Array): row i owns values offsets[i]..offsets[i+1]; nulls marks NULL lists. */
  | { kind: 'list'; offsets: Uint32Array; values: Float64Array | Int32Array; nulls: Uint8Array };

export type MapValues =
  | { kind: 'text'; codes: Int32Array }
  | { kind: 'int64'; values: BigInt64Array }
  | { kind: 'number'; values: Float64Array }
  | { kind: 'bool'; values: Uint8Array };

export interface TableBatch {
  table: string;
  rowCount: number;
  columns: Column[];
  /** The distinct strings of the batch's text columns, map keys and text map values. */
  strings: string[];
}

/** Assigns each distinct string of a batch a code (its index in `strings`). */
export class StringTable {
  readonly strings: string[] = [];
  private readonly codes = new Map<string, number>();

  code(value: string | null): number {
    if (value === null) return -1;
    let code = this.codes.get(value);
    if (code === undefined) {
      code = this.strings.length;
      this.codes.set(value, code);
      this.strings.push(value);
    }
    return code;
  }

  column(values: readonly (string | null)[]): Column {
    const codes = new Int32Array(values.length);
    for (let row = 0; row < values.length; row++) codes[row] = this.code(values[row] ?? null);
    return { kind: 'text', codes };
  }
}

/** ArrayBuffers to transfer with a batch (each typed array here owns its buffer). */
export function transferList(batches: readonly TableBatch[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  const add = (view: ArrayBufferView | null): void => {
    if (view && view.buffer instanceof ArrayBuffer) buffers.add(view.buffer);
  };
  for (const batch of batches) {
    for (const column of batch.columns) {
      for (const view of columnViews(column)) add(view);
    }
  }
  return [...buffers];
}

function columnViews(column: Column): (ArrayBufferView | null)[] {
  switch (column.kind) {
    case 'map':
      return [
        column.offsets,
        column.keys,
        column.values.kind === 'text' ? column.values.codes : column.values.values,
      ];
    case 'list':
      return [column.offsets, column.values, column.nulls];
    case 'text':
      return [column.codes];
    default:
      return [column.values, column.nulls];
  }
}

/** Lowercase hex digit values; -1 for every other character. */
const HEX_DIGITS = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) HEX_DIGITS['0123456789abcdef'.charCodeAt(i)] = i;

/** The uint32 value of 8 lowercase hex characters at `from`, or -1 when any is not one. */
function hexWord(hex: string, from: number): number {
  let word = 0;
  for (let i = from; i < from + 8; i++) {
    const digit = HEX_DIGITS[hex.charCodeAt(i)] ?? -1;
    if (digit < 0) return -1;
    word = (word << 4) | digit;
  }
  return word >>> 0;
}

/** Fills hex ids (32 or 16 lowercase hex characters, big-endian) as little-endian uint32 words. */
export class HexIdBuilder {
  private readonly values: Uint32Array;
  private nulls: Uint8Array | null = null;
  constructor(
    private readonly rowCount: number,
    private readonly width: 2 | 4,
  ) {
    this.values = new Uint32Array(rowCount * width);
  }
  /** '' is NULL ("no parent", "no trace"); anything but `width * 8` lowercase hex digits throws. */
  set(row: number, hex: string): void {
    if (hex === '') {
      (this.nulls ??= new Uint8Array(this.rowCount))[row] = 1;
      return;
    }
    const width = this.width;
    if (hex.length !== width * 8) throw this.invalid();
    for (let word = 0; word < width; word++) {
      const value = hexWord(hex, (width - 1 - word) * 8);
      if (value < 0) throw this.invalid();
      this.values[row * width + word] = value;
    }
  }
  build(): Column {
    return { kind: 'words', width: this.width, values: this.values, nulls: this.nulls };
  }
  private invalid(): TypeError {
    return new TypeError(
      `${this.width === 4 ? 'trace' : 'span'} id is not ${this.width * 8} lowercase hex characters`,
    );
  }
}

export class Int64Builder {
  private readonly values: BigInt64Array | BigUint64Array;
  private nulls: Uint8Array | null = null;
  constructor(
    private readonly rowCount: number,
    unsigned: boolean,
  ) {
    this.values = unsigned ? new BigUint64Array(rowCount) : new BigInt64Array(rowCount);
  }
  set(row: number, value: bigint | null): void {
    if (value === null) (this.nulls ??= new Uint8Array(this.rowCount))[row] = 1;
    else this.values[row] = value;
  }
  build(): Column {
    return { kind: 'int64', values: this.values, nulls: this.nulls };
  }
}

export class NumberBuilder {
  private readonly values: Float64Array;
  private nulls: Uint8Array | null = null;
  constructor(private readonly rowCount: number) {
    this.values = new Float64Array(rowCount);
  }
  set(row: number, value: number | null | undefined): void {
    if (value === null || value === undefined) (this.nulls ??= new Uint8Array(this.rowCount))[row] = 1;
    else this.values[row] = value;
  }
  build(): Column {
    return { kind: 'number', values: this.values, nulls: this.nulls };
  }
}

export class BoolBuilder {
  private readonly values: Uint8Array;
  private nulls: Uint8Array | null = null;
  constructor(private readonly rowCount: number) {
    this.values = new Uint8Array(rowCount);
  }
  set(row: number, value: boolean | null | undefined): void {
    if (value === null || value === undefined) (this.nulls ??= new Uint8Array(this.rowCount))[row] = 1;
    else this.values[row] = value ? 1 : 0;
  }
  build(): Column {
    return { kind: 'bool', values: this.values, nulls: this.nulls };
  }
}

export class ListBuilder {
  private readonly offsets: Uint32Array;
  private readonly nulls: Uint8Array;
  private readonly values: number[] = [];
  constructor(rowCount: number) {
    this.offsets = new Uint32Array(rowCount + 1);
    this.nulls = new Uint8Array(rowCount);
  }
  set(row: number, list: readonly number[] | undefined): void {
    if (list === undefined) this.nulls[row] = 1;
    else for (const value of list) this.values.push(value);
    this.offsets[row + 1] = this.values.length;
  }
  build(): Column {
    return { kind: 'list', offsets: this.offsets, values: Float64Array.from(this.values), nulls: this.nulls };
  }
}

/** Builds one MAP column: `add` a row's entries, then `endRow`; rows must end in order 0, 1, 2, … */
export class MapBuilder<V> {
  private readonly offsets: Uint32Array;
  private readonly keys: number[] = [];
  private readonly values: V[] = [];
  constructor(
    rowCount: number,
    private readonly strings: StringTable,
    private readonly finish: (values: V[]) => MapValues,
  ) {
    this.offsets = new Uint32Array(rowCount + 1);
  }
  add(key: string, value: V): void {
    this.keys.push(this.strings.code(key));
    this.values.push(value);
  }
  endRow(row: number): void {
    this.offsets[row + 1] = this.keys.length;
  }
  build(): Column {
    return {
      kind: 'map',
      offsets: this.offsets,
      keys: Int32Array.from(this.keys),
      values: this.finish(this.values),
    };
  }
}

export const mapOfText = (rowCount: number, strings: StringTable): MapBuilder<number> =>
  new MapBuilder<number>(rowCount, strings, (codes) => ({ kind: 'text', codes: Int32Array.from(codes) }));
export const mapOfInt64 = (rowCount: number, strings: StringTable): MapBuilder<bigint> =>
  new MapBuilder<bigint>(rowCount, strings, (values) => ({
    kind: 'int64',
    values: BigInt64Array.from(values),
  }));
export const mapOfNumber = (rowCount: number, strings: StringTable): MapBuilder<number> =>
  new MapBuilder<number>(rowCount, strings, (values) => ({
    kind: 'number',
    values: Float64Array.from(values),
  }));
export const mapOfBool = (rowCount: number, strings: StringTable): MapBuilder<boolean> =>
  new MapBuilder<boolean>(rowCount, strings, (values) => ({
    kind: 'bool',
    values: Uint8Array.from(values, Number),
  }));
