import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SettingsError } from '../../graph/component.ts';
import { MIB_BYTES, parseMemoryLimiterSettings, resolveThresholds } from './memory-limiter-settings.ts';

/** Rows of settings the Collector's Config.Validate refuses, with its message and the key we point at. */
const REFUSED: { name: string; settings: unknown; message: string; keyPath: (string | number)[] }[] = [
  {
    name: 'no check_interval',
    settings: { limit_mib: 100 },
    message: "'check_interval' must be greater than zero",
    keyPath: ['check_interval'],
  },
  {
    name: 'zero check_interval',
    settings: { check_interval: '0s', limit_mib: 100 },
    message: "'check_interval' must be greater than zero",
    keyPath: ['check_interval'],
  },
  {
    name: 'negative check_interval',
    settings: { check_interval: '-1s', limit_mib: 100 },
    message: "'check_interval' must be greater than zero",
    keyPath: ['check_interval'],
  },
  {
    name: 'soft GC interval below hard',
    settings: {
      check_interval: '1s',
      limit_mib: 100,
      min_gc_interval_when_soft_limited: '1s',
      min_gc_interval_when_hard_limited: '5s',
    },
    message: "'min_gc_interval_when_soft_limited' should be larger than 'min_gc_interval_when_hard_limited'",
    keyPath: ['min_gc_interval_when_soft_limited'],
  },
  {
    name: 'no limit',
    settings: { check_interval: '1s' },
    message: "'limit_mib' or 'limit_percentage' must be greater than zero",
    keyPath: [],
  },
  {
    name: 'limit_percentage over 100',
    settings: { check_interval: '1s', limit_percentage: 101 },
    message:
      "'limit_percentage' and 'spike_limit_percentage' must be greater than zero and less than or equal to hundred",
    keyPath: ['limit_percentage'],
  },
  {
    name: 'spike_limit_percentage over 100',
    settings: { check_interval: '1s', limit_mib: 100, spike_limit_percentage: 150 },
    message:
      "'limit_percentage' and 'spike_limit_percentage' must be greater than zero and less than or equal to hundred",
    keyPath: ['spike_limit_percentage'],
  },
  {
    name: 'spike equal to limit',
    settings: { check_interval: '1s', limit_mib: 100, spike_limit_mib: 100 },
    message: "'spike_limit_mib' must be smaller than 'limit_mib'",
    keyPath: ['spike_limit_mib'],
  },
  {
    name: 'spike percentage above limit percentage',
    settings: { check_interval: '1s', limit_percentage: 50, spike_limit_percentage: 60 },
    message: "'spike_limit_percentage' must be smaller than 'limit_percentage'",
    keyPath: ['spike_limit_percentage'],
  },
  {
    name: 'unknown key',
    settings: { check_interval: '1s', limit_mib: 100, ballast_size_mib: 10 },
    message: 'unknown setting "ballast_size_mib"',
    keyPath: ['ballast_size_mib'],
  },
  {
    name: 'negative limit_mib',
    settings: { check_interval: '1s', limit_mib: -5 },
    message: 'expected a whole number of zero or more',
    keyPath: ['limit_mib'],
  },
  {
    name: 'limit_mib beyond uint32',
    settings: { check_interval: '1s', limit_mib: 2 ** 32 },
    message: 'expected a whole number up to 4294967295',
    keyPath: ['limit_mib'],
  },
  {
    name: 'check_interval as a bare number',
    settings: { check_interval: 5, limit_mib: 100 },
    message: 'expected a duration such as "5s"',
    keyPath: ['check_interval'],
  },
];

describe('parseMemoryLimiterSettings', () => {
  for (const row of REFUSED) {
    it(`refuses ${row.name}`, () => {
      assert.throws(
        () => parseMemoryLimiterSettings(row.settings),
        (error: unknown) => {
          assert.ok(error instanceof SettingsError);
          assert.equal(error.message, row.message);
          assert.deepEqual(error.keyPath, row.keyPath);
          return true;
        },
      );
    });
  }

  it('applies the defaults and lets limit_mib win over limit_percentage', () => {
    const settings = parseMemoryLimiterSettings({
      check_interval: '1s',
      limit_mib: 400,
      limit_percentage: 50,
    });
    assert.deepEqual(settings, {
      checkIntervalMs: 1000,
      limit: { kind: 'fixed', limitMib: 400, spikeLimitMib: 0 },
      minGcIntervalWhenSoftLimitedMs: 10_000,
      minGcIntervalWhenHardLimitedMs: 0,
    });
  });

  it('accepts the newer GC back-off caps so Collector configs load unchanged', () => {
    const settings = parseMemoryLimiterSettings({
      check_interval: '5s',
      limit_percentage: 80,
      spike_limit_percentage: 25,
      max_gc_interval_when_soft_limited: '1m',
      max_gc_interval_when_hard_limited: '30s',
    });
    assert.deepEqual(settings.limit, { kind: 'percentage', limitPercentage: 80, spikeLimitPercentage: 25 });
  });
});

describe('resolveThresholds', () => {
  const GIB = 1024 * MIB_BYTES;
  const rows = [
    {
      name: 'fixed, spike given',
      settings: { check_interval: '1s', limit_mib: 1000, spike_limit_mib: 300 },
      expected: { limitBytes: 1000 * MIB_BYTES, spikeLimitBytes: 300 * MIB_BYTES },
    },
    {
      name: 'fixed, spike defaults to 20% of the limit',
      settings: { check_interval: '1s', limit_mib: 1000 },
      expected: { limitBytes: 1000 * MIB_BYTES, spikeLimitBytes: 200 * MIB_BYTES },
    },
    {
      name: 'percentages of total memory',
      settings: { check_interval: '1s', limit_percentage: 50, spike_limit_percentage: 10 },
      expected: { limitBytes: 5 * GIB, spikeLimitBytes: GIB },
    },
    {
      name: 'percentage, spike defaults to 20% of the limit',
      settings: { check_interval: '1s', limit_percentage: 50 },
      expected: { limitBytes: 5 * GIB, spikeLimitBytes: GIB },
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const { limit } = parseMemoryLimiterSettings(row.settings);
      assert.deepEqual(
        resolveThresholds(limit, () => 10 * GIB),
        row.expected,
      );
    });
  }

  it('does not read total memory for fixed limits', () => {
    const { limit } = parseMemoryLimiterSettings({ check_interval: '1s', limit_mib: 10 });
    resolveThresholds(limit, () => assert.fail('total memory read for a fixed limit'));
  });
});
