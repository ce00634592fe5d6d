/**
 * A compact, lossless block format for one series' samples of a compaction window: the BLOB that
 * replaces a `prom_chunks` row's two lists (int32 time deltas + float64 values, 12 bytes a
 * sample before DuckDB's own compression, ~3.2 on disk).
 *
 * Timestamps: delta-of-delta (sample-codec-time.ts). Values: per block the smaller of decimal
 * mantissas (sample-codec-decimal.ts, VictoriaMetrics-style) and Gorilla XOR
 * (sample-codec-gorilla.ts, Prometheus's chunk encoding). Both sit on bit-packed integer streams
 * with run folding (sample-codec-int-stream.ts), so regular scrapes and steady counters cost
 * a few bytes per block. A general-purpose pass (raw deflate, sample-codec-deflate.ts) is kept
 * only where it saves a quarter of the block: queries decode every block they touch, and each
 * inflate call costs more than decoding the block's samples.
 *
 * Block: byte version (1), byte flags, varint sample count, [varint body length when
 * compressed], body = time section then value section.
 */
import { ByteSink, ByteSource } from './sample-codec-bytes.ts';
import { scanExponents } from './sample-codec-decimal-scan.ts';
import { deflateIfWorthIt, inflateBody } from './sample-codec-deflate.ts';
import { planDecimal, readDecimal, writeDecimal } from './sample-codec-decimal.ts';
import { gorillaBytes, readGorilla, writeGorilla } from './sample-codec-gorilla.ts';
import { readTimestamps, writeTimestamps } from './sample-codec-time.ts';

/** Format version, the block's first byte. */
export const SAMPLE_CODEC_VERSION = 1;

const FLAG_RAW_TIMES = 0b1;
const VALUES_MASK = 0b110;
const VALUES_GORILLA = 0b000;
const VALUES_DECIMAL = 0b010;
const COMPRESSION_MASK = 0b11000;
const COMPRESSION_DEFLATE = 0b01000;

const body = new ByteSink();
const block = new ByteSink();
const source = new ByteSource();

/** Appends the smaller value section for values[0, count) (count ≥ 1); returns its flag. */
function writeValues(sink: ByteSink, values: Float64Array, count: number): number {
  const scan = scanExponents(values, count);
  let bestBytes = Infinity;
  let bestExponent = 0;
  let plannedExponent = 0;
  // Sizes are computed exactly without writing; only the winner is written.
  for (const exponent of scan.candidates) {
    const bytes = planDecimal(values, scan.exponents, count, exponent);
    plannedExponent = exponent;
    if (bytes < bestBytes) {
      bestBytes = bytes;
      bestExponent = exponent;
    }
  }
  // Gorilla spends at least 64 bits on the first value and one bit on each later one.
  const gorillaFloorBytes = 8 + Math.ceil((count - 1) / 8);
  if (bestBytes > gorillaFloorBytes && gorillaBytes(values, count) < bestBytes) {
    writeGorilla(sink, values, count);
    return VALUES_GORILLA;
  }
  if (plannedExponent !== bestExponent) planDecimal(values, scan.exponents, count, bestExponent);
  writeDecimal(sink, values, count);
  return VALUES_DECIMAL;
}

/**
 * Encodes one series' samples (timestamps ascending, unique, integral ms; any float64 values)
 * into a self-describing block. Lossless bit for bit, NaN payloads (stale markers) included;
 * timestamps that are not integers round-trip too, only less compactly.
 *
 * @example
 * const block = encodeSamples(Float64Array.of(1_700_000_000_000, 1_700_000_015_000), Float64Array.of(1, 2));
 */
export function encodeSamples(timestampsMs: Float64Array, values: Float64Array): Uint8Array {
  return encodeSamplesView(timestampsMs, values).slice();
}

/**
 * {@link encodeSamples} into the codec's reused buffer: the view is valid only until the next
 * encode. For callers that copy the block at once (the head's pages), saving an allocation each.
 * `deflate: false` skips the general-purpose pass (and the screening for it), for small blocks
 * that are re-encoded often.
 */
export function encodeSamplesView(
  timestampsMs: Float64Array,
  values: Float64Array,
  { deflate = true }: { deflate?: boolean } = {},
): Uint8Array {
  const count = timestampsMs.length;
  if (values.length !== count) throw new RangeError('timestamps and values differ in length');
  body.reset();
  let flags = writeTimestamps(body, timestampsMs, count) ? 0 : FLAG_RAW_TIMES;
  if (count > 0) flags |= writeValues(body, values, count);
  const plain = body.bytes.subarray(0, body.length);
  const compressed = deflate ? deflateIfWorthIt(plain) : null;
  block.reset();
  block.byte(SAMPLE_CODEC_VERSION);
  block.byte(compressed === null ? flags : flags | COMPRESSION_DEFLATE);
  block.varint(count);
  if (compressed === null) block.append(plain);
  else {
    block.varint(plain.length);
    block.append(compressed);
  }
  return block.bytes.subarray(0, block.length);
}

/** Reads the header into `source`; returns flags and the sample count. */
function readHeader(encoded: Uint8Array): { flags: number; count: number } {
  source.reset(encoded, 0);
  const version = source.byte();
  if (version !== SAMPLE_CODEC_VERSION) throw new RangeError(`unknown sample block version ${version}`);
  const flags = source.byte();
  return { flags, count: source.varint() };
}

/**
 * Number of samples in an encoded block, read from its header without decoding it.
 *
 * @example
 * const total = blocks.reduce((sum, block) => sum + encodedSampleCount(block), 0);
 */
export function encodedSampleCount(encoded: Uint8Array): number {
  return readHeader(encoded).count;
}

/** What a block's header says about it: for storage statistics and benchmarks. */
export interface SampleBlockInfo {
  count: number;
  valueCodec: 'decimal' | 'gorilla';
  /** Timestamps stored raw (8 bytes each) because delta-of-delta could not hold them exactly. */
  rawTimestamps: boolean;
  deflated: boolean;
}

/**
 * Reads a block's header.
 *
 * @example
 * const gorillaBlocks = blocks.filter((block) => sampleBlockInfo(block).valueCodec === 'gorilla').length;
 */
export function sampleBlockInfo(encoded: Uint8Array): SampleBlockInfo {
  const { flags, count } = readHeader(encoded);
  return {
    count,
    valueCodec: (flags & VALUES_MASK) === VALUES_DECIMAL ? 'decimal' : 'gorilla',
    rawTimestamps: (flags & FLAG_RAW_TIMES) !== 0,
    deflated: (flags & COMPRESSION_MASK) === COMPRESSION_DEFLATE,
  };
}

/**
 * Decodes a block into timestampsMs and values from `offset` on, so callers can pack many blocks
 * into one pair of arrays; returns the number of samples written. Throws a RangeError on a
 * block it cannot read or arrays too short to hold it.
 *
 * @example
 * const timestampsMs = new Float64Array(total);
 * const values = new Float64Array(total);
 * let at = 0;
 * for (const block of blocks) at += decodeSamplesInto(block, timestampsMs, values, at);
 */
export function decodeSamplesInto(
  encoded: Uint8Array,
  timestampsMs: Float64Array,
  values: Float64Array,
  offset: number,
): number {
  const { flags, count } = readHeader(encoded);
  if (offset < 0 || offset + count > timestampsMs.length || offset + count > values.length)
    throw new RangeError('sample arrays are too short for the block');
  if ((flags & COMPRESSION_MASK) === COMPRESSION_DEFLATE) {
    const plainLength = source.varint();
    source.reset(inflateBody(encoded.subarray(source.pos), plainLength), 0);
  } else if ((flags & COMPRESSION_MASK) !== 0)
    throw new RangeError('sample block has an unknown compression');
  readTimestamps(source, timestampsMs, offset, count, (flags & FLAG_RAW_TIMES) === 0);
  if (count === 0) return 0;
  const valueCodec = flags & VALUES_MASK;
  if (valueCodec === VALUES_DECIMAL) readDecimal(source, values, offset, count);
  else if (valueCodec === VALUES_GORILLA) readGorilla(source, values, offset, count);
  else throw new RangeError('sample block has an unknown value codec');
  return count;
}
