import type { Cancel, Scheduler } from './component.ts';

/**
 * The production Scheduler: real timers, unref'd so they never keep the process alive. A task that
 * is still running when its next turn comes is skipped, so a slow flush cannot pile up.
 */
export class TimerScheduler implements Scheduler {
  constructor(private readonly onError: (error: unknown) => void = () => {}) {}

  every(intervalMs: number, task: (nowMs: number) => void | Promise<void>): Cancel {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      Promise.resolve()
        .then(() => task(Date.now()))
        .catch(this.onError)
        .finally(() => {
          running = false;
        });
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }
}
