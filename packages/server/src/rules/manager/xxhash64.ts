/**
 * XXH64 (seed 0) of a byte string, as github.com/cespare/xxhash/v2 computes it. Prometheus
 * hashes a rule group's {file, name} labels with it to spread group evaluations over their
 * interval (rules/group.go hash, EvalTimestamp); Vigil uses the same hash so a group keeps the
 * slot it would have in Prometheus. BigInt is slow but this runs once per group per reload.
 */
const MASK_64 = (1n << 64n) - 1n;
const PRIME_1 = 11400714785074694791n;
const PRIME_2 = 14029467366897019727n;
const PRIME_3 = 1609587929392839161n;
const PRIME_4 = 9650029242287828579n;
const PRIME_5 = 2870177450012600261n;

function rotateLeft(value: bigint, bits: bigint): bigint {
  return ((value << bits) | (value >> (64n - bits))) & MASK_64;
}

function round(accumulator: bigint, lane: bigint): bigint {
  const mixed = (accumulator + lane * PRIME_2) & MASK_64;
  return (rotateLeft(mixed, 31n) * PRIME_1) & MASK_64;
}

function mergeRound(accumulator: bigint, lane: bigint): bigint {
  const merged = accumulator ^ round(0n, lane);
  return (merged * PRIME_1 + PRIME_4) & MASK_64;
}

function readUint64(bytes: Uint8Array, offset: number): bigint {
  return new DataView(bytes.buffer, bytes.byteOffset + offset, 8).getBigUint64(0, true);
}

function readUint32(bytes: Uint8Array, offset: number): bigint {
  return BigInt(new DataView(bytes.buffer, bytes.byteOffset + offset, 4).getUint32(0, true));
}

/** The four-lane loop over 32-byte stripes, for inputs of 32 bytes or more. */
function stripes(bytes: Uint8Array): { hash: bigint; offset: number } {
  const lanes = [(PRIME_1 + PRIME_2) & MASK_64, PRIME_2, 0n, (MASK_64 + 1n - PRIME_1) & MASK_64];
  let offset = 0;
  for (; offset + 32 <= bytes.length; offset += 32) {
    for (let lane = 0; lane < 4; lane++)
      lanes[lane] = round(lanes[lane] ?? 0n, readUint64(bytes, offset + lane * 8));
  }
  const [v1 = 0n, v2 = 0n, v3 = 0n, v4 = 0n] = lanes;
  let hash = (rotateLeft(v1, 1n) + rotateLeft(v2, 7n) + rotateLeft(v3, 12n) + rotateLeft(v4, 18n)) & MASK_64;
  for (const lane of lanes) hash = mergeRound(hash, lane);
  return { hash, offset };
}

function avalanche(value: bigint): bigint {
  let hash = value;
  hash = ((hash ^ (hash >> 33n)) * PRIME_2) & MASK_64;
  hash = ((hash ^ (hash >> 29n)) * PRIME_3) & MASK_64;
  return hash ^ (hash >> 32n);
}

/**
 * @example
 * xxhash64(new TextEncoder().encode('abc')); // 0x44bc2cf5ad770999n
 */
export function xxhash64(bytes: Uint8Array): bigint {
  let { hash, offset } = bytes.length >= 32 ? stripes(bytes) : { hash: PRIME_5, offset: 0 };
  hash = (hash + BigInt(bytes.length)) & MASK_64;
  for (; offset + 8 <= bytes.length; offset += 8) {
    hash ^= round(0n, readUint64(bytes, offset));
    hash = (rotateLeft(hash, 27n) * PRIME_1 + PRIME_4) & MASK_64;
  }
  if (offset + 4 <= bytes.length) {
    hash ^= (readUint32(bytes, offset) * PRIME_1) & MASK_64;
    hash = (rotateLeft(hash, 23n) * PRIME_2 + PRIME_3) & MASK_64;
    offset += 4;
  }
  for (; offset < bytes.length; offset++) {
    hash ^= (BigInt(bytes[offset] ?? 0) * PRIME_5) & MASK_64;
    hash = (rotateLeft(hash, 11n) * PRIME_1) & MASK_64;
  }
  return avalanche(hash);
}
