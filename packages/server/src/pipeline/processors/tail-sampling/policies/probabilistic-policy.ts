import { Decision, type PolicyEvaluator, type TraceUnderDecision } from '../decision.ts';

/** Upstream's salt when `hash_salt` is empty (internal/sampling/probabilistic.go defaultHashSalt). */
export const DEFAULT_HASH_SALT = 'default-hash-seed';

const TWO_POW_32 = 4_294_967_296;
const TWO_POW_64 = 2 ** 64;
/** FNV-1a 64 offset basis 0xcbf29ce484222325, as two 32-bit halves. */
const FNV_OFFSET_HI = 0xcbf29ce4;
const FNV_OFFSET_LO = 0x84222325;
/** The low part of the FNV 64 prime 0x100000001b3 = 2^40 + 0x1b3. */
const FNV_PRIME_LOW = 0x1b3;

/** A 64-bit unsigned value as two 32-bit halves (JS numbers hold 53 bits exactly; BigInt is slow). */
export interface Uint64Parts {
  hi: number;
  lo: number;
}

/**
 * `probabilistic`: keeps `sampling_percentage` % of traces by hashing the trace id, exactly as the
 * Collector does, so every Vigil and Collector instance with the same salt agrees on each trace:
 * FNV-1a 64 over the salt's UTF-8 bytes then the 16 raw trace id bytes, sampled when the hash is
 * ≤ MaxUint64 × ratio (internal/sampling/probabilistic.go hashTraceID, calculateThreshold).
 */
export class ProbabilisticPolicy implements PolicyEvaluator {
  readonly adjustedCount: number;
  private readonly salt: Uint8Array;
  private readonly threshold: Uint64Parts;

  constructor(hashSalt: string, samplingPercentage: number) {
    this.salt = new TextEncoder().encode(hashSalt === '' ? DEFAULT_HASH_SALT : hashSalt);
    this.threshold = samplingThreshold(samplingPercentage / 100);
    // The inverse of the keep probability; a 0 % policy keeps nothing, so its count never shows.
    this.adjustedCount = samplingPercentage > 0 ? 100 / Math.min(samplingPercentage, 100) : 0;
  }

  evaluate(trace: TraceUnderDecision): Decision {
    const hash = hashTraceId(this.salt, trace.traceId);
    const { hi, lo } = this.threshold;
    const sampled = hash.hi < hi || (hash.hi === hi && hash.lo <= lo);
    return sampled ? Decision.Sampled : Decision.NotSampled;
  }
}

/**
 * MaxUint64 × ratio, truncated, clamped to [0, MaxUint64]. Upstream multiplies in a 64-bit-mantissa
 * big.Float; computing from the exact `ratio × 2^64` can differ from it by one unit, which moves the
 * verdict of one hash value in 2^64.
 */
export function samplingThreshold(ratio: number): Uint64Parts {
  if (!(ratio > 0)) return { hi: 0, lo: 0 };
  if (ratio >= 1) return { hi: 0xffffffff, lo: 0xffffffff };
  const scaled = ratio * TWO_POW_64; // exact: scaling by a power of two
  const value = Number.isInteger(scaled) ? BigInt(scaled) - 1n : BigInt(Math.floor(scaled));
  return { hi: Number(value >> 32n), lo: Number(value & 0xffffffffn) };
}

/** FNV-1a 64 of `salt` followed by the trace id's 16 bytes (from its 32 hex characters). */
export function hashTraceId(salt: Uint8Array, traceIdHex: string): Uint64Parts {
  let hi = FNV_OFFSET_HI;
  let lo = FNV_OFFSET_LO;
  // One loop over salt then id bytes, no per-call closure: this runs once per decided trace.
  const total = salt.length + 16;
  for (let i = 0; i < total; i++) {
    const idIndex = 2 * (i - salt.length);
    const byte =
      i < salt.length
        ? (salt[i] ?? 0)
        : (hexNibble(traceIdHex.charCodeAt(idIndex)) << 4) | hexNibble(traceIdHex.charCodeAt(idIndex + 1));
    lo = (lo ^ byte) >>> 0;
    // (hi·2^32 + lo) × (2^40 + 0x1b3) mod 2^64, in halves: lo × 0x1b3 < 2^41 stays exact.
    const loProduct = lo * FNV_PRIME_LOW;
    const carry = Math.floor(loProduct / TWO_POW_32);
    hi = (hi * FNV_PRIME_LOW + carry + ((lo << 8) >>> 0)) >>> 0;
    lo = loProduct >>> 0;
  }
  return { hi, lo };
}

function hexNibble(charCode: number): number {
  if (charCode >= 48 && charCode <= 57) return charCode - 48; // 0-9
  if (charCode >= 97 && charCode <= 102) return charCode - 87; // a-f
  if (charCode >= 65 && charCode <= 70) return charCode - 55; // A-F
  return 0;
}
