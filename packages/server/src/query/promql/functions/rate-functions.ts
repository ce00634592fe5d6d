import { possibleNonCounterInfo } from './annotation-messages.ts';
import { defineFunction } from './function-helpers.ts';
import type { PromFunction, RangeFunction, RangeWindow, StepContext } from './function-types.ts';

/**
 * Counter and gauge change functions over a range window: rate, increase, delta (Prometheus's
 * extrapolatedRate), irate and idelta (instantValue), resets and changes (promql/functions.go).
 */

/**
 * extrapolatedRate: the change between the first and last sample in the window (plus the value
 * lost at each counter reset), extrapolated towards the window's edges. Extrapolation reaches an
 * edge only if the nearest sample is within 1.1 average sample intervals of it, otherwise half an
 * interval; for counters it also stops where the counter would have been zero.
 */
function extrapolatedRate(window: RangeWindow, isCounter: boolean, isRate: boolean): number | undefined {
  const { timestampsMs, values, first, end } = window;
  const last = end - 1;
  if (end - first < 2) return undefined;
  const firstValue = values[first] ?? NaN;
  const firstMs = timestampsMs[first] ?? NaN;
  const lastMs = timestampsMs[last] ?? NaN;
  let result = (values[last] ?? NaN) - firstValue;
  if (isCounter) result += counterResetCorrection(values, first, end);

  const sampledIntervalSec = (lastMs - firstMs) / 1000;
  const averageIntervalSec = sampledIntervalSec / (end - first - 1);
  const threshold = averageIntervalSec * 1.1;
  let toStartSec = (firstMs - window.rangeStartMs) / 1000;
  let toEndSec = (window.rangeEndMs - lastMs) / 1000;
  if (toStartSec >= threshold) toStartSec = averageIntervalSec / 2;
  if (isCounter && result > 0 && firstValue >= 0) {
    // Counters cannot be negative: do not extrapolate back past the counter's zero point.
    const toZeroSec = sampledIntervalSec * (firstValue / result);
    if (toZeroSec < toStartSec) toStartSec = toZeroSec;
  }
  if (toEndSec >= threshold) toEndSec = averageIntervalSec / 2;

  let factor = (sampledIntervalSec + toStartSec + toEndSec) / sampledIntervalSec;
  if (isRate) factor /= (window.rangeEndMs - window.rangeStartMs) / 1000;
  return result * factor;
}

/** For each drop in value, the value before it: a reset counter restarted from zero. */
function counterResetCorrection(values: ArrayLike<number>, first: number, end: number): number {
  // Most windows hold no reset: a per-series count of drops answers that without the loop.
  const drops = dropCounts(values);
  if (drops[end - 1] === drops[first]) return 0;
  let correction = 0;
  for (let i = first + 1; i < end; i++) {
    const previous = values[i - 1] ?? NaN;
    if ((values[i] ?? NaN) < previous) correction += previous;
  }
  return correction;
}

const dropCountCache = new WeakMap<ArrayLike<number>, Int32Array>();

/** dropCounts[i]: how many times the value fell between sample 0 and sample i. */
function dropCounts(values: ArrayLike<number>): Int32Array {
  let counts = dropCountCache.get(values);
  if (counts) return counts;
  counts = new Int32Array(values.length);
  for (let i = 1; i < values.length; i++) {
    counts[i] = (counts[i - 1] ?? 0) + ((values[i] ?? NaN) < (values[i - 1] ?? NaN) ? 1 : 0);
  }
  dropCountCache.set(values, counts);
  return counts;
}

/**
 * rate() and increase() flag metrics whose names lack a counter suffix (engine.go, once per
 * series with a result; the Annotations sink de-duplicates).
 */
function counterRate(isRate: boolean): RangeFunction {
  return (window, _args, ctx) => {
    const value = extrapolatedRate(window, true, isRate);
    if (value !== undefined) warnIfNotCounter(window.metricName, ctx);
    return value;
  };
}

function warnIfNotCounter(metricName: string | undefined, ctx: StepContext): void {
  if (!metricName || looksLikeCounter(metricName)) return;
  ctx.annotations.info(possibleNonCounterInfo(metricName));
}

// Called for every window of every series: a suffix test instead of a regex keeps it cheap.
const COUNTER_SUFFIXES = ['_total', '_sum', '_count', '_bucket'];

function looksLikeCounter(metricName: string): boolean {
  return COUNTER_SUFFIXES.some((suffix) => metricName.endsWith(suffix));
}

/**
 * instantValue: from the last two samples, their difference (irate: per second; a counter
 * reset makes the later value the increase). Nothing with fewer than two samples.
 */
function instantValue(window: RangeWindow, isRate: boolean): number | undefined {
  const { timestampsMs, values, first, end } = window;
  if (end - first < 2) return undefined;
  const previous = values[end - 2] ?? NaN;
  const latest = values[end - 1] ?? NaN;
  const intervalMs = (timestampsMs[end - 1] ?? NaN) - (timestampsMs[end - 2] ?? NaN);
  if (intervalMs === 0) return undefined;
  // A comparison with NaN is false, so NaN values give NaN rather than a reset.
  const result = isRate && latest < previous ? latest : latest - previous;
  return isRate ? result / (intervalMs / 1000) : result;
}

/** resets(): how often the value dropped. */
const resets: RangeFunction = ({ values, first, end }) => {
  let count = 0;
  for (let i = first + 1; i < end; i++) if ((values[i] ?? NaN) < (values[i - 1] ?? NaN)) count++;
  return count;
};

/** changes(): how often the value changed; NaN followed by NaN is no change. */
const changes: RangeFunction = ({ values, first, end }) => {
  let count = 0;
  for (let i = first + 1; i < end; i++) {
    const previous = values[i - 1] ?? NaN;
    const current = values[i] ?? NaN;
    if (current !== previous && !(Number.isNaN(current) && Number.isNaN(previous))) count++;
  }
  return count;
};

function matrixFunction(name: string, fn: RangeFunction): PromFunction {
  return defineFunction(name, { argTypes: ['matrix'], impl: { kind: 'range', matrixArg: 0, fn } });
}

/** rate, increase, delta, irate, idelta, resets, changes. */
export const RATE_FUNCTIONS: readonly PromFunction[] = [
  matrixFunction('rate', counterRate(true)),
  matrixFunction('increase', counterRate(false)),
  matrixFunction('delta', (window) => extrapolatedRate(window, false, false)),
  matrixFunction('irate', (window) => instantValue(window, true)),
  matrixFunction('idelta', (window) => instantValue(window, false)),
  matrixFunction('resets', resets),
  matrixFunction('changes', changes),
];
