/**
 * Kahan–Babuška (Neumaier) compensated summation, as Prometheus's util/kahansum does. Sums over
 * time, averages and regressions use it so that e.g. `1, 1e100, 1, -1e100` sums to 2, not 0.
 */

/** One running sum with its compensation term. */
export interface KahanState {
  sum: number;
  compensation: number;
}

/**
 * Adds `increment` to the running state in place (kahansum.Inc). Once the sum overflows to ±Inf
 * the compensation is reset: it would otherwise turn the infinite sum into NaN.
 *
 * @example
 * const state = { sum: 0, compensation: 0 };
 * for (const v of [1, 1e100, 1, -1e100]) kahanAdd(state, v);
 * state.sum + state.compensation; // 2
 */
export function kahanAdd(state: KahanState, increment: number): void {
  const { sum } = state;
  const total = sum + increment;
  if (total === Infinity || total === -Infinity) state.compensation = 0;
  else if (Math.abs(sum) >= Math.abs(increment)) state.compensation += sum - total + increment;
  else state.compensation += increment - total + sum;
  state.sum = total;
}

/** A fresh zero state. */
export function kahanZero(): KahanState {
  return { sum: 0, compensation: 0 };
}
