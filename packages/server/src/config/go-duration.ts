/**
 * Go `time.ParseDuration` syntax, which the Collector's settings use for durations: a signed
 * sequence of decimal numbers with units ns, us (µs), ms, s, m, h ("100us", "1.5s", "1h30m",
 * "-5s"). config/duration.ts covers Prometheus's units (d, w, y) but not sub-millisecond ones,
 * which spanmetrics histogram buckets use (`[100us, 1ms, …]` in its README).
 */
const UNIT_MILLIS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/**
 * Milliseconds (fractional) of a Go duration string. Throws on anything Go would refuse, with
 * Go's words ("time: invalid duration").
 *
 * @example
 * parseGoDurationMillis('100us'); // 0.1
 * parseGoDurationMillis('1m30s'); // 90000
 */
export function parseGoDurationMillis(text: string): number {
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  // Go accepts a bare "0" without a unit; nothing else may omit it.
  if (rest === '0') return 0;
  let totalMs = 0;
  PART.lastIndex = 0;
  let consumed = 0;
  for (let match = PART.exec(rest); match; match = PART.exec(rest)) {
    totalMs += Number(match[1]) * (UNIT_MILLIS[match[2] ?? ''] ?? NaN);
    consumed = PART.lastIndex;
  }
  if (rest === '' || consumed !== rest.length || !Number.isFinite(totalMs)) {
    throw new Error(`time: invalid duration "${text}"`);
  }
  return sign * totalMs;
}
