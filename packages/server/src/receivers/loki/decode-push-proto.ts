import { OtlpDecodeError } from '../otlp/decode-error.ts';
import { ProtoReader, WireType } from '../otlp/proto-reader.ts';
import { checkTimeUnixNano, LokiDecodeError, type LokiEntry, type LokiStream } from './push-request.ts';
import { parseStreamLabels } from './stream-labels.ts';

const LEN = WireType.LEN;
const VARINT = WireType.VARINT;
const NANOS_PER_SECOND = 1_000_000_000n;

/**
 * Decodes a logproto.PushRequest (grafana/loki pkg/push/push.proto), already snappy-decoded:
 * `PushRequest { repeated StreamAdapter streams = 1 }`,
 * `StreamAdapter { string labels = 1; repeated EntryAdapter entries = 2; uint64 hash = 3 }`,
 * `EntryAdapter { Timestamp timestamp = 1; string line = 2; repeated LabelPairAdapter structuredMetadata = 3 }`.
 * Unknown fields are skipped (proto3); `hash` is ignored since Vigil hashes labels itself.
 * Throws LokiDecodeError for anything malformed.
 *
 * @example
 * const streams = decodePushRequestProto(uncompressedBody);
 */
export function decodePushRequestProto(body: Uint8Array): LokiStream[] {
  const reader = new ProtoReader(body);
  const streams: LokiStream[] = [];
  try {
    while (reader.pos < reader.length) {
      const tag = reader.tag();
      if (tag === ((1 << 3) | LEN))
        streams.push(readStream(reader, reader.lengthEnd(reader.length), streams.length));
      else reader.skip(tag, reader.length);
    }
  } catch (error: unknown) {
    if (error instanceof OtlpDecodeError)
      throw new LokiDecodeError(`decoding logproto.PushRequest: ${error.message}`);
    throw error;
  }
  return streams;
}

function readStream(reader: ProtoReader, end: number, index: number): LokiStream {
  let labelText = '';
  const entries: LokiEntry[] = [];
  while (reader.pos < end) {
    const tag = reader.tag();
    if (tag === ((1 << 3) | LEN)) labelText = reader.string(end);
    else if (tag === ((2 << 3) | LEN)) entries.push(readEntry(reader, reader.lengthEnd(end), index));
    else reader.skip(tag, end);
  }
  reader.checkEnd(end);
  try {
    return { labels: parseStreamLabels(labelText), entries };
  } catch (error: unknown) {
    if (error instanceof LokiDecodeError) throw new LokiDecodeError(`stream ${index}: ${error.message}`);
    throw error;
  }
}

function readEntry(reader: ProtoReader, end: number, streamIndex: number): LokiEntry {
  let timeUnixNano = 0n;
  let line = '';
  const structuredMetadata: [string, string][] = [];
  while (reader.pos < end) {
    const tag = reader.tag();
    if (tag === ((1 << 3) | LEN)) timeUnixNano = readTimestamp(reader, reader.lengthEnd(end), streamIndex);
    else if (tag === ((2 << 3) | LEN)) line = reader.string(end);
    else if (tag === ((3 << 3) | LEN)) structuredMetadata.push(readLabelPair(reader, reader.lengthEnd(end)));
    else reader.skip(tag, end);
  }
  reader.checkEnd(end);
  return { timeUnixNano: checkTimeUnixNano(timeUnixNano, `stream ${streamIndex}`), line, structuredMetadata };
}

/** google.protobuf.Timestamp { int64 seconds = 1; int32 nanos = 2 }, nanos in [0, 1e9) per timestamp.proto. */
function readTimestamp(reader: ProtoReader, end: number, streamIndex: number): bigint {
  let seconds = 0n;
  let nanos = 0;
  while (reader.pos < end) {
    const tag = reader.tag();
    if (tag === ((1 << 3) | VARINT)) seconds = reader.int64();
    else if (tag === ((2 << 3) | VARINT)) nanos = reader.int32();
    else reader.skip(tag, end);
  }
  reader.checkEnd(end);
  if (nanos < 0 || nanos >= 1e9)
    throw new LokiDecodeError(`stream ${streamIndex}: timestamp nanos out of range`);
  return seconds * NANOS_PER_SECOND + BigInt(nanos);
}

/** LabelPairAdapter { string name = 1; string value = 2 }. */
function readLabelPair(reader: ProtoReader, end: number): [string, string] {
  let name = '';
  let value = '';
  while (reader.pos < end) {
    const tag = reader.tag();
    if (tag === ((1 << 3) | LEN)) name = reader.string(end);
    else if (tag === ((2 << 3) | LEN)) value = reader.string(end);
    else reader.skip(tag, end);
  }
  reader.checkEnd(end);
  return [name, value];
}
