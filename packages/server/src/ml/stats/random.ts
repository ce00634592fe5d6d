/**
 * Seeded randomness for the bootstrap and for synthetic test data: a small deterministic PRNG and
 * exact binomial / multinomial samplers. The special functions (normal CDF and quantile,
 * incomplete gamma, chi-square tail) are in special-functions.ts.
 */

/**
 * A deterministic uniform generator on [0, 1): mulberry32 (Tommy Ettinger, 2017; 32-bit state,
 * period 2³², passes gjrand/PractRand to several GB — ample for a 1000-iteration bootstrap).
 * Same seed, same sequence, on every platform.
 *
 * @example
 * const random = seededRandom(42);
 * random(); // same number on every run
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal variate by the Box–Muller transform (two uniforms in, one normal out). */
export function standardNormal(random: () => number): number {
  const u = 1 - random(); // (0, 1]: log(0) would be -Infinity
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Below this mean (trials·p, p ≤ ½) inversion is used; PyTorch and Hörmann use the same cut. */
const INVERSION_MAX_MEAN = 10;

/**
 * A Binomial(trials, p) variate, exact at every size:
 * - trials·min(p, 1−p) < 10: sequential inversion of the CDF (Kachitvichyanukul & Schmeiser 1988,
 *   "BINV"), expected O(trials·p) steps;
 * - otherwise Hörmann's BTRS, transformed rejection with squeeze (W. Hörmann, "The generation of
 *   binomial random variates", J. Statist. Comput. Simul. 46, 1993), O(1) expected per variate.
 * Chosen over the normal approximation because canary error counts and bootstrap bucket counts are
 * often small (a normal approximation is visibly wrong there) and over BTPE because BTRS is a third
 * of the code with the same exactness.
 *
 * @example binomialSample(seededRandom(1), 100, 0.3) // an integer near 30
 */
export function binomialSample(random: () => number, trials: number, p: number): number {
  if (!Number.isInteger(trials) || trials < 0) throw new RangeError('trials must be a non-negative integer');
  if (!(p >= 0 && p <= 1)) throw new RangeError('p must be in [0, 1]');
  if (trials === 0 || p === 0) return 0;
  if (p === 1) return trials;
  // Sample the rarer outcome: both methods assume p ≤ ½.
  const flipped = p > 0.5;
  const rareP = flipped ? 1 - p : p;
  const successes =
    trials * rareP < INVERSION_MAX_MEAN
      ? binomialInversion(random, trials, rareP)
      : binomialBtrs(random, trials, rareP);
  return flipped ? trials - successes : successes;
}

/** CDF inversion by the pmf recurrence f(x) = f(x−1)·((n+1)s/x − s), s = p/q (BINV). */
function binomialInversion(random: () => number, trials: number, p: number): number {
  const q = 1 - p;
  const s = p / q;
  const a = (trials + 1) * s;
  let probability = Math.exp(trials * Math.log1p(-p));
  let u = random();
  let x = 0;
  while (u > probability) {
    u -= probability;
    x += 1;
    // Rounding can leave u a hair above the remaining mass: stop at the support's end.
    if (x > trials) return trials;
    probability *= a / x - s;
  }
  return x;
}

/**
 * fc(k) = ln k! − [(k + ½) ln(k + 1) − (k + 1) + ½ ln 2π], the Stirling remainder BTRS needs.
 * Exact values below 10 (computed from ln k!), the asymptotic series above (Hörmann 1993, eq. 9).
 */
const STIRLING_TAIL = [
  0.0810614667953272, 0.0413406959554092, 0.0276779256849983, 0.02079067210376509, 0.0166446911898211,
  0.0138761288230707, 0.0118967099458917, 0.010411265261972, 0.00925546218271273, 0.00833056343336287,
];
function stirlingTail(k: number): number {
  if (k < STIRLING_TAIL.length) return STIRLING_TAIL[k]!;
  const kp1 = k + 1;
  const kp1sq = kp1 * kp1;
  return (1 / 12 - (1 / 360 - 1 / 1260 / kp1sq) / kp1sq) / kp1;
}

/** Hörmann's BTRS, step for step as in the paper (p ≤ ½, trials·p ≥ 10). */
function binomialBtrs(random: () => number, trials: number, p: number): number {
  const spq = Math.sqrt(trials * p * (1 - p));
  const b = 1.15 + 2.53 * spq;
  const a = -0.0873 + 0.0248 * b + 0.01 * p;
  const c = trials * p + 0.5;
  const vr = 0.92 - 4.2 / b;
  const alpha = (2.83 + 5.1 / b) * spq;
  const lpq = Math.log(p / (1 - p));
  const m = Math.floor((trials + 1) * p);
  const logPmfModeTerms = logFactorialPair(m, trials);
  for (;;) {
    const u = random() - 0.5;
    const v = random();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + c);
    if (k < 0 || k > trials) continue;
    if (us >= 0.07 && v <= vr) return k;
    // Accept when ln(v·α/(a/us² + b)) ≤ ln f(k)/f(m) = ln m!(n−m)!/(k!(n−k)!) + (k − m)·ln(p/q).
    const logV = Math.log((v * alpha) / (a / (us * us) + b));
    if (logV <= logPmfModeTerms - logFactorialPair(k, trials) + (k - m) * lpq) return k;
  }
}

/**
 * ln j! + ln (n−j)! by Stirling with the exact remainder fc, less the terms −(n + 2) + ln 2π that
 * cancel in BTRS's ratio f(k)/f(m).
 */
function logFactorialPair(j: number, trials: number): number {
  const rest = trials - j;
  return (
    (j + 0.5) * Math.log(j + 1) + (rest + 0.5) * Math.log(rest + 1) + stirlingTail(j) + stirlingTail(rest)
  );
}

/**
 * One Multinomial(trials, probabilities) draw by sequential conditional binomials: category i gets
 * Binomial(remaining trials, pᵢ / remaining probability) — O(k) binomial draws, not O(trials).
 * `probabilities` need not sum to 1 (bucket weights work as they are); they must be ≥ 0.
 *
 * @example multinomialSample(seededRandom(7), 100, [0.2, 0.3, 0.5]) // e.g. [19, 33, 48]
 */
export function multinomialSample(
  random: () => number,
  trials: number,
  probabilities: readonly number[],
): number[] {
  if (!Number.isInteger(trials) || trials < 0) throw new RangeError('trials must be a non-negative integer');
  let remainingMass = 0;
  for (const probability of probabilities) {
    if (!(probability >= 0) || !Number.isFinite(probability))
      throw new RangeError('probabilities must be finite and >= 0');
    remainingMass += probability;
  }
  const counts = new Array<number>(probabilities.length).fill(0);
  if (trials > 0 && !(remainingMass > 0)) throw new RangeError('probabilities must not all be 0');
  let remaining = trials;
  for (let i = 0; i < probabilities.length && remaining > 0; i++) {
    const probability = probabilities[i]!;
    const share = probability >= remainingMass ? 1 : probability / remainingMass;
    const count = binomialSample(random, remaining, share);
    counts[i] = count;
    remaining -= count;
    remainingMass -= probability;
  }
  return counts;
}
