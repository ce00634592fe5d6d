import { MIB_BYTES, type MemoryLimiterSettings, type MemoryThresholds } from './memory-limiter-settings.ts';

/** Where a limiter reads memory; production passes process-memory.ts, tests pass numbers they control. */
export interface MemoryReaders {
  /** Memory in use now, in bytes (process RSS in production). */
  readMemoryBytes(): number;
  /** Memory available to the process, in bytes; read only for `*_percentage` limits. */
  totalMemoryBytes(): number;
  /** Forces a full GC if the runtime allows one; says whether it ran. Absent: never forces. */
  runGc?(): boolean;
}

/**
 * The state one `memory_limiter` id keeps: whether data must be refused now, updated every
 * check_interval by `checkMemoryLimits`. It follows the Collector's CheckMemLimits
 * (internal/memorylimiter/memorylimiter.go): refuse at or above the soft limit (limit − spike), force a
 * GC when one is allowed and has not run within the min interval, and accept again once below.
 *
 * @example
 * const limiter = new MemoryLimiter(settings, thresholds, readers, log, nowMs);
 * scheduler.every(settings.checkIntervalMs, (nowMs) => limiter.checkMemoryLimits(nowMs));
 * if (limiter.mustRefuse) throw new OverloadedError('memory usage is above the soft limit', 1);
 */
export class MemoryLimiter {
  private refusing = false;
  private lastGcMs: number;

  constructor(
    private readonly settings: MemoryLimiterSettings,
    readonly thresholds: MemoryThresholds,
    private readonly readers: MemoryReaders,
    private readonly log: (line: string) => void,
    startMs: number,
  ) {
    // Upstream starts the GC clock at construction, so the first forced GC waits the min interval.
    this.lastGcMs = startMs;
  }

  /** True while the last check found memory at or above the soft limit. */
  get mustRefuse(): boolean {
    return this.refusing;
  }

  get softLimitBytes(): number {
    return this.thresholds.limitBytes - this.thresholds.spikeLimitBytes;
  }

  /** Reads memory once and updates `mustRefuse`; logs one line when refusing starts or stops. */
  checkMemoryLimits(nowMs: number): void {
    let usedBytes = this.readers.readMemoryBytes();
    if (usedBytes < this.softLimitBytes) {
      if (this.refusing)
        this.log(`memory usage back within limits, accepting data again (${this.describe(usedBytes)})`);
      this.refusing = false;
      return;
    }
    const minGcIntervalMs =
      usedBytes >= this.thresholds.limitBytes
        ? this.settings.minGcIntervalWhenHardLimitedMs
        : this.settings.minGcIntervalWhenSoftLimitedMs;
    if (nowMs - this.lastGcMs > minGcIntervalMs && this.readers.runGc?.() === true) {
      this.lastGcMs = nowMs;
      usedBytes = this.readers.readMemoryBytes();
    }
    const aboveSoftLimit = usedBytes >= this.softLimitBytes;
    if (aboveSoftLimit && !this.refusing) {
      this.log(`memory usage is above the soft limit, refusing data (${this.describe(usedBytes)})`);
    } else if (!aboveSoftLimit && this.refusing) {
      this.log(
        `memory usage back within limits after GC, accepting data again (${this.describe(usedBytes)})`,
      );
    }
    this.refusing = aboveSoftLimit;
  }

  private describe(usedBytes: number): string {
    const mib = (bytes: number): string => (bytes / MIB_BYTES).toFixed(1);
    return (
      `used ${mib(usedBytes)} MiB, soft limit ${mib(this.softLimitBytes)} MiB, ` +
      `limit ${mib(this.thresholds.limitBytes)} MiB`
    );
  }
}
