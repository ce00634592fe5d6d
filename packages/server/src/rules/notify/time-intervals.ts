/**
 * Alertmanager time intervals (`time_intervals:` / `mute_time_intervals:`, timeinterval package):
 * named sets of times, weekdays, days of month, months and years, in a time zone. A route muted by
 * an interval sends nothing while the interval contains the current time.
 */
import type { ConfigNode } from './config-reader.ts';

interface Range {
  begin: number;
  end: number;
}

/** One entry of a named interval's `time_intervals` list; absent fields match any time. */
export interface TimeInterval {
  /** Minutes of the day, end exclusive (`times: [{start_time: "09:00", end_time: "17:00"}]`). */
  times?: Range[];
  /** 0 = Sunday, inclusive ranges. */
  weekdays?: Range[];
  /** 1-based; negative counts back from the month's end (-1 = last day). */
  daysOfMonth?: Range[];
  /** 1 = January. */
  months?: Range[];
  years?: Range[];
  /** IANA zone name; UTC when absent. */
  location?: string;
}

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const INTERVAL_FIELDS = ['times', 'weekdays', 'days_of_month', 'months', 'years', 'location'];

/** Parses one named interval's `time_intervals:` list. */
export function parseTimeIntervals(node: ConfigNode): TimeInterval[] {
  return node.items().map((item) => {
    const fields = item.fields(INTERVAL_FIELDS);
    const interval: TimeInterval = {};
    const times = fields.get('times');
    if (times) interval.times = times.items().map(parseTimeRange);
    const weekdays = fields.get('weekdays');
    if (weekdays) interval.weekdays = ranges(weekdays, (text) => nameOrNumber(text, WEEKDAYS, 0), 0, 6);
    const days = fields.get('days_of_month');
    if (days) interval.daysOfMonth = ranges(days, Number, -31, 31);
    const months = fields.get('months');
    if (months) interval.months = ranges(months, (text) => nameOrNumber(text, MONTHS, 1), 1, 12);
    const years = fields.get('years');
    if (years) interval.years = ranges(years, Number, 1, 9999);
    const location = fields.get('location')?.string();
    if (location !== undefined) interval.location = checkedZone(location, fields.get('location') ?? item);
    return interval;
  });
}

function parseTimeRange(node: ConfigNode): Range {
  const fields = node.fields(['start_time', 'end_time']);
  const minutes = (key: string): number => {
    const field = fields.get(key) ?? node;
    const match = /^(\d{1,2}):(\d{2})$/.exec(field.requiredString());
    const value = match ? Number(match[1]) * 60 + Number(match[2]) : NaN;
    if (!(value >= 0 && value <= 24 * 60) || Number(match?.[2]) >= 60)
      throw field.error('expected a time HH:MM between 00:00 and 24:00');
    return value;
  };
  const range = { begin: minutes('start_time'), end: minutes('end_time') };
  if (range.end <= range.begin) throw node.error('end_time must be after start_time');
  return range;
}

function ranges(node: ConfigNode, parse: (text: string) => number, min: number, max: number): Range[] {
  return node.items().map((item) => {
    const text = item.requiredString().toLowerCase();
    const [first = '', second] = text.includes(':') ? text.split(':') : [text];
    const begin = parse(first.trim());
    const end = second === undefined ? begin : parse(second.trim());
    if (![begin, end].every((v) => Number.isInteger(v) && v >= min && v <= max) || (begin === 0 && min < 0))
      throw item.error(`"${text}" is not a valid range`);
    if (Math.sign(begin) === Math.sign(end) && end < begin) throw item.error(`"${text}": end before start`);
    return { begin, end };
  });
}

function nameOrNumber(text: string, names: readonly string[], firstIndex: number): number {
  const index = names.indexOf(text);
  return index >= 0 ? index + firstIndex : /^\d+$/.test(text) ? Number(text) : NaN;
}

function checkedZone(zone: string, node: ConfigNode): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    throw node.error(`unknown time zone "${zone}"`);
  }
  return zone;
}

interface CivilTime {
  year: number;
  month: number;
  day: number;
  weekday: number;
  minuteOfDay: number;
  daysInMonth: number;
}

function civilTime(timeMs: number, zone: string): CivilTime {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    weekday: 'long',
  }).formatToParts(new Date(timeMs));
  const part = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  const year = Number(part('year'));
  const month = Number(part('month'));
  return {
    year,
    month,
    day: Number(part('day')),
    weekday: WEEKDAYS.indexOf(part('weekday').toLowerCase()),
    minuteOfDay: Number(part('hour')) * 60 + Number(part('minute')),
    daysInMonth: new Date(Date.UTC(year, month, 0)).getUTCDate(),
  };
}

/** Whether the interval contains the instant (TimeInterval.ContainsTime). */
export function intervalContains(interval: TimeInterval, timeMs: number): boolean {
  const t = civilTime(timeMs, interval.location ?? 'UTC');
  const inAny = (list: Range[] | undefined, value: number, endExclusive = false): boolean =>
    list === undefined ||
    list.some((r) => value >= r.begin && (endExclusive ? value < r.end : value <= r.end));
  const dayMatches = (r: Range): boolean => {
    // Negative days count from the month's end; ranges clamp to the month as Alertmanager does.
    const begin = r.begin < 0 ? t.daysInMonth + r.begin + 1 : r.begin;
    const end = r.end < 0 ? t.daysInMonth + r.end + 1 : r.end;
    return t.day >= begin && t.day <= Math.min(end, t.daysInMonth);
  };
  return (
    inAny(interval.times, t.minuteOfDay, true) &&
    inAny(interval.weekdays, t.weekday) &&
    (interval.daysOfMonth === undefined || interval.daysOfMonth.some(dayMatches)) &&
    inAny(interval.months, t.month) &&
    inAny(interval.years, t.year)
  );
}

/** Whether any of the named interval's entries contains the instant. */
export function anyIntervalContains(intervals: readonly TimeInterval[], timeMs: number): boolean {
  return intervals.some((interval) => intervalContains(interval, timeMs));
}
