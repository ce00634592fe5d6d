import { goQuote } from './go/go-strconv.ts';

/**
 * prometheus/common model.ParseDurationAllowNegative, used by the parseDuration template function
 * (Prometheus 3 accepts negative durations there): units y w d h m s ms, each at most once and in
 * that order, integers only, "0" without a unit, an optional leading '-'.
 */

const DURATION_RE = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNIT_MS = [31_536_000_000n, 604_800_000n, 86_400_000n, 3_600_000n, 60_000n, 1000n, 1n];
const MAX_NANOS = (1n << 63n) - 1n;

/** Milliseconds of a Prometheus duration string; throws with model.ParseDuration's message. */
export function parsePrometheusDurationMs(text: string): number {
  if (text.startsWith('-')) return -parseUnsigned(text.slice(1));
  return parseUnsigned(text);
}

function parseUnsigned(text: string): number {
  if (text === '0') return 0;
  if (text === '') throw new Error('empty duration string');
  const match = DURATION_RE.exec(text);
  if (!match) throw new Error(`not a valid duration string: ${goQuote(text)}`);
  let totalMs = 0n;
  UNIT_MS.forEach((unitMs, i) => {
    const digits = match[i + 1];
    if (digits !== undefined) totalMs += BigInt(digits) * unitMs;
  });
  if (totalMs * 1_000_000n > MAX_NANOS) throw new Error('duration out of range');
  return Number(totalMs);
}
