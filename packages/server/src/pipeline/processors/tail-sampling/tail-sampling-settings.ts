import { SettingsReader } from '../../graph/settings-reader.ts';
import type { NamedPolicy } from './decision.ts';
import { int64 } from './policy-block-settings.ts';
import { parsePolicies } from './policy-settings.ts';

/** The `tail_sampling` processor's settings, validated, with upstream's defaults applied. */
export interface TailSamplingSettings {
  /** From a trace's first span to its decision (upstream default 30s). */
  decisionWaitMs: number;
  /** Undecided traces held at once (upstream default 50000). */
  numTraces: number;
  /** Upstream's sizing hint; JS maps grow on their own, so Vigil only accepts it. */
  expectedNewTracesPerSec: number;
  /** Trace ids remembered as kept / dropped so late spans follow (0: see `decisionCacheSize`). */
  sampledCacheSize: number;
  nonSampledCacheSize: number;
  sampleOnFirstMatch: boolean;
  dropPendingTracesOnShutdown: boolean;
  policies: NamedPolicy[];
}

const KNOWN_KEYS = [
  'decision_wait',
  'num_traces',
  'expected_new_traces_per_sec',
  'decision_cache',
  'sample_on_first_match',
  'drop_pending_traces_on_shutdown',
  'policies',
];

/**
 * Parses `tail_sampling` settings (processor/tailsamplingprocessor/config.go, factory.go defaults).
 * `warn` receives one line per setting upstream accepts and ignores.
 *
 * @example
 * const settings = parseTailSamplingSettings(
 *   { decision_wait: '10s', policies: [{ name: 'errors', type: 'status_code', status_code: { status_codes: ['ERROR'] } }] },
 *   console.warn,
 * );
 */
export function parseTailSamplingSettings(value: unknown, warn: (line: string) => void = () => {}): TailSamplingSettings {
  const reader = SettingsReader.of(value);
  reader.allowOnly(KNOWN_KEYS);
  const decisionWaitMs = reader.durationMs('decision_wait', 30_000);
  if (decisionWaitMs < 0) throw reader.error('decision_wait must not be negative', 'decision_wait');
  const numTraces = int64(reader, 'num_traces', 50_000);
  if (numTraces <= 0) throw reader.error('num_traces must be greater than zero', 'num_traces');
  const cache = reader.child('decision_cache');
  cache?.allowOnly(['sampled_cache_size', 'non_sampled_cache_size']);
  return {
    decisionWaitMs,
    numTraces,
    expectedNewTracesPerSec: int64(reader, 'expected_new_traces_per_sec', 0),
    sampledCacheSize: cache ? int64(cache, 'sampled_cache_size') : 0,
    nonSampledCacheSize: cache ? int64(cache, 'non_sampled_cache_size') : 0,
    sampleOnFirstMatch: reader.boolean('sample_on_first_match', false),
    dropPendingTracesOnShutdown: reader.boolean('drop_pending_traces_on_shutdown', false),
    policies: parsePolicies(reader, warn),
  };
}

/**
 * The size of a decision cache. Upstream's caches are off at size 0, but a decided trace then stays
 * in its trace map (spans released, verdict kept) until `num_traces` newer traces push it out, so
 * late spans still follow the verdict. Vigil frees the slot at once and gives a 0-sized cache
 * `num_traces` entries instead: the same reach for late spans, without holding undecided capacity.
 */
export function decisionCacheSize(configuredSize: number, numTraces: number): number {
  return configuredSize > 0 ? configuredSize : numTraces;
}
