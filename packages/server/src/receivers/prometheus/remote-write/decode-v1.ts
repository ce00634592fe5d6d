import { ProtoReader, WireType } from '../../otlp/proto-reader.ts';
import type { PromLabels } from '../../../model/prom-series.ts';
import { markInterned } from '../../../model/interned-labels.ts';
import { LabelSetCache, type LabelSetCursor } from './label-set-cache.ts';
import { LabelSetBuilder, SeriesCollector, utf8Text } from './series-collector.ts';
import { readSeriesSamples } from './proto-fields.ts';
import { metricTypeOf, type DecodedWriteRequest, type DecodeOptions } from './write-request.ts';

// Field numbers of prompb/remote.proto and prompb/types.proto (Prometheus 2.x/3.x).
const WRITE_REQUEST_TIMESERIES = (1 << 3) | WireType.LEN;
const WRITE_REQUEST_METADATA = (3 << 3) | WireType.LEN;
const SERIES_LABELS = (1 << 3) | WireType.LEN;
const SERIES_SAMPLES = (2 << 3) | WireType.LEN;
const SERIES_EXEMPLARS = (3 << 3) | WireType.LEN;
const SERIES_HISTOGRAMS = (4 << 3) | WireType.LEN;

/**
 * Valid label sets seen on the wire, shared by all requests of the process: a sender repeats each
 * series' label bytes in every request, and a hit skips decoding them (label-set-cache.ts).
 */
const LABEL_SETS = new LabelSetCache();

/**
 * Decodes a remote-write 1.0 `prometheus.WriteRequest` (protobuf, already snappy-decoded) straight
 * into series for storage. Throws RemoteWriteDecodeError / OtlpDecodeError on malformed input;
 * series with invalid labels are dropped and counted, as Prometheus's write handler does for 1.0.
 *
 * @example
 * const decoded = decodeWriteRequestV1(uncompressSync(body), { maxTimestampMs: Date.now() + 600_000 });
 * await store.writeSampleColumns(decoded.columns, decoded.metadata);
 */
export function decodeWriteRequestV1(body: Uint8Array, options: DecodeOptions): DecodedWriteRequest {
  const reader = new ProtoReader(body);
  const collector = new SeriesCollector(options);
  const labels = new LabelSetBuilder();
  const cursor: LabelSetCursor = { previous: null };
  const end = reader.length;
  let seriesIndex = 0;
  while (reader.pos < end) {
    const tag = reader.tag();
    if (tag === WRITE_REQUEST_TIMESERIES) readTimeSeries(reader, collector, labels, cursor, seriesIndex++);
    else if (tag === WRITE_REQUEST_METADATA) readMetadata(reader, collector);
    else reader.skip(tag, end);
  }
  return collector.finish();
}

function readTimeSeries(
  reader: ProtoReader,
  collector: SeriesCollector,
  labels: LabelSetBuilder,
  cursor: LabelSetCursor,
  index: number,
): void {
  const end = reader.lengthEnd(reader.length);
  const start = reader.pos;
  // First pass: where the labels are and how many samples follow; labels may come after samples.
  let labelsStart = -1;
  let labelsEnd = -1;
  let contiguous = true;
  let sampleCount = 0;
  let histogramCount = 0;
  while (reader.pos < end) {
    const fieldStart = reader.pos;
    const tag = reader.tag();
    if (tag === SERIES_LABELS) {
      if (labelsStart < 0) labelsStart = fieldStart;
      else if (fieldStart !== labelsEnd) contiguous = false;
      reader.pos = reader.lengthEnd(end);
      labelsEnd = reader.pos;
    } else {
      if (tag === SERIES_SAMPLES) sampleCount++;
      else if (tag === SERIES_EXEMPLARS) collector.countExemplars(1);
      else if (tag === SERIES_HISTOGRAMS) histogramCount++;
      reader.skip(tag, end);
    }
  }
  reader.checkEnd(end);
  const cacheable = contiguous && labelsStart >= 0;
  let seriesLabels = cacheable ? LABEL_SETS.get(reader.buf, labelsStart, labelsEnd, cursor) : undefined;
  if (seriesLabels === undefined) {
    seriesLabels = decodeLabels(reader, start, end, labels);
    if (!collector.admitSeries(labels, index, sampleCount, histogramCount)) return;
    if (cacheable) {
      LABEL_SETS.set(reader.buf, labelsStart, labelsEnd, seriesLabels);
      markInterned(seriesLabels);
    }
  } else collector.dropHistograms(index, histogramCount);
  if (sampleCount === 0) return;
  collector.beginSeries(seriesLabels);
  readSeriesSamples(reader, start, end, collector);
}

/** Second pass over a series' fields: its labels, with Prometheus's checks (LabelSetBuilder). */
function decodeLabels(reader: ProtoReader, start: number, end: number, labels: LabelSetBuilder): PromLabels {
  labels.reset();
  reader.pos = start;
  while (reader.pos < end) {
    const tag = reader.tag();
    if (tag === SERIES_LABELS) readLabel(reader, end, labels);
    else reader.skip(tag, end);
  }
  return labels.labels;
}

/** Label: name = 1, value = 2. */
function readLabel(reader: ProtoReader, limit: number, labels: LabelSetBuilder): void {
  const end = reader.lengthEnd(limit);
  let nameStart = 0;
  let nameEnd = 0;
  let valueStart = 0;
  let valueEnd = 0;
  while (reader.pos < end) {
    const tag = reader.tag();
    if (tag === ((1 << 3) | WireType.LEN)) {
      nameEnd = reader.lengthEnd(end);
      nameStart = reader.pos;
      reader.pos = nameEnd;
    } else if (tag === ((2 << 3) | WireType.LEN)) {
      valueEnd = reader.lengthEnd(end);
      valueStart = reader.pos;
      reader.pos = valueEnd;
    } else reader.skip(tag, end);
  }
  reader.checkEnd(end);
  labels.add(reader.buf, nameStart, nameEnd, valueStart, valueEnd);
}

/** MetricMetadata: type = 1, metric_family_name = 2, help = 4, unit = 5. */
function readMetadata(reader: ProtoReader, collector: SeriesCollector): void {
  const end = reader.lengthEnd(reader.length);
  let type = 0;
  let metricFamily: string | undefined = '';
  let help: string | undefined = '';
  let unit: string | undefined = '';
  while (reader.pos < end) {
    const tag = reader.tag();
    const field = tag >>> 3;
    if (field === 1 && (tag & 7) === WireType.VARINT) type = reader.uint32();
    else if ((field === 2 || field === 4 || field === 5) && (tag & 7) === WireType.LEN) {
      const textEnd = reader.lengthEnd(end);
      const text = utf8Text(reader.buf, reader.pos, textEnd);
      reader.pos = textEnd;
      if (field === 2) metricFamily = text;
      else if (field === 4) help = text;
      else unit = text;
    } else reader.skip(tag, end);
  }
  reader.checkEnd(end);
  // Metadata is advisory: entries with invalid UTF-8 are ignored rather than failing the samples.
  if (metricFamily === undefined || help === undefined || unit === undefined) return;
  collector.addMetadata({ metricFamily, type: metricTypeOf(type), help, unit });
}
