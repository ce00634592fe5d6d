/**
 * What a telemetry context (span, spanevent, log, metric, datapoint, resource) gives the compiler:
 * its paths, its enum symbols and any converters only it knows (pkg/ottl/contexts/ottl*).
 */
import type { PathField, PathKey, ValueExpr } from './ast.ts';
import { OttlParseError, OttlRuntimeError } from './parse-error.ts';
import type { OttlValue } from './values.ts';
import { ottlType } from './values.ts';
import type { Attributes } from '../../../../model/attributes.ts';
import type { Resource, Scope } from '../../../../model/resource.ts';

/** Reads one value from a record; throws OttlRuntimeError when the path cannot be read. */
export type Getter<T> = (record: T) => OttlValue;

export type ReturnType = 'bool' | 'int' | 'string' | 'bytes' | 'any';

/** A converter (OTTL function with an uppercase name) compiled against its argument getters. */
export interface ConverterDefinition<T> {
  returns: ReturnType;
  arity: number;
  compile(args: Getter<T>[], argExprs: readonly ValueExpr[], column: number): Getter<T>;
}

export interface OttlContext<T> {
  /** The context name as upstream spells it (`span`, `spanevent`, `log`, `metric`, `datapoint`, `resource`). */
  readonly name: string;
  readonly enums: ReadonlyMap<string, bigint>;
  /** Compiles a path; throws OttlParseError for one the context does not have. */
  path(fields: readonly PathField[], column: number): Getter<T>;
  readonly converters?: Readonly<Record<string, ConverterDefinition<T>>>;
}

/** A table of a context's top-level path segments → a compiler for the rest of the path. */
export type PathTable<T> = Readonly<
  Record<string, (field: PathField, rest: readonly PathField[], column: number) => Getter<T>>
>;

/** Resolves a path through a table, accepting the context's own name as an optional first segment. */
export function resolvePath<T>(
  contextName: string,
  table: PathTable<T>,
  fields: readonly PathField[],
  column: number,
): Getter<T> {
  const [first, ...rest] = fields;
  if (first === undefined) throw new OttlParseError('empty path', column);
  // Upstream accepts an explicit context prefix (`span.name` in the span context).
  if (first.name === contextName && first.keys.length === 0 && rest.length > 0 && !(first.name in table)) {
    return resolvePath(contextName, table, rest, column);
  }
  const compile = Object.hasOwn(table, first.name) ? table[first.name] : undefined;
  if (compile === undefined) throw invalidPath(contextName, fields, column);
  return compile(first, rest, column);
}

export function invalidPath(
  contextName: string,
  fields: readonly PathField[],
  column: number,
): OttlParseError {
  const text = fields.map((f) => f.name).join('.');
  return new OttlParseError(`"${text}" is not a valid path for the ${contextName} context`, column);
}

/** A path segment that is a plain field: no keys, nothing after it. */
export function scalar<T>(contextName: string, get: Getter<T>): PathTable<T>[string] {
  return (field, rest, column) => {
    if (rest.length > 0) throw invalidPath(contextName, [field, ...rest], column);
    if (field.keys.length > 0) throw new OttlParseError(`"${field.name}" cannot be indexed`, column);
    return get;
  };
}

/** A field with named sub-fields (`status.code`, `trace_id.string`); `whole` is the bare field, if readable. */
export function nested<T>(
  contextName: string,
  subFields: PathTable<T>,
  whole?: Getter<T>,
): PathTable<T>[string] {
  return (field, rest, column) => {
    if (field.keys.length > 0) throw new OttlParseError(`"${field.name}" cannot be indexed`, column);
    if (rest.length === 0) {
      if (whole === undefined) throw invalidPath(contextName, [field], column);
      return whole;
    }
    const next = rest[0] as PathField;
    const compile = Object.hasOwn(subFields, next.name) ? subFields[next.name] : undefined;
    if (compile === undefined) throw invalidPath(contextName, [field, ...rest], column);
    return compile(next, rest.slice(1), column);
  };
}

/** An attribute map path: `attributes` (the whole map) or `attributes["k"]["nested"][0]`. */
export function attributesPath<T>(
  contextName: string,
  getMap: (record: T) => Attributes,
): PathTable<T>[string] {
  return (field, rest, column) => {
    if (rest.length > 0) throw invalidPath(contextName, [field, ...rest], column);
    const [first, ...more] = field.keys;
    if (first === undefined) return getMap;
    if (typeof first !== 'string')
      throw new OttlParseError(`"${field.name}" must be indexed by a string`, column);
    // The common case, attributes["k"], reads the null-prototype record directly.
    if (more.length === 0) return (record) => getMap(record)[first] ?? null;
    return (record) => indexValue(getMap(record)[first] ?? null, more);
  };
}

/** Follows keys into maps and lists as ctxutil.getIndexableValue does: a missing map key gives nil. */
export function indexValue(start: OttlValue, keys: readonly PathKey[]): OttlValue {
  let value = start;
  for (const key of keys) {
    if (value === null) return null;
    const type = ottlType(value);
    if (type === 'map') {
      if (typeof key !== 'string') throw new OttlRuntimeError('map must be indexed by a string');
      const next = value instanceof Map ? value.get(key) : (value as Attributes)[key];
      if (next === undefined) return null;
      value = next;
    } else if (type === 'list') {
      const list = value as OttlValue[];
      if (typeof key !== 'bigint') throw new OttlRuntimeError('slice must be indexed by an int');
      if (key < 0n || key >= BigInt(list.length)) throw new OttlRuntimeError(`index ${key} out of bounds`);
      value = list[Number(key)] ?? null;
    } else {
      throw new OttlRuntimeError(`type ${type} does not support indexing`);
    }
  }
  return value;
}

/** `resource.attributes[...]`, `resource.dropped_attributes_count`, `resource.schema_url`. */
export function resourcePaths<T>(contextName: string, getResource: (record: T) => Resource): PathTable<T> {
  return {
    attributes: attributesPath(contextName, (r) => getResource(r).attributes),
    dropped_attributes_count: scalar(contextName, (r) => BigInt(getResource(r).droppedAttributesCount)),
    schema_url: scalar(contextName, (r) => getResource(r).schemaUrl),
  };
}

/** `instrumentation_scope.name|version|attributes|dropped_attributes_count|schema_url`. */
export function scopePaths<T>(contextName: string, getScope: (record: T) => Scope): PathTable<T> {
  return {
    name: scalar(contextName, (r) => getScope(r).name),
    version: scalar(contextName, (r) => getScope(r).version),
    attributes: attributesPath(contextName, (r) => getScope(r).attributes),
    dropped_attributes_count: scalar(contextName, (r) => BigInt(getScope(r).droppedAttributesCount)),
    schema_url: scalar(contextName, (r) => getScope(r).schemaUrl),
  };
}

/** The `resource.` and `instrumentation_scope.` entries every record context has. */
export function commonPaths<T>(
  contextName: string,
  getResource: (record: T) => Resource,
  getScope: (record: T) => Scope,
): PathTable<T> {
  return {
    resource: nested(contextName, resourcePaths(contextName, getResource)),
    instrumentation_scope: nested(contextName, scopePaths(contextName, getScope)),
  };
}

/** Lowercase hex ids as bytes (`trace_id` without `.string`); empty ids read as all-zero bytes. */
export function idBytes(hex: string, length: 8 | 16): Uint8Array {
  return hex === '' ? new Uint8Array(length) : Uint8Array.from(Buffer.from(hex, 'hex'));
}

/** `trace_id` (bytes) / `trace_id.string` (hex) as ottlspan exposes ids. */
export function idPath<T>(
  contextName: string,
  getHex: (record: T) => string,
  length: 8 | 16,
): PathTable<T>[string] {
  const zeros = '0'.repeat(length * 2);
  return nested(contextName, { string: scalar(contextName, (r) => getHex(r) || zeros) }, (r) =>
    idBytes(getHex(r), length),
  );
}
