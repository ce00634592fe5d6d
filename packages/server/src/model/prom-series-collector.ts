/**
 * Groups a batch's translated samples into series (prom-mapping.ts). Points build their labels
 * once; samples add only their name and `le`/`quantile`.
 */
import type { PromSeriesSamples } from './prom-series.ts';

interface SeriesBuilder {
  labels: readonly string[];
  index: number;
  count: number;
}

/**
 * A batch's samples in arrival order, in typed arrays: optimised code loading a NaN from a plain
 * JS array returns the canonical NaN, which would turn stale markers into ordinary NaNs.
 */
class SampleLog {
  series = new Int32Array(256);
  timestampsMs = new Float64Array(256);
  values = new Float64Array(256);
  count = 0;

  push(series: number, timestampMs: number, value: number): void {
    if (this.count === this.series.length) this.grow();
    this.series[this.count] = series;
    this.timestampsMs[this.count] = timestampMs;
    this.values[this.count] = value;
    this.count++;
  }

  private grow(): void {
    const series = new Int32Array(this.count * 2);
    const timestampsMs = new Float64Array(this.count * 2);
    const values = new Float64Array(this.count * 2);
    series.set(this.series);
    timestampsMs.set(this.timestampsMs);
    values.set(this.values);
    Object.assign(this, { series, timestampsMs, values });
  }
}

/** Flat labels `[name, value, …]` sorted by name, with `extra` set (replacing a same-named label). */
function withLabel(flat: readonly string[], name: string, value: string): string[] {
  const out: string[] = [];
  let placed = false;
  for (let i = 0; i < flat.length; i += 2) {
    const existing = flat[i] ?? '';
    if (!placed && name <= existing) {
      out.push(name, value);
      placed = true;
      if (name === existing) continue;
    }
    out.push(existing, flat[i + 1] ?? '');
  }
  if (!placed) out.push(name, value);
  return out;
}

/** Labels as sorted flat pairs (Prometheus orders labels by name). */
export function sortedFlat(labels: ReadonlyMap<string, string>): string[] {
  return [...labels].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).flat();
}

/** A point's labels (sorted flat pairs) and their key, shared by all of the point's samples. */
export interface BaseLabels {
  flat: readonly string[];
  key: string;
}

export function baseLabels(flat: readonly string[]): BaseLabels {
  return { flat, key: flat.join('\u0000') };
}

function hasLabel(flat: readonly string[], name: string): boolean {
  for (let i = 0; i < flat.length; i += 2) if (flat[i] === name) return true;
  return false;
}

/** The sample's full labels: the point's plus `le`/`quantile`, then `__name__`. */
function sampleLabels(base: readonly string[], name: string, extra: [string, string] | undefined): string[] {
  return withLabel(extra ? withLabel(base, extra[0], extra[1]) : base, '__name__', name);
}

/** Sorts [from, to) of both arrays by time when it is not already (points of one series out of order). */
function sortByTime(timestampsMs: Float64Array, values: Float64Array, from: number, to: number): void {
  let sorted = true;
  for (let i = from + 1; i < to && sorted; i++) sorted = (timestampsMs[i] ?? 0) >= (timestampsMs[i - 1] ?? 0);
  if (sorted) return;
  const order = Array.from({ length: to - from }, (_, i) => from + i).sort((a, b) => (timestampsMs[a] ?? 0) - (timestampsMs[b] ?? 0));
  const times = new Float64Array(order.length);
  const sortedValues = new Float64Array(order.length);
  order.forEach((source, i) => {
    times[i] = timestampsMs[source] ?? 0;
    sortedValues[i] = values[source] ?? 0;
  });
  timestampsMs.set(times, from);
  values.set(sortedValues, from);
}

/**
 * Samples grouped into series by label set; a series' samples come out in time order. Series are
 * found by the point's shared key, then by name and `le`/`quantile`, so the sorted label list and
 * its Map are built only when a series is first seen. When the point's own labels hold one of
 * those names (it is then replaced) the series is found by its merged list instead.
 */
export class SeriesCollector {
  private readonly byBase = new Map<string, Map<string, SeriesBuilder>>();
  private readonly all: SeriesBuilder[] = [];
  private readonly samples = new SampleLog();

  add(base: BaseLabels, name: string, timestampMs: number, value: number, extra?: [string, string]): void {
    const collides = hasLabel(base.flat, '__name__') || (extra !== undefined && hasLabel(base.flat, extra[0]));
    const merged = collides ? sampleLabels(base.flat, name, extra) : null;
    const baseKey = merged ? `\u0001${merged.join('\u0000')}` : base.key;
    let group = this.byBase.get(baseKey);
    if (!group) {
      group = new Map();
      this.byBase.set(baseKey, group);
    }
    const key = merged ? '' : extra ? `${name}\u0000${extra[0]}\u0000${extra[1]}` : name;
    let series = group.get(key);
    if (!series) {
      series = { labels: merged ?? sampleLabels(base.flat, name, extra), index: this.all.length, count: 0 };
      group.set(key, series);
      this.all.push(series);
    }
    series.count++;
    this.samples.push(series.index, timestampMs, value);
  }

  /** Series with views of two arrays holding every sample grouped by series (a counting sort). */
  build(): PromSeriesSamples[] {
    const offsets = new Uint32Array(this.all.length + 1);
    this.all.forEach((series, i) => (offsets[i + 1] = (offsets[i] ?? 0) + series.count));
    const { series, timestampsMs, values, count } = this.samples;
    const times = new Float64Array(count);
    const sortedValues = new Float64Array(count);
    const cursors = offsets.slice(0, this.all.length);
    for (let i = 0; i < count; i++) {
      const s = series[i] ?? 0;
      const at = cursors[s] ?? 0;
      cursors[s] = at + 1;
      times[at] = timestampsMs[i] ?? 0;
      sortedValues[at] = values[i] ?? 0;
    }
    return this.all.map(({ labels }, i) => {
      const from = offsets[i] ?? 0;
      const to = offsets[i + 1] ?? 0;
      sortByTime(times, sortedValues, from, to);
      const map = new Map<string, string>();
      for (let j = 0; j < labels.length; j += 2) map.set(labels[j] ?? '', labels[j + 1] ?? '');
      return { labels: map, timestampsMs: times.subarray(from, to), values: sortedValues.subarray(from, to) };
    });
  }
}
