import { isInterned } from '../../../model/interned-labels.ts';
import type { PromLabels } from '../../../model/prom-series.ts';
import type { FlatLabels } from './series-index.ts';

/**
 * Label sets that live across writes (the remote-write decoder's cache hands out the same object
 * for the same series) get a small "wire id" on the main thread. The first write carrying a label
 * set sends its labels with the id; once the worker has acknowledged one such write, later writes
 * send the id alone, and the worker resolves it with an array lookup instead of joining, hashing
 * and looking up the label strings. Only interned label sets (model/interned-labels.ts) get ids:
 * label Maps built per write (OTLP, scrapes) would grow the id space forever.
 */
/** Ids the worker forgets at once are bounded: past this many, main and worker start over. */
export const MAX_WIRE_IDS = 4_000_000;

/** Main-thread side: id per long-lived label set; negative while not yet acknowledged by the worker. */
export class WireIdRegistry {
  private ids = new WeakMap<PromLabels, number>();
  private next = 0;
  private resetPending = false;

  /** The id to send for `labels` and whether the labels must travel with it; -1 when it has none. */
  idOf(labels: PromLabels): { id: number; withLabels: boolean } {
    // Only interned label sets get ids, so a known one needs no second (WeakSet) lookup.
    const known = this.ids.get(labels);
    if (known !== undefined)
      return known >= 0 ? { id: known, withLabels: false } : { id: -known - 1, withLabels: true };
    if (!isInterned(labels)) return { id: -1, withLabels: true };
    if (this.next >= MAX_WIRE_IDS) this.startOver();
    const id = this.next++;
    this.ids.set(labels, -id - 1);
    return { id, withLabels: true };
  }

  /** Whether the next write must tell the worker to forget all ids first (and clears the flag). */
  takeReset(): boolean {
    const reset = this.resetPending;
    this.resetPending = false;
    return reset;
  }

  /** After the worker acknowledged a write that carried these label sets with their ids. */
  acknowledge(labelSets: readonly PromLabels[]): void {
    for (const labels of labelSets) {
      const known = this.ids.get(labels);
      if (known !== undefined && known < 0) this.ids.set(labels, -known - 1);
    }
  }

  private startOver(): void {
    this.ids = new WeakMap();
    this.next = 0;
    this.resetPending = true;
  }
}

/**
 * Worker side: labels and, once it exists, the series ref of each wire id. The labels stay so a
 * series that retention deleted is found (or created) again from them.
 */
export class WireSeries {
  private labels: (FlatLabels | undefined)[] = [];
  private refs = new Int32Array(1024).fill(-1);

  reset(): void {
    this.labels = [];
    this.refs = new Int32Array(1024).fill(-1);
  }

  /** The labels of `id`; any ref it had is forgotten (an id announced again may be a new series). */
  announce(id: number, labels: FlatLabels): void {
    if (id < 0 || id >= MAX_WIRE_IDS) return;
    this.labels[id] = labels;
    if (id < this.refs.length) this.refs[id] = -1;
  }

  labelsOf(id: number): FlatLabels | undefined {
    return this.labels[id];
  }

  /** The ref last resolved for `id`, or -1. */
  refOf(id: number): number {
    return id >= 0 && id < this.refs.length ? (this.refs[id] ?? -1) : -1;
  }

  /**
   * Remembers that `id` is series `ref`, whose labels the index holds as `labels`: kept instead of
   * the announced copy, so the two share one array of interned strings (~300 bytes a series).
   */
  setRef(id: number, ref: number, labels?: FlatLabels): void {
    if (id < 0 || id >= MAX_WIRE_IDS) return;
    if (labels && this.labels[id]) this.labels[id] = labels;
    if (id >= this.refs.length) {
      let size = this.refs.length * 2;
      while (size <= id) size *= 2;
      const grown = new Int32Array(Math.min(size, MAX_WIRE_IDS)).fill(-1);
      grown.set(this.refs);
      this.refs = grown;
    }
    this.refs[id] = ref;
  }
}
