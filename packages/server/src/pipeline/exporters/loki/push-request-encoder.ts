/**
 * Loki push bodies: `logproto.PushRequest` protobuf (grafana/loki pkg/push/push.proto, the schema
 * receivers/loki/decode-push-proto.ts reads) or the JSON of pkg/loghttp/push
 * (`{"streams":[{"stream":{…},"values":[["<unix ns>","line"]]}]}`).
 */
import { ProtoWriter } from '../helper/proto-writer.ts';

/** One entry of a stream: exact Unix nanoseconds and the line. */
export interface PushEntry {
  timeUnixNano: bigint;
  line: string;
}

/** A stream's labels (names sorted when written) and its entries in record order. */
export interface PushStream {
  labels: ReadonlyMap<string, string>;
  entries: PushEntry[];
}

const NANOS_PER_SECOND = 1_000_000_000n;

/** A label value as Go's strconv.Quote writes it, so Loki's label parser reads it back exactly. */
function goQuote(value: string): string {
  return JSON.stringify(value).replace(
    /[\u007f-\u009f\u2028\u2029]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * Labels as Loki's protobuf streams carry them, Prometheus's LabelSet.String form:
 * `{job="api", level="INFO"}`, names sorted.
 */
export function labelsText(labels: ReadonlyMap<string, string>): string {
  const names = [...labels.keys()].sort();
  return `{${names.map((name) => `${name}=${goQuote(labels.get(name) ?? '')}`).join(', ')}}`;
}

/** EntryAdapter { Timestamp timestamp = 1; string line = 2 } as StreamAdapter field 2. */
function writeEntry(writer: ProtoWriter, entry: PushEntry): void {
  writer.message(2);
  // google.protobuf.Timestamp { int64 seconds = 1; int32 nanos = 2 }, zero fields left out.
  writer.message(1);
  const seconds = Number(entry.timeUnixNano / NANOS_PER_SECOND);
  const nanos = Number(entry.timeUnixNano % NANOS_PER_SECOND);
  if (seconds !== 0) writer.int64NumberField(1, seconds);
  if (nanos !== 0) writer.varintField(2, nanos);
  writer.end();
  writer.stringField(2, entry.line);
  writer.end();
}

/**
 * A PushRequest protobuf (not yet snappy-compressed).
 *
 * @example
 * const body = compressSync(encodePushRequestProto([{ labels: new Map([['job', 'api']]), entries }]));
 */
export function encodePushRequestProto(streams: readonly PushStream[]): Uint8Array {
  const writer = new ProtoWriter();
  for (const stream of streams) {
    // StreamAdapter { string labels = 1; repeated EntryAdapter entries = 2 } as field 1.
    writer.message(1);
    writer.stringField(1, labelsText(stream.labels));
    for (const entry of stream.entries) writeEntry(writer, entry);
    writer.end();
  }
  return writer.finish();
}

/**
 * The JSON push body; timestamps as decimal strings of Unix nanoseconds, exact.
 *
 * @example
 * encodePushRequestJson([{ labels: new Map([['job', 'api']]), entries: [{ timeUnixNano: 1n, line: 'x' }] }]);
 * // {"streams":[{"stream":{"job":"api"},"values":[["1","x"]]}]}
 */
export function encodePushRequestJson(streams: readonly PushStream[]): Uint8Array {
  const body = {
    streams: streams.map((stream) => ({
      stream: Object.fromEntries([...stream.labels].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
      values: stream.entries.map((entry) => [entry.timeUnixNano.toString(), entry.line]),
    })),
  };
  return Buffer.from(JSON.stringify(body), 'utf8');
}
