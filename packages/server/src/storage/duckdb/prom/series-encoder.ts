import type { PromFamilyMetadata, PromSeriesSamples } from '../../../model/prom-series.ts';
import { StringTable } from '../columnar.ts';
import type { SeriesWrite } from './protocol.ts';
import type { WireIdRegistry } from './wire-ids.ts';

/** Largest |timestamp| taken: BIGINT milliseconds that a float64 still holds exactly. */
const MAX_TIME_MS = Number.MAX_SAFE_INTEGER;

function compareNames(a: [string, string], b: [string, string]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

/** Labels sorted by name without empty values (not labels in Prometheus); null when none are left. */
function sortedLabels(labels: ReadonlyMap<string, string>): [string, string][] | null {
  const pairs: [string, string][] = [];
  let sorted = true;
  for (const [name, value] of labels) {
    if (name === '' || value === '') continue;
    const previous = pairs[pairs.length - 1];
    if (previous && previous[0] >= name) sorted = false;
    pairs.push([name, value]);
  }
  // Maps from the OTLP mapping arrive sorted; scrapes and remote write usually do too.
  if (!sorted) pairs.sort(compareNames);
  return pairs.length > 0 ? pairs : null;
}

/** A known wire id: no labels travel (an empty label range). */
const NO_LABELS: [string, string][] = [];

function validTime(timeMs: number): boolean {
  return Number.isFinite(timeMs) && Math.abs(timeMs) <= MAX_TIME_MS;
}

/**
 * Packs Prometheus series for the worker (protocol.ts SeriesWrite) into fresh typed arrays,
 * which are then transferred: the caller's arrays are never detached. Timestamps are whole
 * milliseconds (fractions floored); samples with a non-finite time, extra values or timestamps
 * without a partner, and series with no labels are left out and counted as invalid.
 *
 * With `wireIds`, label sets the worker already knows travel as their id alone (wire-ids.ts);
 * `announced` lists those sent with labels and an id, to acknowledge once the write succeeded.
 *
 * @example
 * const { write, invalidSamples } = encodeSeriesWrite([{ labels, timestampsMs, values }], []);
 */
export function encodeSeriesWrite(
  series: readonly PromSeriesSamples[],
  metadata: readonly PromFamilyMetadata[],
  wireIds?: WireIdRegistry,
): { write: SeriesWrite; invalidSamples: number; announced: PromSeriesSamples['labels'][] } {
  const strings = new StringTable();
  const kept: { pairs: [string, string][]; source: PromSeriesSamples; count: number; id: number }[] = [];
  const announced: PromSeriesSamples['labels'][] = [];
  let invalidSamples = 0;
  let sampleTotal = 0;
  let labelTotal = 0;
  for (const source of series) {
    const wire = wireIds?.idOf(source.labels) ?? { id: -1, withLabels: true };
    const pairs = wire.withLabels ? sortedLabels(source.labels) : NO_LABELS;
    const count = Math.min(source.timestampsMs.length, source.values.length);
    invalidSamples += Math.max(source.timestampsMs.length, source.values.length) - count;
    if (!pairs) {
      invalidSamples += count;
      continue;
    }
    if (wire.id >= 0 && wire.withLabels) announced.push(source.labels);
    kept.push({ pairs, source, count, id: wire.id });
    sampleTotal += count;
    labelTotal += pairs.length * 2;
  }
  const wireIdsOut = new Int32Array(kept.length);
  const labelOffsets = new Uint32Array(kept.length + 1);
  const labelCodes = new Int32Array(labelTotal);
  const sampleOffsets = new Uint32Array(kept.length + 1);
  const timestampsMs = new Float64Array(sampleTotal);
  const values = new Float64Array(sampleTotal);
  let label = 0;
  let sample = 0;
  kept.forEach(({ pairs, source, count, id }, i) => {
    wireIdsOut[i] = id;
    for (const [name, value] of pairs) {
      labelCodes[label++] = strings.code(name);
      labelCodes[label++] = strings.code(value);
    }
    labelOffsets[i + 1] = label;
    for (let j = 0; j < count; j++) {
      const timeMs = source.timestampsMs[j] ?? NaN;
      if (!validTime(timeMs)) {
        invalidSamples++;
        continue;
      }
      timestampsMs[sample] = Math.floor(timeMs);
      values[sample] = source.values[j] ?? NaN;
      sample++;
    }
    sampleOffsets[i + 1] = sample;
  });
  const write: SeriesWrite = {
    strings: strings.strings,
    labelOffsets,
    labelCodes,
    sampleOffsets,
    timestampsMs: timestampsMs.subarray(0, sample),
    values: values.subarray(0, sample),
    metadata: [...metadata],
    wireIds: wireIdsOut,
    resetWireIds: wireIds?.takeReset() ?? false,
  };
  return { write, invalidSamples, announced };
}
