/**
 * The slice of Go's type system that Prometheus templates can reach: the values a template sees
 * (labels maps, float64 values, query results, time.Time, …) carry their Go type so that printing
 * (`fmt`), argument checks and error messages read exactly as text/template's do.
 */

/** reflect.Kind, reduced to the kinds templates meet. `reflect` is the pseudo type reflect.Value. */
export type GoKind =
  'bool' | 'int' | 'uint' | 'float' | 'string' | 'map' | 'slice' | 'struct' | 'ptr' | 'interface' | 'reflect';

/** A Go type; `name` is what reflect.Type.String() prints (used in error messages and `%T`). */
export interface GoType {
  readonly name: string;
  readonly kind: GoKind;
  /** Element type of a slice, map or pointer. */
  readonly elem?: GoType;
  /** Exported fields of a struct, in declaration order. */
  readonly fields?: readonly (readonly [string, GoType])[];
}

function basic(name: string, kind: GoKind): GoType {
  return { name, kind };
}

/** Slice type `[]elem`. */
export function sliceOf(elem: GoType, name = `[]${elem.name}`): GoType {
  return { name, kind: 'slice', elem };
}

/** Pointer type `*elem`. */
export function ptrTo(elem: GoType): GoType {
  return { name: `*${elem.name}`, kind: 'ptr', elem };
}

const mapStringString: GoType = { name: 'map[string]string', kind: 'map', elem: basic('string', 'string') };
const anyType = basic('interface {}', 'interface');
const time = basic('time.Time', 'struct');
const duration = basic('time.Duration', 'int');
/** Prometheus 3's template.sample: Value is interface{} (a float64, or a histogram for native ones). */
const sample: GoType = {
  name: 'template.sample',
  kind: 'struct',
  fields: [
    ['Labels', mapStringString],
    ['Value', anyType],
  ],
};

/** The Go types the template engine and Prometheus's functions use. */
export const GO = {
  bool: basic('bool', 'bool'),
  int: basic('int', 'int'),
  int64: basic('int64', 'int'),
  uint: basic('uint', 'uint'),
  uint8: basic('uint8', 'uint'),
  uint64: basic('uint64', 'uint'),
  float64: basic('float64', 'float'),
  string: basic('string', 'string'),
  /** html/template.HTML, returned by safeHtml. */
  html: basic('template.HTML', 'string'),
  any: anyType,
  reflectValue: basic('reflect.Value', 'reflect'),
  mapStringString,
  mapStringAny: { name: 'map[string]interface {}', kind: 'map', elem: anyType } as GoType,
  sample,
  samplePtr: ptrTo(sample),
  /** Prometheus's `type queryResult []*sample`. */
  queryResult: sliceOf(ptrTo(sample), 'template.queryResult'),
  time,
  timePtr: ptrTo(time),
  duration,
  durationPtr: ptrTo(duration),
  month: basic('time.Month', 'int'),
  weekday: basic('time.Weekday', 'int'),
} as const;

export interface InvalidValue {
  readonly kind: 'invalid';
}
export interface BoolValue {
  readonly kind: 'bool';
  readonly type: GoType;
  readonly value: boolean;
}
/** Signed (`int`) and unsigned (`uint`) integers; 64-bit, so kept as bigint. */
export interface IntValue {
  readonly kind: 'int' | 'uint';
  readonly type: GoType;
  readonly value: bigint;
}
export interface FloatValue {
  readonly kind: 'float';
  readonly type: GoType;
  readonly value: number;
}
export interface StringValue {
  readonly kind: 'string';
  readonly type: GoType;
  readonly value: string;
}
/** A map with string keys (the only maps templates meet); `null` is a nil map. */
export interface MapValue {
  readonly kind: 'map';
  readonly type: GoType;
  readonly value: ReadonlyMap<string, GoValue> | null;
}
/** A slice; `null` is a nil slice. Mutable because sortByLabel sorts in place, as Go's does. */
export interface SliceValue {
  readonly kind: 'slice';
  readonly type: GoType;
  readonly value: GoValue[] | null;
}
/** A struct; time.Time is a struct without exported fields that carries `unixNanos` (always UTC). */
export interface StructValue {
  readonly kind: 'struct';
  readonly type: GoType;
  readonly value: ReadonlyMap<string, GoValue>;
  readonly unixNanos?: bigint;
}
/** A pointer; `null` is a nil pointer. */
export interface PtrValue {
  readonly kind: 'ptr';
  readonly type: GoType;
  readonly value: GoValue | null;
}

/** A Go value as reflect.Value sees it; `invalid` is the zero reflect.Value (a nil interface). */
export type GoValue =
  | InvalidValue
  | BoolValue
  | IntValue
  | FloatValue
  | StringValue
  | MapValue
  | SliceValue
  | StructValue
  | PtrValue;

export const INVALID: InvalidValue = { kind: 'invalid' };

export function goBool(value: boolean): BoolValue {
  return { kind: 'bool', type: GO.bool, value };
}

export function goInt(value: bigint | number, type: GoType = GO.int): IntValue {
  return { kind: type.kind === 'uint' ? 'uint' : 'int', type, value: BigInt(value) };
}

export function goFloat(value: number): FloatValue {
  return { kind: 'float', type: GO.float64, value };
}

export function goString(value: string, type: GoType = GO.string): StringValue {
  return { kind: 'string', type, value };
}

/** map[string]string from a record (labels). */
export function goStringMap(record: Readonly<Record<string, string>>): MapValue {
  const entries = new Map<string, GoValue>();
  for (const [key, value] of Object.entries(record)) entries.set(key, goString(value));
  return { kind: 'map', type: GO.mapStringString, value: entries };
}

export function goMap(type: GoType, entries: ReadonlyMap<string, GoValue>): MapValue {
  return { kind: 'map', type, value: entries };
}

export function goSlice(type: GoType, items: GoValue[]): SliceValue {
  return { kind: 'slice', type, value: items };
}

export function goStruct(type: GoType, fields: ReadonlyMap<string, GoValue>): StructValue {
  return { kind: 'struct', type, value: fields };
}

export function goPtr(type: GoType, value: GoValue | null): PtrValue {
  return { kind: 'ptr', type, value };
}

/** A time.Time in UTC. */
export function goTime(unixNanos: bigint): StructValue {
  return { kind: 'struct', type: GO.time, value: new Map(), unixNanos };
}

/** The Go type of a value; undefined for the invalid value. */
export function typeOf(value: GoValue): GoType | undefined {
  return value.kind === 'invalid' ? undefined : value.type;
}

/** reflect.Zero(type). Interfaces (and reflect.Value) are nil: the invalid value. */
export function zeroValue(type: GoType): GoValue {
  switch (type.kind) {
    case 'bool':
      return goBool(false);
    case 'int':
    case 'uint':
      return goInt(0n, type);
    case 'float':
      return { kind: 'float', type, value: 0 };
    case 'string':
      return goString('', type);
    case 'map':
      return { kind: 'map', type, value: null };
    case 'slice':
      return { kind: 'slice', type, value: null };
    case 'ptr':
      return goPtr(type, null);
    case 'struct':
      return zeroStruct(type);
    case 'interface':
    case 'reflect':
      return INVALID;
  }
}

/** Go's zero time is January 1, year 1, 00:00:00 UTC. */
const ZERO_TIME_UNIX_NANOS = -62135596800n * 1_000_000_000n;

function zeroStruct(type: GoType): StructValue {
  if (type === GO.time) return goTime(ZERO_TIME_UNIX_NANOS);
  const fields = new Map<string, GoValue>();
  for (const [name, fieldType] of type.fields ?? []) fields.set(name, zeroValue(fieldType));
  return goStruct(type, fields);
}

/** reflect's `canBeNil`: an untyped nil may be assigned to these types. */
export function canBeNil(type: GoType): boolean {
  return ['map', 'slice', 'ptr', 'interface', 'reflect'].includes(type.kind);
}

/** Go's string `<` (bytewise over UTF-8, which is code point order); JS `<` compares UTF-16 units. */
export function compareGoStrings(a: string, b: string): number {
  const left = a[Symbol.iterator]();
  const right = b[Symbol.iterator]();
  for (;;) {
    const l = left.next();
    const r = right.next();
    if (l.done === true || r.done === true) return (l.done === true ? 0 : 1) - (r.done === true ? 0 : 1);
    const diff = (l.value.codePointAt(0) ?? 0) - (r.value.codePointAt(0) ?? 0);
    if (diff !== 0) return diff;
  }
}

/** A map's keys in fmtsort order (what `range` and `%v` use). */
export function sortedKeys(entries: ReadonlyMap<string, GoValue>): string[] {
  return [...entries.keys()].sort(compareGoStrings);
}
