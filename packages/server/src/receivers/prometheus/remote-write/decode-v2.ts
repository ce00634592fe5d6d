import { ProtoReader, WireType } from '../../otlp/proto-reader.ts';
import { LabelSetBuilder, SeriesCollector, utf8Text } from './series-collector.ts';
import { readSeriesSamples, readUint32s } from './proto-fields.ts';
import {
  metricTypeOf,
  RemoteWriteDecodeError,
  type DecodedWriteRequest,
  type DecodeOptions,
} from './write-request.ts';

// Field numbers of prompb/io/prometheus/write/v2/types.proto (remote-write 2.0).
const REQUEST_SYMBOLS = (4 << 3) | WireType.LEN;
const REQUEST_TIMESERIES = (5 << 3) | WireType.LEN;
const SERIES_LABEL_REFS = 1;
const SERIES_SAMPLES = (2 << 3) | WireType.LEN;
const SERIES_HISTOGRAMS = (3 << 3) | WireType.LEN;
const SERIES_EXEMPLARS = (4 << 3) | WireType.LEN;
const SERIES_METADATA = (5 << 3) | WireType.LEN;

/**
 * The request's symbol table. Strings are decoded on first reference: label names and values
 * repeat across series, and help texts of unused metadata are never decoded at all.
 */
class SymbolTable {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly texts: (string | undefined | null)[] = [];

  constructor(private readonly buf: Buffer) {}

  add(start: number, end: number): void {
    this.starts.push(start);
    this.ends.push(end);
    this.texts.push(null);
  }

  /** The symbol's text; undefined when not valid UTF-8. Throws for a reference past the table. */
  get(ref: number): string | undefined {
    if (ref >= this.texts.length)
      throw new RemoteWriteDecodeError(`symbol reference ${ref} out of range (${this.texts.length} symbols)`);
    const cached = this.texts[ref];
    if (cached !== null) return cached;
    const text = utf8Text(this.buf, this.starts[ref]!, this.ends[ref]!);
    this.texts[ref] = text;
    return text;
  }
}

/**
 * Decodes a remote-write 2.0 `io.prometheus.write.v2.Request` (protobuf, already snappy-decoded):
 * the symbol table first (it may come after the series on the wire), then each series' label refs,
 * samples and metadata. Series with invalid labels are dropped and reported, as Prometheus answers
 * them with a 400 after writing the rest (remote_write_spec_2_0, "Partial Write").
 *
 * @example
 * const decoded = decodeWriteRequestV2(uncompressSync(body), { maxTimestampMs: Date.now() + 600_000 });
 */
export function decodeWriteRequestV2(body: Uint8Array, options: DecodeOptions): DecodedWriteRequest {
  const reader = new ProtoReader(body);
  const symbols = new SymbolTable(reader.buf);
  const seriesRanges: number[] = [];
  const end = reader.length;
  while (reader.pos < end) {
    const tag = reader.tag();
    if (tag === REQUEST_SYMBOLS || tag === REQUEST_TIMESERIES) {
      const fieldEnd = reader.lengthEnd(end);
      if (tag === REQUEST_SYMBOLS) symbols.add(reader.pos, fieldEnd);
      else seriesRanges.push(reader.pos, fieldEnd);
      reader.pos = fieldEnd;
    } else reader.skip(tag, end);
  }
  const collector = new SeriesCollector(options);
  const labels = new LabelSetBuilder();
  for (let i = 0; i < seriesRanges.length; i += 2) {
    readTimeSeries(reader, seriesRanges[i]!, seriesRanges[i + 1]!, { collector, labels, symbols }, i / 2);
  }
  return collector.finish();
}

interface SeriesContext {
  collector: SeriesCollector;
  labels: LabelSetBuilder;
  symbols: SymbolTable;
}

function readTimeSeries(
  reader: ProtoReader,
  start: number,
  end: number,
  context: SeriesContext,
  index: number,
): void {
  const { collector, labels, symbols } = context;
  const labelRefs: number[] = [];
  let sampleCount = 0;
  let histogramCount = 0;
  let metadataRange: [number, number] | undefined;
  reader.pos = start;
  while (reader.pos < end) {
    const tag = reader.tag();
    if (tag >>> 3 === SERIES_LABEL_REFS) readUint32s(reader, tag, end, labelRefs);
    else if (tag === SERIES_METADATA) {
      const metadataEnd = reader.lengthEnd(end);
      metadataRange = [reader.pos, metadataEnd];
      reader.pos = metadataEnd;
    } else {
      if (tag === SERIES_SAMPLES) sampleCount++;
      else if (tag === SERIES_HISTOGRAMS) histogramCount++;
      else if (tag === SERIES_EXEMPLARS) collector.countExemplars(1);
      reader.skip(tag, end);
    }
  }
  reader.checkEnd(end);
  if (labelRefs.length % 2 !== 0)
    throw new RemoteWriteDecodeError(`series ${index}: odd number of label references`);
  labels.reset();
  for (let i = 0; i < labelRefs.length; i += 2)
    labels.addText(symbols.get(labelRefs[i]!), symbols.get(labelRefs[i + 1]!));
  if (!collector.admitSeries(labels, index, sampleCount, histogramCount)) return;
  if (metadataRange) readMetadata(reader, metadataRange, context);
  if (sampleCount > 0) {
    collector.beginSeries(labels.labels);
    readSeriesSamples(reader, start, end, collector);
  }
}

/**
 * Metadata: type = 1, help_ref = 3, unit_ref = 4. 2.0 attaches it per series; the store keeps it per
 * metric family, named as Prometheus's metadata API names families of classic histograms and
 * summaries (without their `_bucket`/`_sum`/`_count` series suffix).
 */
function readMetadata(reader: ProtoReader, [start, end]: [number, number], context: SeriesContext): void {
  reader.pos = start;
  let type = 0;
  let helpRef = 0;
  let unitRef = 0;
  while (reader.pos < end) {
    const tag = reader.tag();
    if (tag === ((1 << 3) | WireType.VARINT)) type = reader.uint32();
    else if (tag === ((3 << 3) | WireType.VARINT)) helpRef = reader.uint32();
    else if (tag === ((4 << 3) | WireType.VARINT)) unitRef = reader.uint32();
    else reader.skip(tag, end);
  }
  reader.checkEnd(end);
  // Ref 0 is the empty string the spec puts first in every symbol table.
  const help = helpRef === 0 ? '' : context.symbols.get(helpRef);
  const unit = unitRef === 0 ? '' : context.symbols.get(unitRef);
  if ((type === 0 && help === '' && unit === '') || help === undefined || unit === undefined) return;
  const metricType = metricTypeOf(type);
  const name = context.labels.labels.get('__name__') ?? '';
  context.collector.addMetadata({ metricFamily: familyName(name, metricType), type: metricType, help, unit });
}

const FAMILY_SUFFIXES: Readonly<Record<string, readonly string[]>> = {
  histogram: ['_bucket', '_sum', '_count'],
  gaugehistogram: ['_bucket', '_gsum', '_gcount'],
  summary: ['_sum', '_count'],
};

function familyName(seriesName: string, type: string): string {
  for (const suffix of FAMILY_SUFFIXES[type] ?? []) {
    if (seriesName.endsWith(suffix)) return seriesName.slice(0, -suffix.length);
  }
  return seriesName;
}
