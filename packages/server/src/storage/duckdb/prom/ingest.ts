import { createHash } from 'node:crypto';
import type { PromFamilyMetadata } from '../../../model/prom-series.ts';
import { DEFAULT_SERIES_LIMITS, type SampleWriteResult, type SeriesLimits } from '../../store.ts';
import type { Column, TableBatch } from '../columnar.ts';
import { Int64Builder, mapOfText, StringTable } from '../columnar.ts';
import type { HeadSamples } from './head.ts';
import type { FlatLabels, SeriesIndex } from './series-index.ts';
import { labelsKey, labelValue } from './series-index.ts';
import type { MetadataRegistry } from './metadata-registry.ts';
import type { SeriesWrite } from './protocol.ts';
import type { WalSamples } from './wal-record.ts';
import { PendingLast, STORED } from './pending-last.ts';
import { WireSeries } from './wire-ids.ts';

/** Reused by every prepareSamples call (each runs start to end without yielding). */
const pendingLast = new PendingLast();

/**
 * What a group commit adds for Prometheus series: series and metadata rows for DuckDB, samples for
 * the sample WAL, then index/head updates once both are durable.
 */
export interface PreparedSamples {
  batches: TableBatch[];
  /** The accepted samples, in arrival order, for one WAL record. */
  samples: WalSamples;
  /** Per write of the group, in order (writes without series get zeros). */
  results: SampleWriteResult[];
  /** Adds the new series and metadata to the index; call once their rows are committed. */
  applySeries(): void;
  /** Adds the samples to the index and head; call after `applySeries`, once the WAL has them. */
  applySamples(): void;
}

const scratch = new Float64Array(2);
const scratchBits = new BigUint64Array(scratch.buffer);

/** Bit equality: two stale markers are the same value, 0 and -0 are not (Prometheus compares Float64bits). */
function sameBits(a: number, b: number): boolean {
  scratch[0] = a;
  scratch[1] = b;
  return scratchBits[0] === scratchBits[1];
}

/** First 64 bits of SHA-1 of the sorted labels: the series' stable identity (as dimension ids are made). */
export function seriesHash(labels: FlatLabels): bigint {
  return createHash('sha1').update(labelsKey(labels)).digest().readBigUInt64BE(0);
}

interface NewSeries {
  ref: number;
  labels: FlatLabels;
}

/** Accepted samples of a group, in arrival order. */
class SampleColumns implements WalSamples {
  readonly refs: Float64Array;
  readonly timestampsMs: Float64Array;
  readonly values: Float64Array;
  count = 0;
  constructor(capacity: number) {
    this.refs = new Float64Array(capacity);
    this.timestampsMs = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }
  push(ref: number, timeMs: number, values: Float64Array, index: number): void {
    const row = this.count++;
    this.refs[row] = ref;
    this.timestampsMs[row] = timeMs;
    // Typed array to typed array: NaN payloads (stale markers) keep their bits (the contract tests it).
    this.values[row] = values[index] ?? NaN;
  }
}

function seriesBatch(series: readonly NewSeries[]): TableBatch {
  const strings = new StringTable();
  const hashes = new Int64Builder(series.length, true);
  const labels = mapOfText(series.length, strings);
  series.forEach(({ labels: flat }, row) => {
    hashes.set(row, seriesHash(flat));
    for (let i = 0; i < flat.length; i += 2) labels.add(flat[i] ?? '', strings.code(flat[i + 1] ?? ''));
    labels.endRow(row);
  });
  const columns: Column[] = [
    { kind: 'number', values: Float64Array.from(series, (s) => s.ref), nulls: null },
    hashes.build(),
    strings.column(series.map((s) => labelValue(s.labels, '__name__'))),
    labels.build(),
  ];
  return { table: 'prom_series', rowCount: series.length, columns, strings: strings.strings };
}

function metadataBatch(entries: readonly PromFamilyMetadata[]): TableBatch {
  const strings = new StringTable();
  const columns = [
    strings.column(entries.map((e) => e.metricFamily)),
    strings.column(entries.map((e) => e.type)),
    strings.column(entries.map((e) => e.help)),
    strings.column(entries.map((e) => e.unit)),
  ];
  return { table: 'prom_metadata', rowCount: entries.length, columns, strings: strings.strings };
}

/** The series ref of a known wire id, when the series still exists (retention may have deleted it). */
function knownWireRef(
  write: SeriesWrite,
  series: number,
  wireId: number,
  wire: WireSeries,
  index: SeriesIndex,
): number | undefined {
  if (wireId < 0 || write.labelOffsets[series] !== write.labelOffsets[series + 1]) return undefined;
  const ref = wire.refOf(wireId);
  return ref >= 0 && index.labelsOf(ref) !== undefined ? ref : undefined;
}

/** A series' labels: sent with the write (and remembered under its wire id), or remembered before. */
function wireLabels(
  write: SeriesWrite,
  series: number,
  wireId: number,
  wire: WireSeries,
): FlatLabels | undefined {
  if (write.labelOffsets[series] === write.labelOffsets[series + 1]) return wire.labelsOf(wireId);
  const labels = labelsOf(write, series);
  if (wireId >= 0) wire.announce(wireId, labels);
  return labels;
}

function labelsOf(write: SeriesWrite, series: number): string[] {
  const from = write.labelOffsets[series] ?? 0;
  const to = write.labelOffsets[series + 1] ?? from;
  const labels: string[] = [];
  for (let i = from; i < to; i++) labels.push(write.strings[write.labelCodes[i] ?? -1] ?? '');
  return labels;
}

/** Adds accepted (or replayed) samples to the index's bounds and the head. */
export function applyToHead(samples: WalSamples, index: SeriesIndex, head: HeadSamples): void {
  for (let row = 0; row < samples.count; row++) {
    const ref = samples.refs[row] ?? 0;
    const timeMs = samples.timestampsMs[row] ?? 0;
    index.noteSample(ref, timeMs, samples.values[row] ?? NaN);
    head.append(ref, timeMs, samples.values[row] ?? NaN);
  }
}

/**
 * Decides whether a new series may be created: the store's total and per-metric series limits
 * (DESIGN "bounded everything"), counting series created earlier in the same group.
 */
class SeriesAdmission {
  private added = 0;
  private readonly addedByMetric = new Map<string, number>();
  constructor(
    private readonly index: SeriesIndex,
    private readonly limits: SeriesLimits,
  ) {}

  admit(metricName: string): boolean {
    if (this.index.size + this.added >= this.limits.maxSeries) return false;
    const perMetric = this.addedByMetric.get(metricName) ?? 0;
    if (this.index.seriesCountOf(metricName) + perMetric >= this.limits.maxSeriesPerMetric) return false;
    this.added++;
    this.addedByMetric.set(metricName, perMetric + 1);
    return true;
  }
}

/**
 * Resolves the series of a group's writes to refs (new ones numbered after the index's), and
 * keeps each sample only when it is newer than its series' last one; a repeat of the last sample
 * with the same bits is dropped silently, one with other bits rejected (Prometheus
 * ErrDuplicateSampleForTimestamp / ErrOutOfOrderSample). Nothing is applied until `apply()`.
 */
export function prepareSamples(
  writes: readonly (SeriesWrite | undefined)[],
  index: SeriesIndex,
  head: HeadSamples,
  metadata: MetadataRegistry,
  limits: SeriesLimits = DEFAULT_SERIES_LIMITS,
  wire: WireSeries = new WireSeries(),
): PreparedSamples {
  const admission = new SeriesAdmission(index, limits);
  const total = writes.reduce((sum, write) => sum + (write?.timestampsMs.length ?? 0), 0);
  const samples = new SampleColumns(total);
  const pendingRefs = new Map<string, number>();
  pendingLast.begin();
  const newSeries: NewSeries[] = [];
  // (wire id, ref) pairs learnt in this group, remembered once committed.
  const resolvedWireIds: number[] = [];
  let nextRef = index.nextRef;
  const lastValue = (write: number, sample: number): number =>
    (write === STORED ? index.lastValueArray() : writes[write]?.values)?.[sample] ?? NaN;
  const results = writes.map((write, w): SampleWriteResult => {
    const result = { samplesWritten: 0, samplesRejected: 0, samplesRejectedBySeriesLimit: 0 };
    if (!write) return result;
    if (write.resetWireIds) wire.reset();
    for (let s = 0; s + 1 < write.labelOffsets.length; s++) {
      const wireId = write.wireIds[s] ?? -1;
      let ref = knownWireRef(write, s, wireId, wire, index);
      if (ref === undefined) {
        const labels = wireLabels(write, s, wireId, wire);
        if (labels === undefined) {
          // An id the worker never heard of: cannot happen unless main and worker disagree.
          result.samplesRejected += (write.sampleOffsets[s + 1] ?? 0) - (write.sampleOffsets[s] ?? 0);
          continue;
        }
        ref = index.refOf(labels);
        if (ref === undefined) {
          // Only series the index does not know pay for a key: new in this group, or new altogether.
          const key = labelsKey(labels);
          ref = pendingRefs.get(key);
          if (ref === undefined && !admission.admit(labelValue(labels, '__name__'))) {
            result.samplesRejectedBySeriesLimit +=
              (write.sampleOffsets[s + 1] ?? 0) - (write.sampleOffsets[s] ?? 0);
            continue;
          }
          if (ref === undefined) {
            ref = nextRef++;
            pendingRefs.set(key, ref);
            newSeries.push({ ref, labels });
          }
        }
        if (wireId >= 0) resolvedWireIds.push(wireId, ref);
      }
      const pending = pendingLast.has(ref);
      let lastTimeMs = pending ? pendingLast.timeMs(ref) : index.lastTimeMs(ref);
      let lastWrite = pending ? pendingLast.writeOf(ref) : STORED;
      let lastSample = pending ? pendingLast.sampleOf(ref) : ref;
      for (let i = write.sampleOffsets[s] ?? 0; i < (write.sampleOffsets[s + 1] ?? 0); i++) {
        const timeMs = write.timestampsMs[i] ?? NaN;
        if (timeMs > lastTimeMs) {
          samples.push(ref, timeMs, write.values, i);
          lastTimeMs = timeMs;
          lastWrite = w;
          lastSample = i;
          result.samplesWritten++;
        } else if (!(
          timeMs === lastTimeMs && sameBits(write.values[i] ?? NaN, lastValue(lastWrite, lastSample))
        )) {
          result.samplesRejected++;
        }
      }
      pendingLast.set(ref, lastTimeMs, lastWrite, lastSample);
    }
    // The field is reported only when a limit refused something (SampleWriteResult).
    if (result.samplesRejectedBySeriesLimit > 0) return result;
    return { samplesWritten: result.samplesWritten, samplesRejected: result.samplesRejected };
  });
  // A series whose every sample was rejected is not stored.
  const storedSeries = newSeries.filter((series) => pendingLast.timeMs(series.ref) !== -Infinity);
  const newMetadata = metadata.unseen(writes.flatMap((write) => write?.metadata ?? []));
  const batches: TableBatch[] = [];
  if (storedSeries.length > 0) batches.push(seriesBatch(storedSeries));
  if (newMetadata.length > 0) batches.push(metadataBatch(newMetadata));
  return {
    batches: batches.filter((batch) => batch.rowCount > 0),
    samples,
    results,
    applySeries: () => {
      for (const series of storedSeries) index.add(series.ref, series.labels);
      for (let i = 0; i < resolvedWireIds.length; i += 2) {
        const ref = resolvedWireIds[i + 1] ?? -1;
        const labels = index.labelsOf(ref);
        if (labels !== undefined) wire.setRef(resolvedWireIds[i] ?? -1, ref, labels);
      }
      metadata.add(newMetadata);
    },
    applySamples: () => applyToHead(samples, index, head),
  };
}
