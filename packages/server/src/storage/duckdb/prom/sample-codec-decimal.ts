/**
 * Decimal value encoding (after VictoriaMetrics lib/encoding + lib/decimal): every value is
 * m × 10^e for one block exponent e, and the integer mantissas go as deltas (counters: a steady
 * rate gives near-constant deltas) or delta-of-deltas (whichever packs smaller), then the
 * one-ulp corrections (sample-codec-decimal-scan.ts), then exceptions: values with no decimal
 * form at e (NaN and stale markers, ±Inf, -0, extra digits) as raw 64-bit patterns by position.
 *
 * Section layout: byte e + 32, byte kind (1 delta, 2 delta-of-delta), zigzag varint m0,
 * [zigzag varint first delta], mantissa integer stream, correction stream (count values),
 * varint exception count, per exception: varint gap to the previous one, low word, high word.
 */
import {
  type ByteSink,
  type ByteSource,
  MAX_ZIGZAG_MAGNITUDE,
  unzigzag,
  varintBytes,
  zigzag,
} from './sample-codec-bytes.ts';
import { MAX_EXPONENT, SCALES, decimalValue, mantissaAt } from './sample-codec-decimal-scan.ts';
import { intStreamBytes, readIntStream, skipZeroRun, writeIntStream } from './sample-codec-int-stream.ts';
import { HI, LO, Scratch, WordView, ulpDistance } from './sample-codec-words.ts';

const EXPONENT_BIAS = 32;
const KIND_DELTA = 1;
const KIND_DELTA_OF_DELTA = 2;

const mantissaScratch = new Scratch((length) => new Float64Array(length));
const correctionScratch = new Scratch((length) => new Float64Array(length));
const deltaScratch = new Scratch((length) => new Float64Array(length));
const deltaOfDeltaScratch = new Scratch((length) => new Float64Array(length));
const exceptionScratch = new Scratch((length) => new Float64Array(length));
const inputWords = new WordView();
const outputWords = new WordView();

/**
 * Mantissas at `exponent` into the scratch (an exception repeats the previous mantissa, so it
 * costs the stream nothing), corrections in ulps, exception positions; returns their count.
 */
function splitValues(values: Float64Array, exponents: Int8Array, count: number, exponent: number): number {
  const mantissas = mantissaScratch.atLeast(count);
  const corrections = correctionScratch.atLeast(count);
  const exceptions = exceptionScratch.atLeast(count);
  let exceptionCount = 0;
  let previous = 0;
  for (let i = 0; i < count; i++) {
    const value = values[i]!;
    const coarsest = exponents[i]!;
    let correction = Number.NaN;
    let mantissa = 0;
    // NOT_DECIMAL sorts below every exponent, ANY_EXPONENT (zero) above.
    if (coarsest >= exponent) {
      mantissa = mantissaAt(value, exponent) + 0;
      const decimal = decimalValue(mantissa, exponent);
      correction = decimal === value ? 0 : ulpDistance(value, decimal);
    }
    if (Math.abs(mantissa) <= MAX_ZIGZAG_MAGNITUDE && Math.abs(correction) <= 1) {
      previous = mantissa;
      corrections[i] = correction;
    } else {
      exceptions[exceptionCount++] = i;
      corrections[i] = 0;
    }
    mantissas[i] = previous;
  }
  return exceptionCount;
}

/**
 * Deltas (order 1) or delta-of-deltas (order 2) of the mantissas into
 * stream[0, count - 1); false when one passes 2^52 (zigzag would not be exact).
 */
function mantissaStream(stream: Float64Array, count: number, order: 1 | 2): boolean {
  const mantissas = mantissaScratch.atLeast(count);
  let previousDelta = 0;
  for (let i = 1; i < count; i++) {
    const delta = mantissas[i]! - mantissas[i - 1]!;
    const item = order === 1 ? delta : delta - previousDelta;
    if (Math.abs(item) > MAX_ZIGZAG_MAGNITUDE) return false;
    stream[i - 1] = item;
    previousDelta = delta;
  }
  return true;
}

/** Bytes of the mantissa section past m0 for a stream from `mantissaStream`, or Infinity. */
function streamBytes(valid: boolean, stream: Float64Array, count: number, order: 1 | 2): number {
  if (!valid) return Infinity;
  if (order === 1) return intStreamBytes(stream, 0, count - 1);
  return varintBytes(zigzag(stream[0]!)) + intStreamBytes(stream, 1, Math.max(0, count - 2));
}

/** The last plan of `planDecimal`, which `writeDecimal` writes (module-level: no allocation). */
const plan = { exponent: 0, order: 1 as 1 | 2, exceptionCount: 0 };

/**
 * Splits values[0, count) (count ≥ 1) at block exponent `exponent` and returns the exact size of
 * its decimal section, or Infinity when the mantissas do not fit; `writeDecimal` then writes it.
 */
export function planDecimal(
  values: Float64Array,
  exponents: Int8Array,
  count: number,
  exponent: number,
): number {
  const exceptionCount = splitValues(values, exponents, count, exponent);
  if (exceptionCount === count) return Infinity;
  const deltas = deltaScratch.atLeast(count);
  const deltaOfDeltas = deltaOfDeltaScratch.atLeast(count);
  const deltaBytes = streamBytes(mantissaStream(deltas, count, 1), deltas, count, 1);
  const deltaOfDeltaBytes = streamBytes(mantissaStream(deltaOfDeltas, count, 2), deltaOfDeltas, count, 2);
  plan.exponent = exponent;
  plan.order = deltaBytes <= deltaOfDeltaBytes ? 1 : 2;
  plan.exceptionCount = exceptionCount;
  const positions = exceptionScratch.atLeast(count);
  let exceptionBytes = varintBytes(exceptionCount);
  for (let k = 0; k < exceptionCount; k++)
    exceptionBytes += 8 + varintBytes(positions[k]! - (positions[k - 1] ?? -1) - 1);
  const header = 2 + varintBytes(zigzag(mantissaScratch.atLeast(count)[0]!));
  return (
    header +
    Math.min(deltaBytes, deltaOfDeltaBytes) +
    intStreamBytes(correctionScratch.atLeast(count), 0, count) +
    exceptionBytes
  );
}

/** Appends the decimal section that the last `planDecimal` call (same values) sized. */
export function writeDecimal(sink: ByteSink, values: Float64Array, count: number): void {
  const { exponent, order, exceptionCount } = plan;
  const stream = order === 1 ? deltaScratch.atLeast(count) : deltaOfDeltaScratch.atLeast(count);
  sink.byte(exponent + EXPONENT_BIAS);
  sink.byte(order === 1 ? KIND_DELTA : KIND_DELTA_OF_DELTA);
  sink.varint(zigzag(mantissaScratch.atLeast(count)[0]!));
  if (order === 2 && count >= 2) sink.varint(zigzag(stream[0]!));
  if (count > order) writeIntStream(sink, stream, order - 1, count - order);
  writeIntStream(sink, correctionScratch.atLeast(count), 0, count);
  writeExceptions(sink, values, exceptionCount);
}

function writeExceptions(sink: ByteSink, values: Float64Array, exceptionCount: number): void {
  const words = inputWords.of(values);
  const positions = exceptionScratch.atLeast(exceptionCount);
  sink.varint(exceptionCount);
  let previous = -1;
  for (let k = 0; k < exceptionCount; k++) {
    const at = positions[k]!;
    sink.varint(at - previous - 1);
    sink.word(words[2 * at + LO]!);
    sink.word(words[2 * at + HI]!);
    previous = at;
  }
}

/** Reads a decimal section into out[offset, offset + count) (count ≥ 1). */
export function readDecimal(source: ByteSource, out: Float64Array, offset: number, count: number): void {
  const exponent = source.byte() - EXPONENT_BIAS;
  const kind = source.byte();
  if (Math.abs(exponent) > MAX_EXPONENT || (kind !== KIND_DELTA && kind !== KIND_DELTA_OF_DELTA))
    throw new RangeError('sample block has a bad decimal header');
  let mantissa = unzigzag(source.varint());
  let delta = kind === KIND_DELTA_OF_DELTA && count >= 2 ? unzigzag(source.varint()) : 0;
  const order = kind === KIND_DELTA ? 1 : 2;
  const end = offset + count;
  if (count > order) readIntStream(source, out, offset + order, count - order);
  // The stream landed in `out`; prefix sums and scaling turn it into values in place.
  out[offset] = decimalValue(mantissa, exponent);
  if (order === 2 && count >= 2) {
    mantissa += delta;
    out[offset + 1] = decimalValue(mantissa, exponent);
  }
  const scale = SCALES[exponent + MAX_EXPONENT]!;
  if (exponent <= 0) {
    for (let i = offset + order; i < end; i++) {
      if (order === 2) delta += out[i]!;
      else delta = out[i]!;
      mantissa += delta;
      out[i] = mantissa / scale;
    }
  } else {
    for (let i = offset + order; i < end; i++) {
      if (order === 2) delta += out[i]!;
      else delta = out[i]!;
      mantissa += delta;
      out[i] = mantissa * scale;
    }
  }
  readCorrections(source, out, offset, count);
  readExceptions(source, out, offset, count);
}

/** Moves each corrected value by its ulps, carrying between the two words of its pattern. */
function readCorrections(source: ByteSource, out: Float64Array, offset: number, count: number): void {
  if (skipZeroRun(source, count)) return;
  const corrections = correctionScratch.atLeast(count);
  readIntStream(source, corrections, 0, count);
  const words = outputWords.of(out);
  for (let i = 0; i < count; i++) {
    const ulps = corrections[i]!;
    if (ulps === 0) continue;
    const at = 2 * (offset + i);
    const low = words[at + LO]! + ulps;
    const carry = low < 0 ? -1 : low > 0xffffffff ? 1 : 0;
    words[at + LO] = low - carry * 4_294_967_296;
    words[at + HI] = words[at + HI]! + carry;
  }
}

function readExceptions(source: ByteSource, out: Float64Array, offset: number, count: number): void {
  const exceptionCount = source.varint();
  if (exceptionCount === 0) return;
  const words = outputWords.of(out);
  let at = -1;
  for (let k = 0; k < exceptionCount; k++) {
    at += source.varint() + 1;
    if (at >= count) throw new RangeError('sample block has an exception past its end');
    words[2 * (offset + at) + LO] = source.word();
    words[2 * (offset + at) + HI] = source.word();
  }
}
