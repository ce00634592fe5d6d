import type { AttributeValue, Attributes } from '../../../model/attributes.ts';
import type { Resource, Scope } from '../../../model/resource.ts';
import { groupByResourceAndScope } from './group-records.ts';
import { ProtoWriter } from '../helper/proto-writer.ts';

/**
 * Writers for what every OTLP signal shares (opentelemetry-proto v1.x common/v1/common.proto and
 * resource/v1/resource.proto), mirroring receivers/otlp/decode-common-proto.ts field for field.
 */

/**
 * AnyValue: string=1, bool=2, int=3, double=4, array=5, kvlist=6, bytes=7. The oneof field is
 * written even when it holds its default ("" or false), because its presence is the type; an
 * empty AnyValue (no field) is our `null`.
 */
export function writeAnyValue(w: ProtoWriter, value: AttributeValue): void {
  if (value === null) return;
  switch (typeof value) {
    case 'string':
      w.stringField(1, value);
      return;
    case 'boolean':
      w.boolField(2, value);
      return;
    case 'bigint':
      w.tag(3, 0);
      w.int64(value);
      return;
    case 'number':
      w.doubleField(4, value);
      return;
    default:
      writeCompositeValue(w, value);
  }
}

function writeCompositeValue(
  w: ProtoWriter,
  value: Uint8Array | AttributeValue[] | Map<string, AttributeValue>,
): void {
  if (value instanceof Uint8Array) {
    w.bytesField(7, value);
  } else if (Array.isArray(value)) {
    w.message(5); // ArrayValue { values = 1 }
    for (const item of value) {
      w.message(1);
      writeAnyValue(w, item);
      w.end();
    }
    w.end();
  } else {
    w.message(6); // KeyValueList { values = 1 }
    for (const [key, item] of value) writeKeyValue(w, 1, key, item);
    w.end();
  }
}

/** KeyValue { key = 1, value = 2 } as field `fieldNumber` of the enclosing message. */
function writeKeyValue(w: ProtoWriter, fieldNumber: number, key: string, value: AttributeValue): void {
  w.message(fieldNumber);
  w.stringField(1, key);
  w.message(2);
  writeAnyValue(w, value);
  w.end();
  w.end();
}

/** A `repeated KeyValue` field (attributes, metadata, filtered_attributes). */
export function writeAttributes(w: ProtoWriter, fieldNumber: number, attributes: Attributes): void {
  for (const key in attributes) writeKeyValue(w, fieldNumber, key, attributes[key] ?? null);
}

/** Writes a uint32 field only when it is not the proto3 default 0. */
export function writeCount(w: ProtoWriter, fieldNumber: number, value: number): void {
  if (value !== 0) w.varintField(fieldNumber, value);
}

export function writeOptionalString(w: ProtoWriter, fieldNumber: number, value: string): void {
  if (value !== '') w.stringField(fieldNumber, value);
}

/** Resource { attributes = 1, dropped_attributes_count = 2 }. */
function writeResource(w: ProtoWriter, resource: Resource): void {
  w.message(1);
  writeAttributes(w, 1, resource.attributes);
  writeCount(w, 2, resource.droppedAttributesCount);
  w.end();
}

/** InstrumentationScope { name = 1, version = 2, attributes = 3, dropped_attributes_count = 4 }. */
function writeScope(w: ProtoWriter, scope: Scope): void {
  w.message(1);
  writeOptionalString(w, 1, scope.name);
  writeOptionalString(w, 2, scope.version);
  writeAttributes(w, 3, scope.attributes);
  writeCount(w, 4, scope.droppedAttributesCount);
  w.end();
}

/**
 * The envelope the three export requests share (collector/{trace,metrics,logs}/v1):
 * request { resource_X = 1 } → Resource_X { resource = 1, scope_X = 2, schema_url = 3 }
 * → Scope_X { scope = 1, <records> = 2, schema_url = 3 }. `writeRecords` writes a scope's records
 * as field 2 entries.
 */
export function encodeEnvelopeProto<R extends { resource: Resource; scope: Scope }>(
  records: readonly R[],
  writeRecords: (w: ProtoWriter, records: R[]) => void,
): Uint8Array {
  const w = new ProtoWriter(Math.min(1024 * 1024, 256 + records.length * 512));
  for (const { resource, scopes } of groupByResourceAndScope(records)) {
    w.message(1);
    writeResource(w, resource);
    for (const { scope, records: scopeRecords } of scopes) {
      w.message(2);
      writeScope(w, scope);
      writeRecords(w, scopeRecords);
      writeOptionalString(w, 3, scope.schemaUrl);
      w.end();
    }
    writeOptionalString(w, 3, resource.schemaUrl);
    w.end();
  }
  return w.finish();
}
