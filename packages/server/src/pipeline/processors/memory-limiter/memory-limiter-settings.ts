import { SettingsReader } from '../../graph/settings-reader.ts';

export const MIB_BYTES = 1024 * 1024;

/**
 * How the limits are written: fixed MiB (`limit_mib`, which wins when both are set, as upstream),
 * or percentages of the memory available to the process.
 */
export type MemoryLimit =
  | { kind: 'fixed'; limitMib: number; spikeLimitMib: number }
  | { kind: 'percentage'; limitPercentage: number; spikeLimitPercentage: number };

/** The `memory_limiter` processor's settings, validated, with the Collector's defaults applied. */
export interface MemoryLimiterSettings {
  checkIntervalMs: number;
  limit: MemoryLimit;
  /** Forced GCs (only when Node runs with --expose-gc) are at least this far apart while soft-limited. */
  minGcIntervalWhenSoftLimitedMs: number;
  /** The same while above the hard limit. */
  minGcIntervalWhenHardLimitedMs: number;
}

/** The limits in bytes that a check compares memory use with. */
export interface MemoryThresholds {
  /** The hard limit (`limit_mib`). */
  limitBytes: number;
  /** Refusing starts at `limitBytes − spikeLimitBytes`, the soft limit. */
  spikeLimitBytes: number;
}

const KNOWN_KEYS = [
  'check_interval',
  'limit_mib',
  'spike_limit_mib',
  'limit_percentage',
  'spike_limit_percentage',
  'min_gc_interval_when_soft_limited',
  'min_gc_interval_when_hard_limited',
  // Newer Collectors back off forced GCs up to these caps. Vigil accepts them so a Collector config
  // loads unchanged; Node rarely exposes a GC to force, so there is nothing to back off.
  'max_gc_interval_when_soft_limited',
  'max_gc_interval_when_hard_limited',
];

/**
 * Parses `memory_limiter` settings, refusing what the Collector's Config.Validate refuses, in the same
 * order and words (collector internal/memorylimiter/config.go).
 *
 * @example
 * const settings = parseMemoryLimiterSettings({ check_interval: '1s', limit_mib: 4000, spike_limit_mib: 800 });
 */
export function parseMemoryLimiterSettings(value: unknown): MemoryLimiterSettings {
  const reader = SettingsReader.of(value);
  reader.allowOnly(KNOWN_KEYS);
  const checkIntervalMs = reader.durationMs('check_interval', 0);
  // Upstream NewDefaultConfig: 10s between forced GCs while soft-limited, none while hard-limited.
  const softGcMs = reader.durationMs('min_gc_interval_when_soft_limited', 10_000);
  const hardGcMs = reader.durationMs('min_gc_interval_when_hard_limited', 0);
  reader.durationMs('max_gc_interval_when_soft_limited', 0);
  reader.durationMs('max_gc_interval_when_hard_limited', 0);
  if (checkIntervalMs <= 0)
    throw reader.error("'check_interval' must be greater than zero", 'check_interval');
  if (softGcMs < hardGcMs) {
    throw reader.error(
      "'min_gc_interval_when_soft_limited' should be larger than 'min_gc_interval_when_hard_limited'",
      'min_gc_interval_when_soft_limited',
    );
  }
  const limit = readLimit(reader);
  return {
    checkIntervalMs,
    limit,
    minGcIntervalWhenSoftLimitedMs: softGcMs,
    minGcIntervalWhenHardLimitedMs: hardGcMs,
  };
}

/** The limit checks of Config.Validate, which upstream runs after the interval checks. */
function readLimit(reader: SettingsReader): MemoryLimit {
  const limitMib = reader.uint32('limit_mib');
  const spikeLimitMib = reader.uint32('spike_limit_mib');
  const limitPercentage = reader.uint32('limit_percentage');
  const spikeLimitPercentage = reader.uint32('spike_limit_percentage');
  if (limitMib === 0 && limitPercentage === 0) {
    throw reader.error("'limit_mib' or 'limit_percentage' must be greater than zero");
  }
  if (limitPercentage > 100 || spikeLimitPercentage > 100) {
    throw reader.error(
      "'limit_percentage' and 'spike_limit_percentage' must be greater than zero and less than or equal to hundred",
      limitPercentage > 100 ? 'limit_percentage' : 'spike_limit_percentage',
    );
  }
  if (limitMib > 0 && limitMib <= spikeLimitMib) {
    throw reader.error("'spike_limit_mib' must be smaller than 'limit_mib'", 'spike_limit_mib');
  }
  if (limitPercentage > 0 && limitPercentage <= spikeLimitPercentage) {
    throw reader.error(
      "'spike_limit_percentage' must be smaller than 'limit_percentage'",
      'spike_limit_percentage',
    );
  }
  return limitMib > 0
    ? { kind: 'fixed', limitMib, spikeLimitMib }
    : { kind: 'percentage', limitPercentage, spikeLimitPercentage };
}

/**
 * Turns the settings into bytes. Percentages are of `totalMemoryBytes()`, read only when needed, as
 * upstream reads the total only for percentage limits. A spike limit of zero means 20% of the limit
 * (memorylimiter.go newFixedMemUsageChecker), for both kinds.
 */
export function resolveThresholds(limit: MemoryLimit, totalMemoryBytes: () => number): MemoryThresholds {
  const [limitBytes, spikeBytes] =
    limit.kind === 'fixed'
      ? [limit.limitMib * MIB_BYTES, limit.spikeLimitMib * MIB_BYTES]
      : percentagesOf(totalMemoryBytes(), limit.limitPercentage, limit.spikeLimitPercentage);
  return { limitBytes, spikeLimitBytes: spikeBytes === 0 ? Math.floor(limitBytes / 5) : spikeBytes };
}

function percentagesOf(
  totalBytes: number,
  limitPercentage: number,
  spikePercentage: number,
): [number, number] {
  return [Math.floor((limitPercentage * totalBytes) / 100), Math.floor((spikePercentage * totalBytes) / 100)];
}

/** Go parses "-1s"; the duration reader does not, so it is caught here to give upstream's words. */
