import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadConfigFile } from '../config/load-config.ts';
import { DEFAULT_ML_SETTINGS, parseMlSettings } from './ml-settings.ts';

describe('vigil.ml settings', () => {
  test('defaults when absent; values override them', () => {
    const defaults = parseMlSettings(undefined);
    assert.deepEqual({ ...defaults, genAiPrices: { ...defaults.genAiPrices } }, DEFAULT_ML_SETTINGS);
    const settings = parseMlSettings({
      slot: '30s',
      retention: '2h',
      series_window: '10m',
      gpu_rules: false,
      genai_prices: { 'gpt-4o': { input_per_million_usd: 2.5, output_per_million_usd: 10 } },
    });
    assert.equal(settings.slotMs, 30_000);
    assert.equal(settings.retentionMs, 7_200_000);
    assert.equal(settings.seriesWindowMs, 600_000);
    assert.equal(settings.gpuRules, false);
    assert.deepEqual(
      { ...settings.genAiPrices },
      { 'gpt-4o': { inputPerMillionUsd: 2.5, outputPerMillionUsd: 10 } },
    );
  });

  const bad: [string, unknown, RegExp][] = [
    ['unknown key', { slots: '1m' }, /unknown setting "slots"/],
    ['bare number duration', { slot: 60 }, /duration/],
    ['zero versions', { max_versions: 0 }, /greater than zero/],
    ['retention under two slots', { slot: '10m', retention: '15m' }, /two slots/],
    ['window over half the retention', { retention: '1h', series_window: '40m' }, /half the retention/],
    ['negative price', { genai_prices: { m: { input_per_million_usd: -1 } } }, /negative/],
    ['unknown price key', { genai_prices: { m: { per_token: 1 } } }, /unknown setting/],
  ];
  for (const [name, value, message] of bad) {
    test(`refuses ${name}`, () => assert.throws(() => parseMlSettings(value), message));
  }

  test('a config file error names the line and key path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-ml-settings-'));
    const file = join(dir, 'vigil.yaml');
    writeFileSync(file, 'vigil:\n  ml:\n    retention: 6h\n    max_versions: -3\n');
    assert.throws(
      () => loadConfigFile(file),
      /vigil\.yaml:4:19: vigil\.ml\.max_versions: expected a whole number/,
    );
    writeFileSync(file, 'vigil:\n  ml:\n    enabled: false\n');
    assert.equal(loadConfigFile(file).ml.enabled, false);
  });
});
