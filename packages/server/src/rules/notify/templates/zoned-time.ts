/**
 * time.Time in a named location, for Alertmanager's `tz` function (`{{ .StartsAt | tz
 * "Europe/Berlin" | date "15:04 MST" }}`). Vigil's Go time values are UTC instants; a zoned time
 * carries its IANA zone as well, and its methods format and split the wall clock of that zone.
 * Offsets and abbreviations come from the runtime's ICU data rather than Go's tzdata, so a zone
 * without a letter abbreviation in ICU's English names prints as "+03" (as tzdata does for many).
 */
import { goFunc, GoFuncError } from '../../templates/go/go-func.ts';
import { findMethod, registerMethods, type Method } from '../../templates/go/go-methods.ts';
import { formatTime, floorDiv } from '../../templates/go/go-time.ts';
import {
  GO,
  goString,
  goTime,
  INVALID,
  type GoType,
  type GoValue,
  type StructValue,
} from '../../templates/go/go-values.ts';

/** Same name as GO.time, so a zoned time passes wherever a time.Time parameter is expected. */
export const ZONED_TIME_TYPE: GoType = { name: 'time.Time', kind: 'struct' };
/** Not an identifier, so templates cannot reach it as a field. */
const ZONE_KEY = ' location';
const NANOS_PER_SECOND = 1_000_000_000n;
const NANOS_PER_MILLI = 1_000_000n;

/** A time.Time at `unixNanos` in the IANA zone `zone`. */
export function zonedTime(unixNanos: bigint, zone: string): StructValue {
  return { kind: 'struct', type: ZONED_TIME_TYPE, value: new Map([[ZONE_KEY, goString(zone)]]), unixNanos };
}

/** The zone of a time value: its IANA name, or 'UTC' for plain (UTC) times. */
export function zoneOf(time: GoValue): string {
  if (time.kind !== 'struct' || time.type !== ZONED_TIME_TYPE) return 'UTC';
  const zone = time.value.get(ZONE_KEY);
  return zone?.kind === 'string' ? zone.value : 'UTC';
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string, locale: string, timeZoneName: 'longOffset' | 'short'): Intl.DateTimeFormat {
  const key = `${zone}\u0000${locale}\u0000${timeZoneName}`;
  let cached = formatters.get(key);
  if (cached === undefined) {
    cached = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName });
    formatters.set(key, cached);
  }
  return cached;
}

function zoneName(zone: string, locale: string, style: 'longOffset' | 'short', unixNanos: bigint): string {
  const date = new Date(Number(floorDiv(unixNanos, NANOS_PER_MILLI)));
  return (
    formatter(zone, locale, style)
      .formatToParts(date)
      .find((part) => part.type === 'timeZoneName')?.value ?? ''
  );
}

/** time.LoadLocation: "" and "UTC" are UTC, "Local" the server's zone, else an IANA name. */
export function loadLocation(name: string): string {
  if (name === '' || name === 'UTC') return 'UTC';
  if (name === 'Local') return new Intl.DateTimeFormat().resolvedOptions().timeZone;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    throw new GoFuncError(`unknown time zone ${name}`);
  }
  // ICU accepts any letter case; Go's zoneinfo lookup is by file name, which is case-sensitive.
  if (resolved !== name && resolved.toLowerCase() === name.toLowerCase())
    throw new GoFuncError(`unknown time zone ${name}`);
  return name;
}

/** The zone's UTC offset at an instant, in seconds ("GMT+05:30" → 19800). */
export function offsetSeconds(zone: string, unixNanos: bigint): number {
  if (zone === 'UTC') return 0;
  const match = /^GMT([+-])(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(
    zoneName(zone, 'en-US', 'longOffset', unixNanos),
  );
  if (match === null) return 0;
  const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60 + Number(match[4] ?? 0);
  return match[1] === '-' ? -seconds : seconds;
}

/** The zone abbreviation Go prints for MST ("CEST", "EDT"), or tzdata's numeric form ("+03"). */
function abbreviation(zone: string, unixNanos: bigint, offset: number): string {
  if (zone === 'UTC') return 'UTC';
  for (const locale of ['en-US', 'en-GB']) {
    const name = zoneName(zone, locale, 'short', unixNanos);
    if (/^[A-Z]{2,5}$/.test(name)) return name;
  }
  return numericOffset(offset, offset % 3600 === 0 ? 'hours' : 'minutes', '');
}

function numericOffset(
  offset: number,
  precision: 'hours' | 'minutes' | 'seconds',
  separator: string,
): string {
  const abs = Math.abs(offset);
  const two = (n: number): string => String(n).padStart(2, '0');
  let text = `${offset < 0 ? '-' : '+'}${two(Math.floor(abs / 3600))}`;
  if (precision !== 'hours') text += `${separator}${two(Math.floor(abs / 60) % 60)}`;
  if (precision === 'seconds') text += `${separator}${two(abs % 60)}`;
  return text;
}

/** Go's zone chunks of a layout, longest first where one is a prefix of another (nextStdChunk). */
const ZONE_CHUNKS = [
  'Z070000',
  'Z07:00:00',
  'Z0700',
  'Z07:00',
  'Z07',
  '-070000',
  '-07:00:00',
  '-0700',
  '-07:00',
  '-07',
  'MST',
];

function zoneChunkText(chunk: string, offset: number, abbr: string): string {
  if (chunk === 'MST') return abbr;
  // Go's "ugly special case": the Z variants print "Z" for UTC, as ISO 8601 writes it.
  if (chunk.startsWith('Z') && offset === 0) return 'Z';
  const separator = chunk.includes(':') ? ':' : '';
  const digits = chunk.replace(/[^0-9]/g, '').length;
  return numericOffset(offset, digits === 2 ? 'hours' : digits === 6 ? 'seconds' : 'minutes', separator);
}

/** Time.Format for a time in `zone`: the wall clock there, and its offset and abbreviation. */
export function formatZoned(unixNanos: bigint, zone: string, layout: string): string {
  const offset = offsetSeconds(zone, unixNanos);
  const wallNanos = unixNanos + BigInt(offset) * NANOS_PER_SECOND;
  const abbr = abbreviation(zone, unixNanos, offset);
  let out = '';
  let segmentStart = 0;
  for (let i = 0; i < layout.length;) {
    const chunk = ZONE_CHUNKS.find((candidate) => layout.startsWith(candidate, i));
    if (chunk === undefined) {
      i++;
      continue;
    }
    out += formatTime(wallNanos, layout.slice(segmentStart, i)) + zoneChunkText(chunk, offset, abbr);
    i += chunk.length;
    segmentStart = i;
  }
  return out + formatTime(wallNanos, layout.slice(segmentStart));
}

/** Go's Time.String layout; the JSON layout is RFC 3339 with nanoseconds. */
export const TIME_STRING_LAYOUT = '2006-01-02 15:04:05.999999999 -0700 MST';
export const RFC3339_NANO_LAYOUT = '2006-01-02T15:04:05.999999999Z07:00';

const WALL_CLOCK_METHODS = [
  'Year',
  'Month',
  'Day',
  'Hour',
  'Minute',
  'Second',
  'Nanosecond',
  'YearDay',
  'Weekday',
];
const INSTANT_METHODS = [
  'Unix',
  'UnixMilli',
  'UnixMicro',
  'UnixNano',
  'Before',
  'After',
  'Equal',
  'IsZero',
  'Sub',
];

/** A method of the UTC time at `nanos` (the wall clock, for WALL_CLOCK_METHODS), called as is. */
function delegate(name: string, shifted: boolean): Method {
  return (t) => {
    const nanos = t.kind === 'struct' ? (t.unixNanos ?? 0n) : 0n;
    const offset = shifted ? BigInt(offsetSeconds(zoneOf(t), nanos)) * NANOS_PER_SECOND : 0n;
    const method = findMethod(goTime(nanos + offset), name);
    if (method === undefined) throw new GoFuncError(`time.Time has no method ${name}`);
    return method;
  };
}

function zonedMethods(): Record<string, Method> {
  const nanosOf = (t: GoValue): bigint => (t.kind === 'struct' ? (t.unixNanos ?? 0n) : 0n);
  const methods: Record<string, Method> = {
    Format: (t) =>
      goFunc([GO.string], ([layout]) =>
        goString(formatZoned(nanosOf(t), zoneOf(t), layout?.kind === 'string' ? layout.value : '')),
      ),
    String: (t) => goFunc([], () => goString(formatZoned(nanosOf(t), zoneOf(t), TIME_STRING_LAYOUT))),
    UTC: (t) => goFunc([], () => goTime(nanosOf(t))),
    Local: (t) => goFunc([], () => zonedTime(nanosOf(t), loadLocation('Local'))),
    Add: (t) =>
      goFunc([GO.duration], ([d = INVALID]) =>
        zonedTime(nanosOf(t) + (d.kind === 'int' ? d.value : 0n), zoneOf(t)),
      ),
  };
  for (const name of WALL_CLOCK_METHODS) methods[name] = delegate(name, true);
  for (const name of INSTANT_METHODS) methods[name] = delegate(name, false);
  return methods;
}

registerMethods(ZONED_TIME_TYPE, zonedMethods());
