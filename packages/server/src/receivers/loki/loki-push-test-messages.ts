/**
 * Test support: Loki push bodies built with protobufjs from the upstream schema (grafana/loki
 * pkg/push/push.proto, with google.protobuf.Timestamp spelled out), so the hand-written decoder is
 * checked against an independent encoder.
 */
import protobuf from 'protobufjs';
import { compressSync } from 'snappy';

const SCHEMA = `
syntax = "proto3";
package logproto;
message PushRequest { repeated StreamAdapter streams = 1; }
message StreamAdapter { string labels = 1; repeated EntryAdapter entries = 2; uint64 hash = 3; }
message EntryAdapter { Timestamp timestamp = 1; string line = 2; repeated LabelPairAdapter structuredMetadata = 3; }
message LabelPairAdapter { string name = 1; string value = 2; }
message Timestamp { int64 seconds = 1; int32 nanos = 2; }
`;

const pushRequestType = protobuf.parse(SCHEMA).root.lookupType('logproto.PushRequest');

export interface TestEntry {
  timeUnixNano: bigint;
  line: string;
  metadata?: Record<string, string>;
}

export interface TestStream {
  /** The label text as sent, e.g. `{job="api"}`. */
  labels: string;
  entries: TestEntry[];
}

/** A logproto.PushRequest, protobuf-encoded and snappy block-compressed as Promtail sends it. */
export function encodePushRequest(streams: TestStream[]): Buffer {
  const message = pushRequestType.fromObject({
    streams: streams.map((stream) => ({
      labels: stream.labels,
      hash: 42,
      entries: stream.entries.map((entry) => ({
        timestamp: {
          seconds: (entry.timeUnixNano / 1_000_000_000n).toString(),
          nanos: Number(entry.timeUnixNano % 1_000_000_000n),
        },
        line: entry.line,
        structuredMetadata: Object.entries(entry.metadata ?? {}).map(([name, value]) => ({ name, value })),
      })),
    })),
  });
  return compressSync(Buffer.from(pushRequestType.encode(message).finish()));
}
