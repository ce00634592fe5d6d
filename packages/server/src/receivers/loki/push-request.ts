/**
 * A Loki push request as both wire formats decode to it: logproto.PushRequest of grafana/loki
 * pkg/push/push.proto, and the JSON body of pkg/loghttp/push (`{"streams":[{"stream":{},"values":[]}]}`).
 */

/** Name/value pairs in arrival order (stream labels, structured metadata). */
export type LokiLabelPairs = readonly (readonly [name: string, value: string])[];

/** One log line of a stream (logproto.EntryAdapter). */
export interface LokiEntry {
  /** Exact Unix nanoseconds: Loki's JSON sends them as a decimal string, protobuf as seconds + nanos. */
  timeUnixNano: bigint;
  line: string;
  structuredMetadata: LokiLabelPairs;
}

/** One stream: its labels and its lines (logproto.StreamAdapter). */
export interface LokiStream {
  labels: LokiLabelPairs;
  entries: LokiEntry[];
}

/**
 * A push body Vigil cannot accept. The message is sent to the client as the 400 text, so it names
 * positions and rules only, never label values or log lines (STYLE.md, "Errors").
 */
export class LokiDecodeError extends Error {
  override readonly name = 'LokiDecodeError';
}

/** Largest timestamp the store keeps (int64 nanoseconds, as Loki's time.Time wire forms allow). */
export const MAX_UNIX_NANO = 2n ** 63n - 1n;

/**
 * Checks an entry timestamp: Loki accepts any int64, Vigil stores unsigned nanoseconds, so times
 * before 1970 are refused here instead of failing the whole write in the store.
 */
export function checkTimeUnixNano(timeUnixNano: bigint, where: string): bigint {
  if (timeUnixNano < 0n) throw new LokiDecodeError(`${where}: timestamp before 1970-01-01`);
  if (timeUnixNano > MAX_UNIX_NANO) throw new LokiDecodeError(`${where}: timestamp out of int64 range`);
  return timeUnixNano;
}
