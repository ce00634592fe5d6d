import { goFunc, type GoFunc } from './go-func.ts';
import {
  durationString,
  floorDiv,
  formatTime,
  MONTH_NAMES,
  timeParts,
  timeString,
  WEEKDAY_NAMES,
} from './go-time.ts';
import { GO, goBool, goFloat, goInt, goString, goTime, type GoType, type GoValue } from './go-values.ts';

/**
 * Methods templates can call on the values Prometheus's functions return: `(x | toTime).Format
 * "2006"`, `(x | toDuration).Seconds`, and the String methods fmt uses to print them.
 */

/** A method of a Go type: bound to a receiver, it is a function a template can call. */
export type Method = (receiver: GoValue) => GoFunc;

function nanosOf(value: GoValue): bigint {
  if (value.kind === 'struct') return value.unixNanos ?? 0n;
  return value.kind === 'int' || value.kind === 'uint' ? value.value : 0n;
}

function stringArg(value: GoValue | undefined): string {
  return value?.kind === 'string' ? value.value : '';
}

const NANOS_PER_SECOND = 1_000_000_000n;

/** A no-argument method returning an int of the given type computed from the receiver's nanoseconds. */
function intMethod(type: GoType, compute: (nanos: bigint) => bigint | number): Method {
  return (receiver) => goFunc([], () => goInt(compute(nanosOf(receiver)), type));
}

function partMethod(type: GoType, pick: (parts: ReturnType<typeof timeParts>) => number): Method {
  return intMethod(type, (nanos) => pick(timeParts(nanos)));
}

function timeCompare(compare: (a: bigint, b: bigint) => boolean): Method {
  return (receiver) =>
    goFunc([GO.time], ([other]) => goBool(compare(nanosOf(receiver), nanosOf(other ?? receiver))));
}

const TIME_METHODS: Readonly<Record<string, Method>> = {
  Format: (t) => goFunc([GO.string], ([layout]) => goString(formatTime(nanosOf(t), stringArg(layout)))),
  String: (t) => goFunc([], () => goString(timeString(nanosOf(t)))),
  Unix: intMethod(GO.int64, (n) => floorDiv(n, NANOS_PER_SECOND)),
  UnixMilli: intMethod(GO.int64, (n) => floorDiv(n, 1_000_000n)),
  UnixMicro: intMethod(GO.int64, (n) => floorDiv(n, 1_000n)),
  UnixNano: intMethod(GO.int64, (n) => n),
  Year: partMethod(GO.int, (p) => p.year),
  Month: partMethod(GO.month, (p) => p.month),
  Day: partMethod(GO.int, (p) => p.day),
  Hour: partMethod(GO.int, (p) => p.hour),
  Minute: partMethod(GO.int, (p) => p.minute),
  Second: partMethod(GO.int, (p) => p.second),
  Nanosecond: partMethod(GO.int, (p) => p.nanosecond),
  YearDay: partMethod(GO.int, (p) => p.yearDay),
  Weekday: partMethod(GO.weekday, (p) => p.weekday),
  UTC: (t) => goFunc([], () => goTime(nanosOf(t))),
  Local: (t) => goFunc([], () => goTime(nanosOf(t))),
  Add: (t) => goFunc([GO.duration], ([d]) => goTime(nanosOf(t) + nanosOf(d ?? t))),
  Sub: (t) => goFunc([GO.time], ([u]) => goInt(nanosOf(t) - nanosOf(u ?? t), GO.duration)),
  Before: timeCompare((a, b) => a < b),
  After: timeCompare((a, b) => a > b),
  Equal: timeCompare((a, b) => a === b),
  IsZero: (t) => goFunc([], () => goBool(nanosOf(t) === -62135596800n * NANOS_PER_SECOND)),
};

/** Duration.Seconds/Minutes/Hours: whole units plus the remainder as a fraction, as Go computes them. */
function durationFloat(unitNanos: bigint): Method {
  return (d) =>
    goFunc([], () => {
      const nanos = nanosOf(d);
      return goFloat(Number(nanos / unitNanos) + Number(nanos % unitNanos) / Number(unitNanos));
    });
}

/** Duration.Round: halfway values round away from zero. */
function roundDuration(d: bigint, m: bigint): bigint {
  if (m <= 0n) return d;
  const remainder = d < 0n ? -(d % m) : d % m;
  if (remainder + remainder < m) return d < 0n ? d + remainder : d - remainder;
  return d < 0n ? d - m + remainder : d + m - remainder;
}

const DURATION_METHODS: Readonly<Record<string, Method>> = {
  String: (d) => goFunc([], () => goString(durationString(nanosOf(d)))),
  Seconds: durationFloat(NANOS_PER_SECOND),
  Minutes: durationFloat(60n * NANOS_PER_SECOND),
  Hours: durationFloat(3600n * NANOS_PER_SECOND),
  Milliseconds: intMethod(GO.int64, (n) => n / 1_000_000n),
  Microseconds: intMethod(GO.int64, (n) => n / 1_000n),
  Nanoseconds: intMethod(GO.int64, (n) => n),
  Abs: intMethod(GO.duration, (n) => (n < 0n ? -n : n)),
  Round: (d) =>
    goFunc([GO.duration], ([m]) => goInt(roundDuration(nanosOf(d), nanosOf(m ?? d)), GO.duration)),
  Truncate: (d) =>
    goFunc([GO.duration], ([m]) => {
      const nanos = nanosOf(d);
      const unit = nanosOf(m ?? d);
      return goInt(unit <= 0n ? nanos : nanos - (nanos % unit), GO.duration);
    }),
};

function nameMethod(names: readonly string[], offset: number): Readonly<Record<string, Method>> {
  return {
    String: (v) =>
      goFunc([], () => {
        const index = Number(nanosOf(v)) - offset;
        return goString(
          names[index] ?? `%!${names === MONTH_NAMES ? 'Month' : 'Weekday'}(${index + offset})`,
        );
      }),
  };
}

const METHODS = new Map<GoType, Readonly<Record<string, Method>>>([
  [GO.time, TIME_METHODS],
  [GO.duration, DURATION_METHODS],
  [GO.month, nameMethod(MONTH_NAMES, 1)],
  [GO.weekday, nameMethod(WEEKDAY_NAMES, 0)],
]);

/**
 * Adds methods to a Go type defined outside this file (Alertmanager's template.KV and Alerts have
 * SortedPairs, Firing, …). Types are keyed by their GoType object, like the ones above.
 * @example registerMethods(KV_TYPE, { Names: (kv) => goFunc([], () => namesOf(kv)) });
 */
export function registerMethods(type: GoType, methods: Readonly<Record<string, Method>>): void {
  METHODS.set(type, { ...METHODS.get(type), ...methods });
}

/** The method `name` of a (non-pointer) value, bound to it; undefined if its type has none. */
export function findMethod(receiver: GoValue, name: string): GoFunc | undefined {
  if (receiver.kind === 'invalid') return undefined;
  const method = METHODS.get(receiver.type)?.[name];
  return method?.(receiver);
}

/** fmt's Stringer handling: the String() of a value or of what a pointer points to. */
export function stringerText(value: GoValue): string | undefined {
  if (value.kind === 'ptr') {
    const elem = value.type.elem;
    if (elem === undefined || METHODS.get(elem)?.String === undefined) return undefined;
    // Go calls String on the nil pointer, which panics; fmt prints the panic as <nil>.
    return value.value === null ? '<nil>' : stringerText(value.value);
  }
  const method = findMethod(value, 'String');
  const result = method?.call([]);
  return result?.kind === 'string' ? result.value : undefined;
}
