/**
 * The sample codec's optional general-purpose pass: raw deflate (node:zlib) over a block's body,
 * kept only where it saves a quarter. Measured on the bench shapes (bench/sample-codec.bench.ts),
 * deflate over the bit-packed bodies saves < 0.5 %, while each zlib call costs ~10–40 µs of
 * setup in Node: more than decoding the block's 480 samples. It pays off on values that cycle
 * through a few states (LZ77 matches the repeating bit pattern), so blocks are screened for
 * repeats and a skewed byte histogram before zlib is called at all.
 *
 * Level 1, measured on bodies of values cycling through 2–5 states (480 samples): deflate 1
 * shrinks them to 7.6 %, level 6 to 7.1 %, brotli quality 1 / 4 to 10.7 % / 8.1 %; inflating
 * took ~17 µs a block at level 1 against ~25–33 µs at level 6 and 28–46 µs for brotli.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';

/** Bodies below this never shrink enough to pay for an inflate call on every read. */
const MIN_BODY_BYTES = 128;
/** A compressed body must be at most this share of the plain one. */
const MAX_COMPRESSED_SHARE = 0.75;
/** Bytes of the body screened: a repeating pattern shows within the first KiB. */
const SCREEN_BYTES = 1024;
/** Screened positions that must start a 4-byte sequence seen before to try deflate. */
const MIN_REPEATED_SHARE = 0.3;
/** Fixed part of a dynamic Huffman block header and code lengths per symbol used. */
const BLOCK_HEADER_BYTES = 8;
const TABLE_BITS_PER_SYMBOL = 5;
const DEFLATE_LEVEL = 1;

const HASH_BITS = 10;
const lastSeen = new Int32Array(1 << HASH_BITS);
const byteCounts = new Uint32Array(256);

/** Share of screened positions whose next 4 bytes occurred before: what LZ77 can match. */
function repeatedShare(plain: Uint8Array, screened: number): number {
  lastSeen.fill(-1);
  let repeated = 0;
  for (let i = 0; i + 4 <= screened; i++) {
    const word = plain[i]! | (plain[i + 1]! << 8) | (plain[i + 2]! << 16) | (plain[i + 3]! << 24);
    const slot = Math.imul(word, 0x9e3779b1) >>> (32 - HASH_BITS);
    const previous = lastSeen[slot]!;
    lastSeen[slot] = i;
    if (previous >= 0 && plain[previous] === plain[i] && plain[previous + 1] === plain[i + 1]) {
      if (plain[previous + 2] === plain[i + 2] && plain[previous + 3] === plain[i + 3]) repeated++;
    }
  }
  return repeated / screened;
}

/**
 * Huffman coding's size for the body: the order-0 entropy of its screened bytes, with the
 * Miller–Madow correction (a few hundred bytes understate it), plus a code table of ~5 bits per
 * symbol in use (RFC 1951 §3.2.7 sends code lengths, themselves Huffman-coded).
 */
function huffmanEstimateBytes(plain: Uint8Array, screened: number): number {
  byteCounts.fill(0);
  for (let i = 0; i < screened; i++) byteCounts[plain[i]!]!++;
  let bitsPerByte = 0;
  let symbols = 0;
  for (let symbol = 0; symbol < 256; symbol++) {
    const share = byteCounts[symbol]! / screened;
    if (share === 0) continue;
    bitsPerByte -= share * Math.log2(share);
    symbols++;
  }
  bitsPerByte += (symbols - 1) / (2 * screened * Math.LN2);
  return (plain.length * bitsPerByte) / 8 + BLOCK_HEADER_BYTES + (symbols * TABLE_BITS_PER_SYMBOL) / 8;
}

/** The deflated body when it is small enough to pay for inflating it on every read, else null. */
export function deflateIfWorthIt(plain: Uint8Array): Uint8Array | null {
  if (plain.length < MIN_BODY_BYTES) return null;
  const screened = Math.min(plain.length, SCREEN_BYTES);
  const promising =
    repeatedShare(plain, screened) >= MIN_REPEATED_SHARE ||
    huffmanEstimateBytes(plain, screened) <= plain.length * MAX_COMPRESSED_SHARE;
  if (!promising) return null;
  const compressed = deflateRawSync(plain, { level: DEFLATE_LEVEL });
  return compressed.length <= plain.length * MAX_COMPRESSED_SHARE ? compressed : null;
}

/** Inflates a body that `deflateIfWorthIt` compressed from `plainLength` bytes. */
export function inflateBody(compressed: Uint8Array, plainLength: number): Uint8Array {
  const plain = inflateRawSync(compressed, { maxOutputLength: Math.max(1, plainLength) });
  if (plain.length !== plainLength) throw new RangeError('sample block body has the wrong length');
  return plain;
}
