/**
 * Readers share, a writer excludes them: the worker's Prometheus selects read `prom_chunks` and
 * `prom_samples` in two queries (two DuckDB snapshots), so a compaction committing between them
 * would show a window twice or not at all. Compaction and retention wait for running reads and
 * hold new ones back; both are rare and short.
 */
export class ReadWriteGate {
  private readers = 0;
  private writer: Promise<void> | null = null;
  private drained: (() => void) | null = null;

  async read<T>(body: () => Promise<T>): Promise<T> {
    while (this.writer) await this.writer;
    this.readers++;
    try {
      return await body();
    } finally {
      this.readers--;
      if (this.readers === 0) this.drained?.();
    }
  }

  async write<T>(body: () => Promise<T>): Promise<T> {
    while (this.writer) await this.writer;
    let release = (): void => undefined;
    this.writer = new Promise<void>((resolve) => (release = resolve));
    try {
      while (this.readers > 0) await new Promise<void>((resolve) => (this.drained = resolve));
      return await body();
    } finally {
      this.drained = null;
      this.writer = null;
      release();
    }
  }
}
