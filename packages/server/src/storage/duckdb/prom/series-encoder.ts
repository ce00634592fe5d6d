import type {
  PromFamilyMetadata,
  PromLabels,
  PromSeriesColumns,
  PromSeriesSamples,
} from '../../../model/prom-series.ts';
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

/** Series as columns, counting the samples of series whose arrays differ in length (the extras are invalid). */
function columnsOf(series: readonly PromSeriesSamples[]): {
  columns: PromSeriesColumns;
  invalidSamples: number;
} {
  let total = 0;
  let invalidSamples = 0;
  for (const { timestampsMs, values } of series) {
    const count = Math.min(timestampsMs.length, values.length);
    total += count;
    invalidSamples += Math.max(timestampsMs.length, values.length) - count;
  }
  const columns: PromSeriesColumns = {
    labelSets: series.map((s) => s.labels),
    sampleEnds: new Uint32Array(series.length),
    timestampsMs: new Float64Array(total),
    values: new Float64Array(total),
  };
  let at = 0;
  series.forEach(({ timestampsMs, values }, i) => {
    const count = Math.min(timestampsMs.length, values.length);
    columns.timestampsMs.set(timestampsMs.subarray(0, count), at);
    // Typed array to typed array: NaN payloads (stale markers) keep their bits.
    columns.values.set(values.subarray(0, count), at);
    at += count;
    columns.sampleEnds[i] = at;
  });
  return { columns, invalidSamples };
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
): { write: SeriesWrite; invalidSamples: number; announced: PromLabels[] } {
  const { columns, invalidSamples } = columnsOf(series);
  const encoded = encodeSeriesColumns(columns, metadata, wireIds);
  return { ...encoded, invalidSamples: encoded.invalidSamples + invalidSamples };
}

/** {@link encodeSeriesWrite} for series already in columns (remote write): no object per series. */
export function encodeSeriesColumns(
  columns: PromSeriesColumns,
  metadata: readonly PromFamilyMetadata[],
  wireIds?: WireIdRegistry,
): { write: SeriesWrite; invalidSamples: number; announced: PromLabels[] } {
  const strings = new StringTable();
  const { labelSets, sampleEnds } = columns;
  const pairsOf: [string, string][][] = new Array<[string, string][]>(labelSets.length);
  const wireIdsOut = new Int32Array(labelSets.length);
  const announced: PromLabels[] = [];
  let invalidSamples = 0;
  let labelTotal = 0;
  let kept = 0;
  for (let i = 0; i < labelSets.length; i++) {
    const labels = labelSets[i]!;
    const wire = wireIds?.idOf(labels) ?? { id: -1, withLabels: true };
    const pairs = wire.withLabels ? sortedLabels(labels) : NO_LABELS;
    if (!pairs) {
      invalidSamples += (sampleEnds[i] ?? 0) - (i === 0 ? 0 : (sampleEnds[i - 1] ?? 0));
      continue;
    }
    if (wire.id >= 0 && wire.withLabels) announced.push(labels);
    pairsOf[i] = pairs;
    wireIdsOut[i] = wire.id;
    labelTotal += pairs.length * 2;
    kept++;
  }
  const write = packColumns(columns, pairsOf, wireIdsOut, kept, labelTotal, strings);
  invalidSamples += write.invalidSamples;
  return {
    write: {
      ...write.arrays,
      strings: strings.strings,
      metadata: [...metadata],
      resetWireIds: wireIds?.takeReset() ?? false,
    },
    invalidSamples,
    announced,
  };
}

/** The kept series' label codes and valid samples (finite times, floored to ms) in fresh arrays. */
function packColumns(
  columns: PromSeriesColumns,
  pairsOf: readonly ([string, string][] | undefined)[],
  wireIdsIn: Int32Array,
  kept: number,
  labelTotal: number,
  strings: StringTable,
): {
  arrays: Pick<
    SeriesWrite,
    'labelOffsets' | 'labelCodes' | 'sampleOffsets' | 'timestampsMs' | 'values' | 'wireIds'
  >;
  invalidSamples: number;
} {
  const { sampleEnds } = columns;
  const wireIds = new Int32Array(kept);
  const labelOffsets = new Uint32Array(kept + 1);
  const labelCodes = new Int32Array(labelTotal);
  const sampleOffsets = new Uint32Array(kept + 1);
  const timestampsMs = new Float64Array(columns.timestampsMs.length);
  const values = new Float64Array(columns.values.length);
  let invalidSamples = 0;
  let label = 0;
  let sample = 0;
  let out = 0;
  for (let i = 0; i < pairsOf.length; i++) {
    const pairs = pairsOf[i];
    if (!pairs) continue;
    wireIds[out] = wireIdsIn[i] ?? -1;
    for (const [name, value] of pairs) {
      labelCodes[label++] = strings.code(name);
      labelCodes[label++] = strings.code(value);
    }
    labelOffsets[out + 1] = label;
    for (let j = i === 0 ? 0 : (sampleEnds[i - 1] ?? 0); j < (sampleEnds[i] ?? 0); j++) {
      const timeMs = columns.timestampsMs[j] ?? NaN;
      if (!validTime(timeMs)) {
        invalidSamples++;
        continue;
      }
      timestampsMs[sample] = Math.floor(timeMs);
      values[sample] = columns.values[j] ?? NaN;
      sample++;
    }
    sampleOffsets[++out] = sample;
  }
  return {
    arrays: {
      wireIds,
      labelOffsets,
      labelCodes,
      sampleOffsets,
      timestampsMs: timestampsMs.subarray(0, sample),
      values: values.subarray(0, sample),
    },
    invalidSamples,
  };
}
