/**
 * The columnar form a batch crosses the thread boundary in. Structured-cloning Span objects is
 * expensive (every Map, bigint and nested object is walked); one array per column, typed arrays for
 * numbers and transferred ArrayBuffers cost a fraction of that. Column order is the table's order
 * (schema.ts), so the worker appends without knowing which signal it holds.
 */
export type Column =
  | { kind: 'int64'; values: BigInt64Array | BigUint64Array; nulls: Uint8Array | null }
  /** UHUGEINT ids as two 64-bit halves. */
  | { kind: 'u128'; hi: BigUint64Array; lo: BigUint64Array; nulls: Uint8Array | null }
  | { kind: 'number'; values: Float64Array; nulls: Uint8Array | null }
  | { kind: 'bool'; values: Uint8Array; nulls: Uint8Array | null }
  | { kind: 'text'; values: (string | null)[] }
  /** MAP(VARCHAR, X): row i owns entries offsets[i]..offsets[i+1]; a row with none is NULL. */
  | { kind: 'map'; offsets: Uint32Array; keys: string[]; values: MapValues }
  /** DOUBLE[]: row i owns values offsets[i]..offsets[i+1]; nulls marks NULL lists. */
  | { kind: 'list'; offsets: Uint32Array; values: Float64Array; nulls: Uint8Array };

export type MapValues =
  | { kind: 'text'; values: string[] }
  | { kind: 'int64'; values: BigInt64Array }
  | { kind: 'number'; values: Float64Array }
  | { kind: 'bool'; values: Uint8Array };

export interface TableBatch {
  table: string;
  rowCount: number;
  columns: Column[];
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
    case 'u128':
      return [column.hi, column.lo, column.nulls];
    case 'map':
      return [column.offsets, column.values.kind === 'text' ? null : column.values.values];
    case 'list':
      return [column.offsets, column.values, column.nulls];
    case 'text':
      return [];
    default:
      return [column.values, column.nulls];
  }
}

const MASK_64 = (1n << 64n) - 1n;

/** Builders that fill one column row by row on the main thread. */
export class U128Builder {
  private readonly hi: BigUint64Array;
  private readonly lo: BigUint64Array;
  private nulls: Uint8Array | null = null;
  constructor(private readonly rowCount: number) {
    this.hi = new BigUint64Array(rowCount);
    this.lo = new BigUint64Array(rowCount);
  }
  set(row: number, value: bigint | null): void {
    if (value === null) {
      (this.nulls ??= new Uint8Array(this.rowCount))[row] = 1;
      return;
    }
    this.hi[row] = value >> 64n;
    this.lo[row] = value & MASK_64;
  }
  build(): Column {
    return { kind: 'u128', hi: this.hi, lo: this.lo, nulls: this.nulls };
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

/** Builds one MAP column; rows must be set in order 0, 1, 2, … */
export class MapBuilder<V> {
  private readonly offsets: Uint32Array;
  private readonly keys: string[] = [];
  private readonly values: V[] = [];
  constructor(
    rowCount: number,
    private readonly finish: (values: V[]) => MapValues,
  ) {
    this.offsets = new Uint32Array(rowCount + 1);
  }
  set(row: number, entries: readonly [string, V][]): void {
    for (const [key, value] of entries) {
      this.keys.push(key);
      this.values.push(value);
    }
    this.offsets[row + 1] = this.keys.length;
  }
  build(): Column {
    return { kind: 'map', offsets: this.offsets, keys: this.keys, values: this.finish(this.values) };
  }
}

export const mapOfText = (rowCount: number): MapBuilder<string> =>
  new MapBuilder<string>(rowCount, (values) => ({ kind: 'text', values }));
export const mapOfInt64 = (rowCount: number): MapBuilder<bigint> =>
  new MapBuilder<bigint>(rowCount, (values) => ({ kind: 'int64', values: BigInt64Array.from(values) }));
export const mapOfNumber = (rowCount: number): MapBuilder<number> =>
  new MapBuilder<number>(rowCount, (values) => ({ kind: 'number', values: Float64Array.from(values) }));
export const mapOfBool = (rowCount: number): MapBuilder<boolean> =>
  new MapBuilder<boolean>(rowCount, (values) => ({ kind: 'bool', values: Uint8Array.from(values, Number) }));
