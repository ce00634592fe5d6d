/**
 * The demo's failure scenarios: names, what each one injects, and parsing of the `--scenario a,b`
 * flag and the control API's bodies. Every service applies the ones that concern it.
 */
export const SCENARIOS = {
  'slow-feature-store': 'feature-store reads take ~120 ms longer (warn logs)',
  'null-features':
    'a broken upstream pipeline nulls ~8% of features: ml.preprocess.null_count rises, scores shift',
  'gpu-throttling': 'GPU thermal throttling: temperature up, SM clock down, forward pass ~40% slower',
  'canary-regression': 'fraud-model v3.2 (canary, 10% of traffic) forward pass 15% slower',
  'propagation-gap': 'embedding → vector-store loses trace context: disconnected traces and orphan spans',
  'clock-skew': "feature-store's host clock runs 250 ms ahead",
  'error-burst': 'fraud-model fails 20% of inferences with 500s (error spans, error logs)',
} as const;

export type ScenarioName = keyof typeof SCENARIOS;

export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];

export function isScenarioName(name: string): name is ScenarioName {
  return Object.hasOwn(SCENARIOS, name);
}

/** Parses "a,b" (blank entries ignored); throws naming the first unknown scenario (never the whole input). */
export function parseScenarioList(text: string): ScenarioName[] {
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  return validateScenarioNames(names);
}

/** Validates a list of names from JSON; de-duplicates while keeping order. */
export function validateScenarioNames(names: readonly unknown[]): ScenarioName[] {
  const result: ScenarioName[] = [];
  for (const name of names) {
    if (typeof name !== 'string' || !isScenarioName(name)) {
      throw new Error(`unknown scenario (known: ${SCENARIO_NAMES.join(', ')})`);
    }
    if (!result.includes(name)) result.push(name);
  }
  return result;
}

/** How much the clock-skew scenario moves the skewed host's clock. */
export const CLOCK_SKEW_MILLIS = 250;
/** canary-regression: v3.2's forward pass is this much slower than v3.1's. */
export const CANARY_SLOWDOWN_FACTOR = 1.15;
/** gpu-throttling: forward passes on a throttled GPU take this much longer. */
export const THROTTLED_SLOWDOWN_FACTOR = 1.4;
/** error-burst: the fraction of inferences that fail. */
export const ERROR_BURST_FRACTION = 0.2;
/** slow-feature-store: added read latency. */
export const SLOW_FEATURE_STORE_EXTRA_MILLIS = 120;
/** null-features: the fraction of features the broken pipeline nulls (baseline: 0.3%). */
export const BROKEN_PIPELINE_NULL_FRACTION = 0.08;
export const BASELINE_NULL_FRACTION = 0.003;
