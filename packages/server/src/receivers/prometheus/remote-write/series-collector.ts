import { isUtf8 } from 'node:buffer';
import { endianness } from 'node:os';
import type {
  PromFamilyMetadata,
  PromLabels,
  PromSeriesColumns,
  PromSeriesSamples,
} from '../../../model/prom-series.ts';
import { seriesOfColumns } from '../../../model/prom-series.ts';
import { internString } from '../../otlp/string-intern.ts';
import {
  MAX_PROBLEMS,
  type DecodeDropReason,
  type DecodedWriteRequest,
  type DecodeOptions,
} from './write-request.ts';

const LITTLE_ENDIAN = endianness() === 'LE';
const INITIAL_SAMPLE_CAPACITY = 1024;

/**
 * Collects one request's series while it is decoded. Samples of all series go into two shared,
 * growing Float64Arrays and each series gets views of its range at the end: one allocation per
 * request instead of two per series (real senders put one sample in most series).
 *
 * Values are copied byte for byte from the wire, so NaN payloads survive exactly: Prometheus's stale
 * marker is the signalling NaN 0x7ff0000000000002 (model/value/value.go StaleNaN), which some float
 * paths would quieten.
 */
export class SeriesCollector {
  private timestampsMs = new Float64Array(INITIAL_SAMPLE_CAPACITY);
  private values = new Float64Array(INITIAL_SAMPLE_CAPACITY);
  private valueBytes = new Uint8Array(this.values.buffer);
  private sampleCount = 0;
  private readonly labelSets: PromLabels[] = [];
  private readonly sampleEnds: number[] = [];
  private readonly metadata = new Map<string, PromFamilyMetadata>();
  private readonly result: Pick<DecodedWriteRequest, 'dropped' | 'exemplarCount' | 'problems'> = {
    dropped: { invalid_labels: 0, too_far_in_future: 0, native_histogram_unsupported: 0 },
    exemplarCount: 0,
    problems: [],
  };

  constructor(private readonly options: DecodeOptions) {}

  /** Starts a series; samples added until the next call belong to it. */
  beginSeries(labels: PromLabels): void {
    this.labelSets.push(labels);
    this.sampleEnds.push(this.sampleCount);
  }

  /** Adds a sample whose float64 value is the 8 little-endian bytes at `buf[valueOffset]`. */
  addSample(timestampMs: number, buf: Uint8Array, valueOffset: number): void {
    if (timestampMs > this.options.maxTimestampMs) {
      this.result.dropped.too_far_in_future++;
      return;
    }
    if (this.sampleCount === this.timestampsMs.length) this.grow();
    const index = this.sampleCount++;
    this.timestampsMs[index] = timestampMs;
    if (LITTLE_ENDIAN) {
      const bytes = this.valueBytes;
      const base = index * 8;
      for (let i = 0; i < 8; i++) bytes[base + i] = buf[valueOffset + i]!;
    } else {
      this.values[index] = new DataView(buf.buffer, buf.byteOffset).getFloat64(valueOffset, true);
    }
    this.sampleEnds[this.sampleEnds.length - 1] = this.sampleCount;
  }

  /** Counts samples left out before storage, and says why once per series (bounded). */
  /**
   * After a series' fields are read (1.0 and 2.0 alike): drops all of it when its labels are
   * invalid, and its native histograms (not stored yet); false when nothing of it may be kept.
   */
  admitSeries(labels: LabelSetBuilder, index: number, sampleCount: number, histogramCount: number): boolean {
    const problem = labels.check();
    if (problem !== undefined) {
      this.drop('invalid_labels', sampleCount + histogramCount, `series ${index}: ${problem}`);
      return false;
    }
    this.dropHistograms(index, histogramCount);
    return true;
  }

  /** Native histograms are not stored yet: counted and said once per series. */
  dropHistograms(index: number, histogramCount: number): void {
    if (histogramCount > 0)
      this.drop(
        'native_histogram_unsupported',
        histogramCount,
        `series ${index}: native histograms are not supported`,
      );
  }

  drop(reason: DecodeDropReason, sampleCount: number, problem?: string): void {
    this.result.dropped[reason] += sampleCount;
    if (problem !== undefined && this.result.problems.length < MAX_PROBLEMS)
      this.result.problems.push(problem);
  }

  countExemplars(count: number): void {
    this.result.exemplarCount += count;
  }

  /** Keeps the first metadata seen per family within the request. */
  addMetadata(metadata: PromFamilyMetadata): void {
    if (metadata.metricFamily !== '' && !this.metadata.has(metadata.metricFamily))
      this.metadata.set(metadata.metricFamily, metadata);
  }

  finish(): DecodedWriteRequest {
    const { result, timestampsMs, values } = this;
    // A series whose samples were all dropped (or that only carried exemplars) stores nothing.
    const labelSets: PromLabels[] = [];
    const sampleEnds = new Uint32Array(this.labelSets.length);
    let start = 0;
    for (let i = 0; i < this.labelSets.length; i++) {
      const end = this.sampleEnds[i]!;
      if (end > start) {
        sampleEnds[labelSets.length] = end;
        labelSets.push(this.labelSets[i]!);
      }
      start = end;
    }
    const columns: PromSeriesColumns = {
      labelSets,
      sampleEnds: sampleEnds.subarray(0, labelSets.length),
      timestampsMs: timestampsMs.subarray(0, this.sampleCount),
      values: values.subarray(0, this.sampleCount),
    };
    let series: PromSeriesSamples[] | undefined;
    return {
      ...result,
      columns,
      get series(): PromSeriesSamples[] {
        return (series ??= seriesOfColumns(columns));
      },
      sampleCount: this.sampleCount,
      metadata: [...this.metadata.values()],
    };
  }

  private grow(): void {
    const capacity = this.timestampsMs.length * 2;
    const timestampsMs = new Float64Array(capacity);
    timestampsMs.set(this.timestampsMs);
    const values = new Float64Array(capacity);
    values.set(this.values);
    new Uint8Array(values.buffer).set(this.valueBytes);
    this.timestampsMs = timestampsMs;
    this.values = values;
    this.valueBytes = new Uint8Array(values.buffer);
  }
}

/**
 * Builds one series' labels with Prometheus's checks (write_handler.go: `ls.Has(MetricName)`,
 * `ls.IsValid(UTF8Validation)`, `HasDuplicateLabelNames`). Returns the problem, or undefined when
 * the labels are valid. Empty values are not labels in Prometheus (model/labels) and are left out.
 */
export class LabelSetBuilder {
  labels = new Map<string, string>();
  private problem: string | undefined;

  reset(): void {
    this.labels = new Map<string, string>();
    this.problem = undefined;
  }

  /** Adds the label whose name and value are the UTF-8 bytes at the given ranges of `buf`. */
  add(buf: Buffer, nameStart: number, nameEnd: number, valueStart: number, valueEnd: number): void {
    const name = utf8Text(buf, nameStart, nameEnd);
    const value = utf8Text(buf, valueStart, valueEnd);
    this.addText(name, value);
  }

  /** Adds a label already decoded (2.0 symbols); undefined means invalid UTF-8. */
  addText(name: string | undefined, value: string | undefined): void {
    if (this.problem !== undefined) return;
    if (name === undefined || value === undefined) this.problem = 'label name or value is not valid UTF-8';
    else if (name === '') this.problem = 'empty label name';
    else if (this.labels.has(name)) this.problem = 'duplicate label name';
    else if (value !== '') this.labels.set(name, value);
  }

  /** Why the labels are invalid, or undefined. */
  check(): string | undefined {
    if (this.problem !== undefined) return this.problem;
    if (!this.labels.has('__name__')) return 'no metric name (__name__ label)';
    return undefined;
  }
}

/**
 * Text of `buf[start, end)`, or undefined when it is not valid UTF-8. Node replaces invalid
 * sequences with U+FFFD, so only strings containing U+FFFD need the byte check.
 */
export function utf8Text(buf: Buffer, start: number, end: number): string | undefined {
  const text = internString(buf, start, end);
  if (text.includes('\uFFFD') && !isUtf8(buf.subarray(start, end))) return undefined;
  return text;
}
