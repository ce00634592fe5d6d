import type { Cancel, Scheduler } from './component.ts';

interface Task {
  intervalMs: number;
  nextDueMs: number;
  run: (nowMs: number) => void | Promise<void>;
  cancelled: boolean;
}

/**
 * A Scheduler for tests: nothing runs until `advanceTo(nowMs)`, which runs every due task in time
 * order (a task due several times runs once per interval) and awaits each.
 *
 * @example
 * const scheduler = new ManualScheduler(0);
 * scheduler.every(1000, (nowMs) => flush(nowMs));
 * await scheduler.advanceTo(5000); // flush ran at 1000, 2000, … 5000
 */
export class ManualScheduler implements Scheduler {
  private readonly tasks: Task[] = [];

  constructor(private currentMs: number) {}

  nowMs(): number {
    return this.currentMs;
  }

  every(intervalMs: number, run: (nowMs: number) => void | Promise<void>): Cancel {
    const task: Task = { intervalMs, nextDueMs: this.currentMs + intervalMs, run, cancelled: false };
    this.tasks.push(task);
    return () => {
      task.cancelled = true;
    };
  }

  async advanceTo(nowMs: number): Promise<void> {
    for (;;) {
      const due = this.tasks
        .filter((t) => !t.cancelled && t.nextDueMs <= nowMs)
        .sort((a, b) => a.nextDueMs - b.nextDueMs)[0];
      if (!due) break;
      this.currentMs = due.nextDueMs;
      due.nextDueMs += due.intervalMs;
      await due.run(this.currentMs);
    }
    this.currentMs = nowMs;
  }
}
