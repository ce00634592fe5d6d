/**
 * Per-entity time slots: slot i covers [i·slotMs, (i+1)·slotMs). A range covers every slot it
 * overlaps, so answers have slot resolution; "the window before" is the same number of slots
 * shifted back, so a range and its reference never share a slot.
 */
import type { RangeMs } from '../ml-types.ts';

/** Inclusive slot indexes. */
export interface SlotSpan {
  first: number;
  last: number;
}

/** The slots overlapping [startMs, endMs); `last < first` when the range is empty. */
export function slotSpanOf(range: RangeMs, slotMs: number): SlotSpan {
  return { first: Math.floor(range.startMs / slotMs), last: Math.ceil(range.endMs / slotMs) - 1 };
}

/** The same number of slots just before `span`. */
export function previousSlotSpan(span: SlotSpan): SlotSpan {
  const width = span.last - span.first + 1;
  return { first: span.first - width, last: span.first - 1 };
}

export function slotSpanRange(span: SlotSpan, slotMs: number): RangeMs {
  return { startMs: span.first * slotMs, endMs: (span.last + 1) * slotMs };
}

/** Slots by index, created on first use, dropped once older than the retention. */
export class SlotRing<T> {
  private readonly slots = new Map<number, T>();

  constructor(private readonly create: () => T) {}

  get size(): number {
    return this.slots.size;
  }

  slot(index: number): T {
    let slot = this.slots.get(index);
    if (slot === undefined) this.slots.set(index, (slot = this.create()));
    return slot;
  }

  /** Calls `visit` for each existing slot within `span`. */
  forEachIn(span: SlotSpan, visit: (slot: T, index: number) => void): void {
    // Few slots per entity (retention / slot, 360 by default): scanning beats keeping them sorted.
    for (const [index, slot] of this.slots) if (index >= span.first && index <= span.last) visit(slot, index);
  }

  /** Every slot with its index, in the order the slots were created (snapshots keep that order). */
  entries(): IterableIterator<[number, T]> {
    return this.slots.entries();
  }

  /** Drops slots with index below `firstKept`. */
  evictBefore(firstKept: number): void {
    for (const index of this.slots.keys()) if (index < firstKept) this.slots.delete(index);
  }
}
