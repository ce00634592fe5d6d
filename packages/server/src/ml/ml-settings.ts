import { SettingsReader } from '../pipeline/graph/settings-reader.ts';

/** USD per million tokens, as LLM providers price them. */
export interface GenAiPrice {
  inputPerMillionUsd: number;
  outputPerMillionUsd: number;
}

/** `vigil.ml` (docs/ml-analytics.md): the ML analytics engine fed by every received span. */
export interface MlSettings {
  enabled: boolean;
  /** Time resolution of the per-version aggregates. */
  slotMs: number;
  /** How long aggregates are kept in memory (canary and drift windows must fit inside). */
  retentionMs: number;
  /** Model versions tracked at once; spans of further versions are counted as dropped. */
  maxVersions: number;
  /** How often the `vigil_ml_*` series are written to the store. */
  seriesIntervalMs: number;
  /** The trailing window those series describe (drift: against the window before it). */
  seriesWindowMs: number;
  /** Install the seed's GPU alert rules (memory > 90%, temperature > 85 °C, utilisation < 10%). */
  gpuRules: boolean;
  genAiPrices: Record<string, GenAiPrice>;
}

export const DEFAULT_ML_SETTINGS: MlSettings = {
  enabled: true,
  slotMs: 60_000,
  retentionMs: 6 * 3_600_000,
  maxVersions: 200,
  seriesIntervalMs: 30_000,
  seriesWindowMs: 5 * 60_000,
  gpuRules: true,
  genAiPrices: {},
};

const KEYS = [
  'enabled',
  'slot',
  'retention',
  'max_versions',
  'series_interval',
  'series_window',
  'gpu_rules',
  'genai_prices',
];

/** Parses `vigil.ml`; throws SettingsError with the key path of the first problem. */
export function parseMlSettings(value: unknown): MlSettings {
  const read = SettingsReader.of(value);
  read.allowOnly(KEYS);
  const d = DEFAULT_ML_SETTINGS;
  const settings: MlSettings = {
    enabled: read.boolean('enabled', d.enabled),
    slotMs: positive(read, 'slot', read.durationMs('slot', d.slotMs)),
    retentionMs: positive(read, 'retention', read.durationMs('retention', d.retentionMs)),
    maxVersions: positive(read, 'max_versions', read.count('max_versions', d.maxVersions)),
    seriesIntervalMs: positive(
      read,
      'series_interval',
      read.durationMs('series_interval', d.seriesIntervalMs),
    ),
    seriesWindowMs: positive(read, 'series_window', read.durationMs('series_window', d.seriesWindowMs)),
    gpuRules: read.boolean('gpu_rules', d.gpuRules),
    genAiPrices: readPrices(read.child('genai_prices')),
  };
  if (settings.retentionMs < settings.slotMs * 2) throw read.error('must be at least two slots', 'retention');
  if (settings.seriesWindowMs * 2 > settings.retentionMs)
    throw read.error(
      'must be at most half the retention (drift compares it with the window before)',
      'series_window',
    );
  return settings;
}

function positive(read: SettingsReader, key: string, value: number): number {
  if (!(value > 0)) throw read.error('must be greater than zero', key);
  return value;
}

/** `genai_prices: {gpt-4o: {input_per_million_usd: 2.5, output_per_million_usd: 10}}`. */
function readPrices(prices: SettingsReader | undefined): Record<string, GenAiPrice> {
  const result: Record<string, GenAiPrice> = Object.create(null) as Record<string, GenAiPrice>;
  for (const model of prices?.keys() ?? []) {
    const price = SettingsReader.of(prices!.raw(model), prices!.at(model));
    price.allowOnly(['input_per_million_usd', 'output_per_million_usd']);
    const inputPerMillionUsd = price.number('input_per_million_usd', 0);
    const outputPerMillionUsd = price.number('output_per_million_usd', 0);
    if (inputPerMillionUsd < 0 || outputPerMillionUsd < 0) throw price.error('prices cannot be negative');
    result[model] = { inputPerMillionUsd, outputPerMillionUsd };
  }
  return result;
}
