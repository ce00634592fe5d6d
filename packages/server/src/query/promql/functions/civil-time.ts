/**
 * UTC calendar fields of a Unix time in whole seconds, computed with integer arithmetic (Howard
 * Hinnant's days-from-civil algorithms) so that it is exact far beyond the ±8.64e15 ms that
 * JavaScript's Date supports, as Go's time package is.
 */

/** The calendar fields PromQL's date functions return (Go's time.Time accessors). */
export interface CivilTime {
  year: number;
  /** 1–12. */
  month: number;
  /** 1–31. */
  day: number;
  hour: number;
  minute: number;
  /** 0 = Sunday … 6 = Saturday. */
  dayOfWeek: number;
  /** 1–366. */
  dayOfYear: number;
  daysInMonth: number;
}

const SECONDS_PER_DAY = 86_400;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Calendar fields of `unixSeconds` (an integer). Undefined for non-integers and values outside
 * Go's int64, where Go's float-to-int conversion is platform-defined.
 *
 * @example
 * civilTime(1136239445); // 2006-01-02 22:04:05 UTC: { year: 2006, month: 1, day: 2, hour: 22, … }
 */
export function civilTime(unixSeconds: number): CivilTime | undefined {
  if (!Number.isInteger(unixSeconds) || Math.abs(unixSeconds) >= 2 ** 63) return undefined;
  const [days, secondOfDay] = splitDays(unixSeconds);
  const [year, month, day] = civilFromDays(days);
  return {
    year,
    month,
    day,
    hour: Math.floor(secondOfDay / 3600),
    minute: Math.floor((secondOfDay % 3600) / 60),
    // 1970-01-01 was a Thursday.
    dayOfWeek: mod(days + 4, 7),
    dayOfYear: days - daysFromCivil(year, 1, 1) + 1,
    daysInMonth: month === 2 && isLeapYear(year) ? 29 : (MONTH_DAYS[month - 1] ?? NaN),
  };
}

/** Whole days since the epoch and the second within the day, exactly (BigInt past 2^53). */
function splitDays(unixSeconds: number): [number, number] {
  if (Number.isSafeInteger(unixSeconds)) {
    const second = mod(unixSeconds, SECONDS_PER_DAY);
    return [(unixSeconds - second) / SECONDS_PER_DAY, second];
  }
  const seconds = BigInt(unixSeconds);
  const perDay = BigInt(SECONDS_PER_DAY);
  let second = seconds % perDay;
  if (second < 0n) second += perDay;
  return [Number((seconds - second) / perDay), Number(second)];
}

function civilFromDays(daysSinceEpoch: number): [number, number, number] {
  const z = daysSinceEpoch + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return [year, month, day];
}

function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

function mod(value: number, modulus: number): number {
  const remainder = value % modulus;
  // `+ 0` turns the -0 of an exact negative multiple into 0.
  return remainder < 0 ? remainder + modulus : remainder + 0;
}
