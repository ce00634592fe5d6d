import { createHash } from 'node:crypto';
import type { Attributes } from '../../model/attributes.ts';
import type { Resource, Scope } from '../../model/resource.ts';
import { encodeAttributesJson, splitAttributes } from './attribute-codec.ts';
import type { Column, TableBatch } from './columnar.ts';
import { Int64Builder, mapOfBool, mapOfInt64, mapOfNumber, mapOfText, NumberBuilder } from './columnar.ts';

/** Fills the five attribute columns (schema.ts ATTRIBUTE_COLUMNS) row by row. */
export class AttributeColumns {
  private readonly strings;
  private readonly ints;
  private readonly doubles;
  private readonly bools;
  private readonly other: (string | null)[];
  constructor(rowCount: number) {
    this.strings = mapOfText(rowCount);
    this.ints = mapOfInt64(rowCount);
    this.doubles = mapOfNumber(rowCount);
    this.bools = mapOfBool(rowCount);
    this.other = new Array<string | null>(rowCount);
  }
  set(row: number, attributes: Attributes): void {
    const split = splitAttributes(attributes);
    this.strings.set(row, split.strings);
    this.ints.set(row, split.ints);
    this.doubles.set(row, split.doubles);
    this.bools.set(row, split.bools);
    this.other[row] = split.other;
  }
  build(): Column[] {
    const other: Column = { kind: 'text', values: this.other };
    return [this.strings.build(), this.ints.build(), this.doubles.build(), this.bools.build(), other];
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
    const ids = new Int64Builder(rows.length, true);
    const attributes = new AttributeColumns(rows.length);
    rows.forEach(([id, resource], row) => (ids.set(row, id), attributes.set(row, resource.attributes)));
    const columns: Column[] = [
      ids.build(),
      { kind: 'text', values: rows.map(([, r]) => r.serviceName) },
      { kind: 'text', values: rows.map(([, r]) => r.schemaUrl) },
      uint32Column(rows.map(([, r]) => r.droppedAttributesCount)),
      ...attributes.build(),
    ];
    return { table: 'resources', rowCount: rows.length, columns };
  }

  private scopeBatch(): TableBatch {
    const rows = [...this.scopes];
    const ids = new Int64Builder(rows.length, true);
    const attributes = new AttributeColumns(rows.length);
    rows.forEach(([id, scope], row) => (ids.set(row, id), attributes.set(row, scope.attributes)));
    const columns: Column[] = [
      ids.build(),
      { kind: 'text', values: rows.map(([, s]) => s.name) },
      { kind: 'text', values: rows.map(([, s]) => s.version) },
      { kind: 'text', values: rows.map(([, s]) => s.schemaUrl) },
      uint32Column(rows.map(([, s]) => s.droppedAttributesCount)),
      ...attributes.build(),
    ];
    return { table: 'scopes', rowCount: rows.length, columns };
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
