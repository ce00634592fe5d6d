/**
 * Durations and sizes as people write them in Prometheus/Collector configs: "30s", "5m", "7d", "1h30m",
 * "512MiB", "10GB". Returned in the unit the name says.
 */
const DURATION_UNITS_MILLIS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  y: 31_536_000_000,
};

export function parseDurationMillis(text: string): number {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  const part = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/gy;
  let total = 0;
  let consumed = 0;
  for (let match = part.exec(trimmed); match; match = part.exec(trimmed)) {
    total += Number(match[1]) * (DURATION_UNITS_MILLIS[match[2] ?? ''] ?? NaN);
    consumed = part.lastIndex;
  }
  if (consumed === 0 || consumed !== trimmed.length || !Number.isFinite(total)) {
    throw new Error('not a duration (expected e.g. 30s, 5m, 7d, 1h30m)');
  }
  return total;
}

const SIZE_UNITS_BYTES: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

export function parseSizeBytes(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  const factor = match ? SIZE_UNITS_BYTES[(match[2] ?? '').toLowerCase()] : undefined;
  if (!match || factor === undefined) throw new Error('not a size (expected e.g. 512MiB, 10GB)');
  return Math.round(Number(match[1]) * factor);
}
