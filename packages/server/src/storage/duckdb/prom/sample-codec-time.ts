/**
 * Timestamps of a sample block. Delta-of-delta as in Gorilla and Prometheus (tsdb/chunkenc/xor.go
 * writes t0, then the first delta, then delta-of-deltas): regular scrapes give a stream of zeros,
 * which the integer stream folds into a run. Timestamps that the float arithmetic of decoding
 * would not rebuild exactly (non-integers, -0, |Δ| past 2^52) go raw, 8 bytes each, so any
 * Float64Array round-trips bit for bit.
 */
import {
  type ByteSink,
  type ByteSource,
  MAX_ZIGZAG_MAGNITUDE,
  unzigzag,
  zigzag,
} from './sample-codec-bytes.ts';
import { readIntStream, writeIntStream } from './sample-codec-int-stream.ts';
import { HI, LO, Scratch, WordView } from './sample-codec-words.ts';

const dodScratch = new Scratch((length) => new Float64Array(length));
const inputWords = new WordView();
const outputWords = new WordView();

/**
 * Delta-of-deltas of timestamps[1..count) into the scratch (index i - 2 for sample i), or null
 * when decoding would not give back every timestamp exactly. Integers within 2^52 make every
 * difference and the decoder's sums exact; -0 would come back as +0.
 */
function deltaOfDeltas(timestampsMs: Float64Array, count: number): Float64Array | null {
  const dods = dodScratch.atLeast(count);
  let previousMs = timestampsMs[0]!;
  let previousDeltaMs = 0;
  if (
    !Number.isInteger(previousMs) ||
    Math.abs(previousMs) > MAX_ZIGZAG_MAGNITUDE ||
    Object.is(previousMs, -0)
  )
    return null;
  for (let i = 1; i < count; i++) {
    const timeMs = timestampsMs[i]!;
    const deltaMs = timeMs - previousMs;
    const dod = deltaMs - previousDeltaMs;
    if (!Number.isInteger(timeMs) || Math.abs(timeMs) > MAX_ZIGZAG_MAGNITUDE || Object.is(timeMs, -0))
      return null;
    if (Math.abs(deltaMs) > MAX_ZIGZAG_MAGNITUDE || Math.abs(dod) > MAX_ZIGZAG_MAGNITUDE) return null;
    if (i >= 2) dods[i - 2] = dod;
    previousMs = timeMs;
    previousDeltaMs = deltaMs;
  }
  return dods;
}

/**
 * Writes timestamps[0, count) as delta-of-delta and returns true, or, when that would not be
 * exact, writes them raw and returns false (the caller records which in the block header).
 */
export function writeTimestamps(sink: ByteSink, timestampsMs: Float64Array, count: number): boolean {
  if (count === 0) return true;
  const dods = deltaOfDeltas(timestampsMs, count);
  if (dods === null) {
    const words = inputWords.of(timestampsMs);
    for (let i = 0; i < count; i++) {
      sink.word(words[2 * i + LO]!);
      sink.word(words[2 * i + HI]!);
    }
    return false;
  }
  sink.varint(zigzag(timestampsMs[0]!));
  if (count >= 2) sink.varint(zigzag(timestampsMs[1]! - timestampsMs[0]!));
  if (count >= 3) writeIntStream(sink, dods, 0, count - 2);
  return true;
}

/** Reads what `writeTimestamps` wrote into out[offset, offset + count). */
export function readTimestamps(
  source: ByteSource,
  out: Float64Array,
  offset: number,
  count: number,
  deltaOfDelta: boolean,
): void {
  if (count === 0) return;
  if (!deltaOfDelta) {
    const words = outputWords.of(out);
    for (let i = offset; i < offset + count; i++) {
      words[2 * i + LO] = source.word();
      words[2 * i + HI] = source.word();
    }
    return;
  }
  let timeMs = unzigzag(source.varint());
  out[offset] = timeMs;
  if (count === 1) return;
  let deltaMs = unzigzag(source.varint());
  timeMs += deltaMs;
  out[offset + 1] = timeMs;
  // Delta-of-deltas land in `out` itself and become timestamps in place: no scratch to fill.
  readIntStream(source, out, offset + 2, count - 2);
  for (let i = offset + 2; i < offset + count; i++) {
    deltaMs += out[i]!;
    timeMs += deltaMs;
    out[i] = timeMs;
  }
}
