import { xxhash64 } from './xxhash64.ts';

/**
 * When rule groups are evaluated, as Prometheus schedules them (rules/group.go): every group runs
 * on slots `interval` apart, shifted by an offset derived from a hash of its file and name so
 * that groups with the same interval do not all query at once.
 */

/** Prometheus's group key: group names are unique only within a file (rules.GroupKey). */
export function groupKey(file: string, name: string): string {
  return `${file};${name}`;
}

/**
 * The group's offset within its interval: Prometheus hashes the label set {file, name} with
 * XXH64 over `name\xffvalue\xff` pairs in name order (labels.Labels.Hash) and takes it modulo the
 * interval in nanoseconds. Slots are whole milliseconds once stored (timestamp.FromTime
 * truncates), so the offset is kept in whole milliseconds.
 *
 * @example
 * groupOffsetMs('rules.yaml', 'example', 60_000); // somewhere in [0, 60000)
 */
export function groupOffsetMs(file: string, name: string, intervalMs: number): number {
  const bytes = Buffer.concat([
    Buffer.from('file\xff', 'latin1'),
    Buffer.from(file, 'utf8'),
    Buffer.from('\xffname\xff', 'latin1'),
    Buffer.from(name, 'utf8'),
    Buffer.from('\xff', 'latin1'),
  ]);
  const intervalNs = BigInt(intervalMs) * 1_000_000n;
  return Number((xxhash64(bytes) % intervalNs) / 1_000_000n);
}

/**
 * The latest slot at or before `timeMs` (Group.EvalTimestamp): aligned to the interval, then
 * shifted by the offset, stepping back one interval when the shift would land in the future.
 */
export function slotAtOrBefore(timeMs: number, intervalMs: number, offsetMs: number): number {
  const adjustedMs = timeMs - offsetMs;
  return adjustedMs - (adjustedMs % intervalMs) + offsetMs;
}

/**
 * The first evaluation of a group that appears at `timeMs`: Prometheus waits for the next slot
 * rather than evaluating at once (Group.run: EvalTimestamp(now) + interval).
 */
export function firstSlotAfter(timeMs: number, intervalMs: number, offsetMs: number): number {
  return slotAtOrBefore(timeMs, intervalMs, offsetMs) + intervalMs;
}

/**
 * The slot to evaluate when `nextSlotMs` is due at `nowMs`: the latest slot not after now.
 * Slots missed in between are skipped, not caught up (Group.run counts them as missed).
 */
export function latestDueSlot(nextSlotMs: number, nowMs: number, intervalMs: number): number {
  return nextSlotMs + Math.floor((nowMs - nextSlotMs) / intervalMs) * intervalMs;
}
