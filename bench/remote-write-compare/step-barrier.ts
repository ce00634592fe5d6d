/**
 * Keeps the shards of one sender close together in time. Real senders are paced by their scrapes,
 * so all shards send roughly the same "now"; a backfill running flat out lets a fast shard race
 * ahead. Prometheus's head then refuses the slow shards' samples as out of bounds (older than
 * maxt − 1 h, tsdb/head_append.go appendableMinValidTime), which would measure a sender artefact,
 * not the server. A shard may lead the slowest unfinished one by at most `maxLeadSteps` steps.
 */
export class StepBarrier {
  private readonly doneSteps: number[];
  private waiters: { step: number; resolve: () => void }[] = [];

  /** `shards` shards, each starting with no step done. */
  constructor(
    shards: number,
    private readonly maxLeadSteps: number,
  ) {
    this.doneSteps = Array.from({ length: shards }, () => 0);
  }

  /** Resolves once the slowest unfinished shard is close enough for `step` (0-based) to go out. */
  waitForTurn(step: number): Promise<void> {
    if (this.allows(step)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ step, resolve }));
  }

  /** Records that `shard` has sent all requests of steps before `doneSteps`. */
  advance(shard: number, doneSteps: number): void {
    this.doneSteps[shard] = doneSteps;
    const waiting = this.waiters;
    this.waiters = [];
    for (const waiter of waiting) {
      if (this.allows(waiter.step)) waiter.resolve();
      else this.waiters.push(waiter);
    }
  }

  /** Marks `shard` finished: it no longer holds the others back. */
  finish(shard: number): void {
    this.advance(shard, Infinity);
  }

  private allows(step: number): boolean {
    return step <= Math.min(...this.doneSteps) + this.maxLeadSteps;
  }
}
