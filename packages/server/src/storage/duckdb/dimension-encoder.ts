import { createHash } from 'node:crypto';
import type { Attributes } from '../../model/attributes.ts';
import type { Resource, Scope } from '../../model/resource.ts';
import type { Tagged } from './attribute-codec.ts';
import { encodeAttributesJson, encodeTagged } from './attribute-codec.ts';
import type { Column, TableBatch } from './columnar.ts';
import {
  Int64Builder,
  mapOfBool,
  mapOfInt64,
  mapOfNumber,
  mapOfText,
  NumberBuilder,
  StringTable,
} from './columnar.ts';

/**
 * Fills the five attribute columns (schema.ts ATTRIBUTE_COLUMNS) row by row: each value goes to
 * the typed map of its OTLP type, the rest (bytes, arrays, kvlists, empty) to tagged JSON.
 */
export class AttributeColumns {
  private readonly strings;
  private readonly ints;
  private readonly doubles;
  private readonly bools;
  private readonly other: (string | null)[];
  constructor(
    rowCount: number,
    private readonly table: StringTable,
  ) {
    this.strings = mapOfText(rowCount, table);
    this.ints = mapOfInt64(rowCount, table);
    this.doubles = mapOfNumber(rowCount, table);
    this.bools = mapOfBool(rowCount, table);
    this.other = new Array<string | null>(rowCount);
  }
  set(row: number, attributes: Attributes): void {
    let other: Record<string, Tagged> | undefined;
    for (const key in attributes) {
      const value = attributes[key] ?? null;
      if (typeof value === 'string') this.strings.add(key, this.table.code(value));
      else if (typeof value === 'bigint') this.ints.add(key, value);
      // DuckDB normalises -0.0 in maps; the tagged form keeps it.
      else if (typeof value === 'number' && !Object.is(value, -0)) this.doubles.add(key, value);
      else if (typeof value === 'boolean') this.bools.add(key, value);
      else (other ??= Object.create(null) as Record<string, Tagged>)[key] = encodeTagged(value);
    }
    this.strings.endRow(row);
    this.ints.endRow(row);
    this.doubles.endRow(row);
    this.bools.endRow(row);
    this.other[row] = other ? JSON.stringify(other) : null;
  }
  build(): Column[] {
    return [
      this.strings.build(),
      this.ints.build(),
      this.doubles.build(),
      this.bools.build(),
      this.table.column(this.other),
    ];
  }
}

export function uint32Column(values: number[]): Column {
  const builder = new NumberBuilder(values.length);
  values.forEach((value, row) => builder.set(row, value));
  return builder.build();
}

function contentId(parts: unknown[]): bigint {
  return createHash('sha1').update(JSON.stringify(parts)).digest().readBigUInt64BE(0);
}

/**
 * Collects the distinct resources and scopes of a batch. Ids are content hashes (64 bits of SHA-1),
 * so the same resource sent by a thousand requests is one row; objects are cached by reference
 * because a decoded batch shares one Resource object among all its records.
 */
export class DimensionCollector {
  private readonly resourceIds = new WeakMap<Resource, bigint>();
  private readonly scopeIds = new WeakMap<Scope, bigint>();
  private readonly resources = new Map<bigint, Resource>();
  private readonly scopes = new Map<bigint, Scope>();

  resourceId(resource: Resource): bigint {
    let id = this.resourceIds.get(resource);
    if (id === undefined) {
      const attributes = encodeAttributesJson(resource.attributes);
      id = contentId([resource.serviceName, resource.schemaUrl, resource.droppedAttributesCount, attributes]);
      this.resourceIds.set(resource, id);
    }
    this.resources.set(id, resource);
    return id;
  }

  scopeId(scope: Scope): bigint {
    let id = this.scopeIds.get(scope);
    if (id === undefined) {
      const attributes = encodeAttributesJson(scope.attributes);
      id = contentId([scope.name, scope.version, scope.schemaUrl, scope.droppedAttributesCount, attributes]);
      this.scopeIds.set(scope, id);
    }
    this.scopes.set(id, scope);
    return id;
  }

  /** The resources and scopes seen since the last call, as table batches. */
  takeBatches(): TableBatch[] {
    const batches = [this.resourceBatch(), this.scopeBatch()];
    this.resources.clear();
    this.scopes.clear();
    return batches;
  }

  private resourceBatch(): TableBatch {
    const rows = [...this.resources];
    const strings = new StringTable();
    const ids = new Int64Builder(rows.length, true);
    const attributes = new AttributeColumns(rows.length, strings);
    rows.forEach(([id, resource], row) => (ids.set(row, id), attributes.set(row, resource.attributes)));
    const columns: Column[] = [
      ids.build(),
      strings.column(rows.map(([, r]) => r.serviceName)),
      strings.column(rows.map(([, r]) => r.schemaUrl)),
      uint32Column(rows.map(([, r]) => r.droppedAttributesCount)),
      ...attributes.build(),
    ];
    return { table: 'resources', rowCount: rows.length, columns, strings: strings.strings };
  }

  private scopeBatch(): TableBatch {
    const rows = [...this.scopes];
    const strings = new StringTable();
    const ids = new Int64Builder(rows.length, true);
    const attributes = new AttributeColumns(rows.length, strings);
    rows.forEach(([id, scope], row) => (ids.set(row, id), attributes.set(row, scope.attributes)));
    const columns: Column[] = [
      ids.build(),
      strings.column(rows.map(([, s]) => s.name)),
      strings.column(rows.map(([, s]) => s.version)),
      strings.column(rows.map(([, s]) => s.schemaUrl)),
      uint32Column(rows.map(([, s]) => s.droppedAttributesCount)),
      ...attributes.build(),
    ];
    return { table: 'scopes', rowCount: rows.length, columns, strings: strings.strings };
  }
}

const HEX_32 = /^[0-9a-f]{32}$/;
const HEX_16 = /^[0-9a-f]{16}$/;

/** Trace id hex → UHUGEINT; '' → null. Throws (without the value) on anything else. */
export function traceIdToBigint(hex: string): bigint | null {
  if (hex === '') return null;
  if (!HEX_32.test(hex)) throw new TypeError('trace id is not 32 lowercase hex characters');
  return BigInt('0x' + hex);
}

export function spanIdToBigint(hex: string): bigint | null {
  if (hex === '') return null;
  if (!HEX_16.test(hex)) throw new TypeError('span id is not 16 lowercase hex characters');
  return BigInt('0x' + hex);
}

export function traceIdToHex(id: bigint | null): string {
  return id === null ? '' : id.toString(16).padStart(32, '0');
}

export function spanIdToHex(id: bigint | null): string {
  return id === null ? '' : id.toString(16).padStart(16, '0');
}
