import assert from 'node:assert/strict';
import { test } from 'node:test';
import { firstSlotAfter, groupKey, groupOffsetMs, latestDueSlot, slotAtOrBefore } from './group-schedule.ts';
import { xxhash64 } from './xxhash64.ts';

test('xxhash64 matches the reference XXH64 (seed 0) on short, 4/8-byte tail and 32-byte stripe inputs', () => {
  const vectors: [string, bigint][] = [
    ['', 0xef46db3751d8e999n],
    ['abc', 0x44bc2cf5ad770999n],
    ['Nobody inspects the spammish repetition', 0xfbcea83c8a378bf1n],
  ];
  for (const [text, expected] of vectors)
    assert.equal(xxhash64(new TextEncoder().encode(text)), expected, text);
});

test('group offsets: deterministic, within the interval, different for different groups', () => {
  const offsets = ['a', 'b', 'c', 'd'].map((name) => groupOffsetMs('rules.yaml', name, 60_000));
  for (const offset of offsets)
    assert.ok(Number.isInteger(offset) && offset >= 0 && offset < 60_000, String(offset));
  assert.equal(new Set(offsets).size, 4);
  assert.deepEqual(
    offsets,
    ['a', 'b', 'c', 'd'].map((name) => groupOffsetMs('rules.yaml', name, 60_000)),
  );
  assert.equal(groupKey('rules.yaml', 'a'), 'rules.yaml;a');
});

interface SlotCase {
  timeMs: number;
  offsetMs: number;
  atOrBefore: number;
}

// Group.EvalTimestamp with a 60 s interval.
const SLOTS: SlotCase[] = [
  { timeMs: 120_000, offsetMs: 0, atOrBefore: 120_000 },
  { timeMs: 125_000, offsetMs: 10_000, atOrBefore: 70_000 },
  { timeMs: 130_000, offsetMs: 10_000, atOrBefore: 130_000 },
  { timeMs: 179_999, offsetMs: 10_000, atOrBefore: 130_000 },
];

test('slots: the latest at or before a time, the first after it, the latest due one', () => {
  for (const slot of SLOTS) {
    assert.equal(slotAtOrBefore(slot.timeMs, 60_000, slot.offsetMs), slot.atOrBefore, JSON.stringify(slot));
    assert.equal(firstSlotAfter(slot.timeMs, 60_000, slot.offsetMs), slot.atOrBefore + 60_000);
  }
  assert.equal(latestDueSlot(70_000, 70_000, 60_000), 70_000);
  assert.equal(latestDueSlot(70_000, 249_000, 60_000), 190_000);
});
