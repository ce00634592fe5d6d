/**
 * Field checks for files the engine reads back (pinned baselines, engine snapshots): each names the
 * field that is wrong and never echoes the value, since a file may hold anything (STYLE.md, Errors).
 * All throw TypeError.
 */
import type { LogSketchJson } from '../stats/log-sketch.ts';

export function record(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new TypeError(`${where}: expected an object`);
  return value as Record<string, unknown>;
}

export function array(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new TypeError(`${where}: expected an array`);
  return value as unknown[];
}

export function string(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new TypeError(`${where}: expected a string`);
  return value;
}

export function number(value: unknown, where: string): number {
  if (typeof value !== 'number') throw new TypeError(`${where}: expected a number`);
  return value;
}

/** A finite number: sums of span attribute values (which a broken client may send negative). */
export function finite(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new TypeError(`${where}: expected a finite number`);
  return value;
}

/** A finite number ≥ 0: counts, sums of durations. */
export function count(value: unknown, where: string): number {
  if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value))
    throw new TypeError(`${where}: expected a finite number >= 0`);
  return value;
}

export function integer(value: unknown, where: string): number {
  if (!Number.isSafeInteger(value)) throw new TypeError(`${where}: expected an integer`);
  return value as number;
}

/** A two-element array, as Map entries serialise. */
export function pair(value: unknown, where: string): [unknown, unknown] {
  const items = array(value, where);
  if (items.length !== 2) throw new TypeError(`${where}: expected a pair`);
  return [items[0], items[1]];
}

/** `null` or a sketch. */
export function optionalSketchJson(value: unknown, where: string): LogSketchJson | null {
  return value === null ? null : sketchJson(value, where);
}

/**
 * A LogSketch.toJSON() object. Weights must be positive and finite so LogSketch.fromJSON builds
 * a sketch whose quantiles are defined; the accuracy must be one the LogSketch constructor takes.
 */
export function sketchJson(value: unknown, where: string): LogSketchJson {
  const sketch = record(value, where);
  const buckets = (key: string): [number, number][] =>
    array(sketch[key], `${where}.${key}`).map((item: unknown) => {
      const [index, weight] = pair(item, `${where}.${key}[]`);
      return [integer(index, `${where}.${key}[]`), positive(weight, `${where}.${key}[]`)];
    });
  const relativeAccuracy = number(sketch['relativeAccuracy'], `${where}.relativeAccuracy`);
  if (!(relativeAccuracy > 0 && relativeAccuracy < 1))
    throw new TypeError(`${where}.relativeAccuracy: expected a number in (0, 1)`);
  return {
    relativeAccuracy,
    positive: buckets('positive'),
    negative: buckets('negative'),
    zero: count(sketch['zero'], `${where}.zero`),
    count: count(sketch['count'], `${where}.count`),
    sum: number(sketch['sum'], `${where}.sum`),
    // JSON turns the empty sketch's ±Infinity into null; fromJSON ignores min/max when count is 0.
    min: sketch['min'] === null ? Infinity : number(sketch['min'], `${where}.min`),
    max: sketch['max'] === null ? -Infinity : number(sketch['max'], `${where}.max`),
  };
}

function positive(value: unknown, where: string): number {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value))
    throw new TypeError(`${where}: expected a finite number > 0`);
  return value;
}
