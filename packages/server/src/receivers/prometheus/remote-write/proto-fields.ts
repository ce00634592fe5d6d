import { WireType, type ProtoReader } from '../../otlp/proto-reader.ts';
import type { SeriesCollector } from './series-collector.ts';
import { RemoteWriteDecodeError } from './write-request.ts';

/**
 * A varint int64 as a number: timestamps in ms (~1.7e12) need 41 bits, so the fast path adds
 * 7-bit groups as doubles. Longer varints (negative values are 10 bytes) fall back to the exact
 * bigint read, so every value below 2^53 in magnitude comes out exact.
 */
export function int64Number(reader: ProtoReader): number {
  const buf = reader.buf;
  let pos = reader.pos;
  let result = 0;
  let multiplier = 1;
  for (let i = 0; i < 7; i++) {
    if (pos >= buf.length) break;
    const byte = buf[pos++]!;
    result += (byte & 0x7f) * multiplier;
    if (byte < 0x80) {
      reader.pos = pos;
      return result;
    }
    multiplier *= 128;
  }
  return Number(reader.int64());
}

/**
 * Reads a `repeated uint32` field, packed (proto3's default) or one element per tag (parsers
 * must accept both: protobuf encoding guide, "Packed Repeated Fields").
 */
export function readUint32s(reader: ProtoReader, tag: number, limit: number, into: number[]): void {
  if ((tag & 7) === WireType.LEN) {
    const end = reader.lengthEnd(limit);
    while (reader.pos < end) into.push(reader.uint32());
    reader.checkEnd(end);
  } else if ((tag & 7) === WireType.VARINT) {
    into.push(reader.uint32());
  } else {
    reader.wrongWireType(tag);
  }
}

/**
 * Reads a Sample message (1.0 and 2.0 agree: value = 1 double, timestamp = 2 int64) and returns
 * the offset of the value's 8 bytes in `reader.buf` (-1 when absent, meaning 0.0) and the timestamp.
 */
export function readSample(
  reader: ProtoReader,
  limit: number,
  out: { valueOffset: number; timestampMs: number },
): void {
  const end = reader.lengthEnd(limit);
  out.valueOffset = -1;
  out.timestampMs = 0;
  while (reader.pos < end) {
    const tag = reader.tag();
    if (tag === ((1 << 3) | WireType.I64)) {
      if (reader.pos + 8 > end)
        throw new RemoteWriteDecodeError(`sample value truncated at byte ${reader.pos}`);
      out.valueOffset = reader.pos;
      reader.pos += 8;
    } else if (tag === ((2 << 3) | WireType.VARINT)) {
      out.timestampMs = int64Number(reader);
    } else {
      // 2.0-rc.4 adds start_timestamp = 3; unknown fields are skipped (proto3 language guide).
      reader.skip(tag, end);
    }
  }
  reader.checkEnd(end);
}

/** Eight zero bytes: the value of a Sample whose `value` field is absent (proto3 default 0.0). */
export const ZERO_DOUBLE = new Uint8Array(8);

/** TimeSeries.samples (field 2 in remote-write 1.0 and 2.0 alike). */
const SERIES_SAMPLES = (2 << 3) | WireType.LEN;

/** Second pass over one series' fields [start, end), reading only its samples into the collector. */
export function readSeriesSamples(
  reader: ProtoReader,
  start: number,
  end: number,
  collector: SeriesCollector,
): void {
  reader.pos = start;
  const sample = { valueOffset: -1, timestampMs: 0 };
  while (reader.pos < end) {
    const tag = reader.tag();
    if (tag !== SERIES_SAMPLES) {
      reader.skip(tag, end);
      continue;
    }
    readSample(reader, end, sample);
    if (sample.valueOffset < 0) collector.addSample(sample.timestampMs, ZERO_DOUBLE, 0);
    else collector.addSample(sample.timestampMs, reader.buf, sample.valueOffset);
  }
}
