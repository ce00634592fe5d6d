import type { VigilConfig } from '../config/vigil-config.ts';
import type { Store } from '../storage/store.ts';
import { selfMetrics } from '../telemetry/self-metrics.ts';

const deletedRows = selfMetrics.counter(
  'vigil_retention_deleted_rows_total',
  'Rows deleted by retention, by signal.',
);

/** Applies retention (age per signal, total size cap) every checkIntervalMillis; one run at a time. */
export class RetentionScheduler {
  private readonly timer: NodeJS.Timeout;
  private running: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly retention: VigilConfig['retention'],
    private readonly log: (line: string) => void,
  ) {
    this.timer = setInterval(() => void this.runOnce(), retention.checkIntervalMillis);
    this.timer.unref();
  }

  runOnce(): Promise<void> {
    this.running ??= this.apply().finally(() => (this.running = undefined));
    return this.running;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private async apply(): Promise<void> {
    try {
      const result = await this.store.applyRetention({
        maxAgeMillis: this.retention.maxAgeMillis,
        maxSizeBytes: this.retention.maxSizeBytes,
      });
      for (const [signal, rows] of Object.entries(result.deletedRows)) deletedRows.inc({ signal }, rows);
    } catch (error: unknown) {
      this.log(`retention failed: ${error instanceof Error ? error.name : 'error'}`);
    }
  }
}
