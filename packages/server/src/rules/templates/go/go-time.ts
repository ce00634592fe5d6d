/**
 * time.Time and time.Duration as templates print them: Time.String ("2015-06-23 13:19:44.128 +0000
 * UTC"), Time.Format with Go's reference layouts, and Duration.String ("1h0m0s", "1.5ms"). Times are
 * Unix nanoseconds (bigint) and always in UTC, as Prometheus's toTime/humanizeTimestamp return them.
 */

export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

export const WEEKDAY_NAMES = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
] as const;

const NANOS_PER_SECOND = 1_000_000_000n;

/** Calendar fields of a UTC instant. */
export interface TimeParts {
  year: number;
  /** 1-12. */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  nanosecond: number;
  /** 0 = Sunday. */
  weekday: number;
  /** 1-366. */
  yearDay: number;
}

/** Floor division, as Go's time package splits nanoseconds into seconds. */
export function floorDiv(value: bigint, divisor: bigint): bigint {
  const quotient = value / divisor;
  return value % divisor !== 0n && value < 0n !== divisor < 0n ? quotient - 1n : quotient;
}

export function timeParts(unixNanos: bigint): TimeParts {
  const seconds = floorDiv(unixNanos, NANOS_PER_SECOND);
  const date = new Date(Number(seconds) * 1000);
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
  const dayStart = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear does not.
  const start = new Date(yearStart);
  start.setUTCFullYear(date.getUTCFullYear());
  const day = new Date(dayStart);
  day.setUTCFullYear(date.getUTCFullYear());
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
    nanosecond: Number(unixNanos - seconds * NANOS_PER_SECOND),
    weekday: date.getUTCDay(),
    yearDay: Math.round((day.getTime() - start.getTime()) / 86_400_000) + 1,
  };
}

function pad(value: number, width: number, fill = '0'): string {
  const text = String(Math.abs(value)).padStart(width, fill);
  return value < 0 ? `-${text}` : text;
}

/** The fractional-second chunk: `.000` keeps zeros, `.999` trims them (and the dot if all go). */
function formatFraction(nanosecond: number, digits: number, trim: boolean, separator: string): string {
  let fraction = String(nanosecond).padStart(9, '0').slice(0, digits);
  if (trim) fraction = fraction.replace(/0+$/, '');
  return fraction === '' ? '' : separator + fraction;
}

type ChunkFormatter = (parts: TimeParts) => string;

const hour12 = (hour: number): number => (hour % 12 === 0 ? 12 : hour % 12);

/** Go's std chunks, longest first where one is a prefix of another. */
const CHUNKS: readonly (readonly [string, ChunkFormatter])[] = [
  ['January', (p) => MONTH_NAMES[p.month - 1] ?? ''],
  ['Monday', (p) => WEEKDAY_NAMES[p.weekday] ?? ''],
  ['2006', (p) => pad(p.year, 4)],
  ['Z070000', () => 'Z'],
  ['Z07:00:00', () => 'Z'],
  ['Z0700', () => 'Z'],
  ['Z07:00', () => 'Z'],
  ['Z07', () => 'Z'],
  ['-070000', () => '+000000'],
  ['-07:00:00', () => '+00:00:00'],
  ['-0700', () => '+0000'],
  ['-07:00', () => '+00:00'],
  ['-07', () => '+00'],
  ['MST', () => 'UTC'],
  ['002', (p) => pad(p.yearDay, 3)],
  ['__2', (p) => pad(p.yearDay, 3, ' ')],
  ['_2', (p) => pad(p.day, 2, ' ')],
  ['01', (p) => pad(p.month, 2)],
  ['02', (p) => pad(p.day, 2)],
  ['03', (p) => pad(hour12(p.hour), 2)],
  ['04', (p) => pad(p.minute, 2)],
  ['05', (p) => pad(p.second, 2)],
  ['06', (p) => pad(p.year % 100, 2)],
  ['15', (p) => pad(p.hour, 2)],
  ['PM', (p) => (p.hour >= 12 ? 'PM' : 'AM')],
  ['pm', (p) => (p.hour >= 12 ? 'pm' : 'am')],
  ['1', (p) => String(p.month)],
  ['2', (p) => String(p.day)],
  ['3', (p) => String(hour12(p.hour))],
  ['4', (p) => String(p.minute)],
  ['5', (p) => String(p.second)],
];

/** "Jan"/"Mon" are chunks only when not followed by a lower-case letter (Go's startsWithLowerCase). */
function shortNameChunk(layout: string, i: number): [number, ChunkFormatter] | undefined {
  const word = layout.slice(i, i + 3);
  const next = layout[i + 3] ?? '';
  if (/[a-z]/.test(next) || (word !== 'Jan' && word !== 'Mon')) return undefined;
  return word === 'Jan'
    ? [3, (p) => (MONTH_NAMES[p.month - 1] ?? '').slice(0, 3)]
    : [3, (p) => (WEEKDAY_NAMES[p.weekday] ?? '').slice(0, 3)];
}

function fractionChunk(layout: string, i: number): [number, ChunkFormatter] | undefined {
  const separator = layout[i] ?? '';
  const digit = layout[i + 1];
  if ((separator !== '.' && separator !== ',') || (digit !== '0' && digit !== '9')) return undefined;
  let end = i + 1;
  while (layout[end] === digit) end++;
  if (/[0-9]/.test(layout[end] ?? '')) return undefined;
  const digits = Math.min(end - i - 1, 9);
  return [end - i, (p) => formatFraction(p.nanosecond, digits, digit === '9', separator)];
}

/** The std chunk starting at `i`, if any: its length and formatter (Go's nextStdChunk). */
function chunkAt(layout: string, i: number): [number, ChunkFormatter] | undefined {
  if (layout.startsWith('_2006', i)) return undefined; // a literal '_' before 2006
  for (const [text, format] of CHUNKS) if (layout.startsWith(text, i)) return [text.length, format];
  return shortNameChunk(layout, i) ?? fractionChunk(layout, i);
}

/** Characters that can start a std chunk; others are copied without a chunk lookup. */
const CHUNK_STARTS = new Set('JMZ-0123456_Pp.,');

/** Time.Format(layout) in UTC. @example formatTime(0n, '2006') // "1970" */
export function formatTime(unixNanos: bigint, layout: string): string {
  const parts = timeParts(unixNanos);
  let out = '';
  for (let i = 0; i < layout.length;) {
    const chunk = CHUNK_STARTS.has(layout[i] ?? '') ? chunkAt(layout, i) : undefined;
    if (chunk === undefined) {
      out += layout[i];
      i++;
      continue;
    }
    out += chunk[1](parts);
    i += chunk[0];
  }
  return out;
}

/** Time.String() for a UTC time. */
export function timeString(unixNanos: bigint): string {
  return formatTime(unixNanos, '2006-01-02 15:04:05.999999999 -0700 MST');
}

/** Duration.String(): "1h0m0s", "1.5s", "1.5ms", "100µs", "10ns", "0s". */
export function durationString(nanos: bigint): string {
  const negative = nanos < 0n;
  const abs = negative ? -nanos : nanos;
  const sign = negative ? '-' : '';
  if (abs === 0n) return '0s';
  if (abs < NANOS_PER_SECOND) {
    const [divisor, unit] =
      abs < 1_000n ? [1n, 'ns'] : abs < 1_000_000n ? [1_000n, 'µs'] : [1_000_000n, 'ms'];
    return `${sign}${decimalWithFraction(abs, divisor)}${unit}`;
  }
  const seconds = decimalWithFraction(abs % 60_000_000_000n, NANOS_PER_SECOND);
  const totalMinutes = abs / 60_000_000_000n;
  if (totalMinutes === 0n) return `${sign}${seconds}s`;
  const hours = totalMinutes / 60n;
  const minutes = `${totalMinutes % 60n}m${seconds}s`;
  return hours === 0n ? `${sign}${minutes}` : `${sign}${hours}h${minutes}`;
}

/** value / divisor with the fraction's trailing zeros (and a bare point) dropped. */
function decimalWithFraction(value: bigint, divisor: bigint): string {
  const whole = value / divisor;
  const width = divisor.toString().length - 1;
  const fraction = (value % divisor).toString().padStart(width, '0').replace(/0+$/, '');
  return fraction === '' ? whole.toString() : `${whole}.${fraction}`;
}
