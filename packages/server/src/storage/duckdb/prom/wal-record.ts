/**
 * One record of the sample WAL (sample-wal.ts): the samples a group commit accepted, in arrival
 * order. Refs and times are zigzag varints of the difference to the previous sample's (a
 * remote-write request is consecutive refs at one time: 1 byte each), values the raw 8 bytes, so
 * every float64 bit pattern (stale markers, NaN payloads, -0) comes back exactly.
 *
 *   varint count, then per sample: zigzag(ref − previous ref), zigzag(t − previous t), float64 LE
 */
import { Buffer } from 'node:buffer';

/** Accepted samples of one group commit; `refs` and `timestampsMs` hold integers. */
export interface WalSamples {
  count: number;
  refs: Float64Array;
  timestampsMs: Float64Array;
  values: Float64Array;
}

/** Bytes a varint takes at most for integers up to 2^53 (7 bits per byte). */
const MAX_VARINT_BYTES = 8;

/** Zigzag for integers beyond 32 bits: arithmetic, as bit operators would truncate them. */
function zigzag(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}

function unzigzag(n: number): number {
  return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
}

function writeVarint(bytes: Uint8Array, at: number, n: number): number {
  let rest = n;
  while (rest >= 0x80) {
    bytes[at++] = (rest % 0x80) | 0x80;
    rest = Math.floor(rest / 0x80);
  }
  bytes[at++] = rest;
  return at;
}

/**
 * Copies one float64's bytes. Values never pass through a JS number here: that may quiet a
 * signalling NaN, and stale markers must keep their exact bits. (Typed arrays are little-endian
 * on every platform Node runs on that we support: x64, arm64.)
 */
function copyValue(from: Uint8Array, fromAt: number, to: Uint8Array, toAt: number): void {
  for (let k = 0; k < 8; k++) to[toAt + k] = from[fromAt + k] ?? 0;
}

/**
 * Encodes `samples` as one record payload, from `headerBytes` on: the bytes before it are left for
 * the caller's frame header, so the payload is never copied.
 */
export function encodeWalRecord(samples: WalSamples, headerBytes = 0): Buffer {
  const { count, refs, timestampsMs, values } = samples;
  const bytes = Buffer.allocUnsafe(headerBytes + MAX_VARINT_BYTES + count * (2 * MAX_VARINT_BYTES + 8));
  const valueBytes = new Uint8Array(values.buffer, values.byteOffset, count * 8);
  let at = writeVarint(bytes, headerBytes, count);
  let previousRef = 0;
  let previousMs = 0;
  for (let i = 0; i < count; i++) {
    const ref = refs[i] ?? 0;
    const timeMs = timestampsMs[i] ?? 0;
    at = writeVarint(bytes, at, zigzag(ref - previousRef));
    at = writeVarint(bytes, at, zigzag(timeMs - previousMs));
    copyValue(valueBytes, i * 8, bytes, at);
    at += 8;
    previousRef = ref;
    previousMs = timeMs;
  }
  return bytes.subarray(0, at);
}

/** Reads varints from a payload; throws on one that runs past the end. */
class VarintReader {
  at = 0;
  constructor(private readonly bytes: Uint8Array) {}

  next(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      const byte = this.bytes[this.at++];
      if (byte === undefined) throw new Error('sample WAL record ends inside a varint');
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
    }
    throw new Error('sample WAL record has an overlong varint');
  }
}

/** Decodes a record payload (whose checksum matched). */
export function decodeWalRecord(payload: Uint8Array): WalSamples {
  const reader = new VarintReader(payload);
  const count = reader.next();
  // Each sample takes at least 10 bytes: a corrupt count cannot make us allocate much.
  if (count * 10 > payload.length) throw new Error('sample WAL record count exceeds its size');
  const samples: WalSamples = {
    count,
    refs: new Float64Array(count),
    timestampsMs: new Float64Array(count),
    values: new Float64Array(count),
  };
  const valueBytes = new Uint8Array(samples.values.buffer);
  let ref = 0;
  let timeMs = 0;
  for (let i = 0; i < count; i++) {
    ref += unzigzag(reader.next());
    timeMs += unzigzag(reader.next());
    if (reader.at + 8 > payload.length) throw new Error('sample WAL record ends inside a value');
    samples.refs[i] = ref;
    samples.timestampsMs[i] = timeMs;
    copyValue(payload, reader.at, valueBytes, i * 8);
    reader.at += 8;
  }
  return samples;
}
