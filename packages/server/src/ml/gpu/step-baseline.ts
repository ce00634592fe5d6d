/**
 * Per-step helpers of the GPU correlation: a trailing-median baseline and runs of flagged steps.
 * A median rather than a mean so that one earlier spike does not lift the baseline and hide the
 * next (the robust-baseline argument of Rousseeuw & Croux, "Alternatives to the median absolute
 * deviation", JASA 1993: the median's breakdown point is 50%, the mean's 0%).
 */

/**
 * The median of the values (the mean of the two middle ones for an even count); null when empty.
 *
 * @example
 * median([3, 1, 2, 10]); // 2.5
 */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const upper = sorted[middle] ?? NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? NaN) + upper) / 2;
}

/**
 * The median of the non-null values among the `windowSteps` steps before `index` (not including
 * it); null when fewer than `minValues` of them have a value.
 *
 * @example
 * trailingMedian([10, null, 12, 11, 50], 4, 4, 3); // 11
 */
export function trailingMedian(
  values: readonly (number | null)[],
  index: number,
  windowSteps: number,
  minValues: number,
): number | null {
  const window: number[] = [];
  for (let i = Math.max(0, index - windowSteps); i < index; i++) {
    const value = values[i];
    if (value !== null && value !== undefined) window.push(value);
  }
  return window.length >= Math.max(1, minValues) ? median(window) : null;
}

/** A run of consecutive flagged steps: indices `first` … `last`, both included. */
export interface StepRun {
  first: number;
  last: number;
}

/**
 * The runs of consecutive true flags, in order.
 *
 * @example
 * flaggedRuns([false, true, true, false, true]); // [{ first: 1, last: 2 }, { first: 4, last: 4 }]
 */
export function flaggedRuns(flags: readonly boolean[]): StepRun[] {
  const runs: StepRun[] = [];
  let open: StepRun | undefined;
  flags.forEach((flagged, index) => {
    if (!flagged) {
      open = undefined;
      return;
    }
    if (open) open.last = index;
    else runs.push((open = { first: index, last: index }));
  });
  return runs;
}
