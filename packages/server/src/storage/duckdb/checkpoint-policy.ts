import { statSync } from 'node:fs';

/** DuckDB's default ROW_GROUP_SIZE: rows per row group. */
export const ROW_GROUP_ROWS = 122_880;

/** Tables that grow with ingest; small dimension tables and trace_index follow them. */
const GROWING_TABLES = ['spans', 'logs', 'metric_points'] as const;

const UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/** A DuckDB size setting ("256MB" = 256·10^6 bytes, "1GiB" = 2^30) in bytes; null when not one. */
export function parseByteSize(text: string): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const factor = UNITS[(match?.[2] ?? '').toLowerCase() || 'b'];
  if (!match || factor === undefined) return null;
  return Math.floor(Number(match[1]) * factor);
}

/**
 * When to CHECKPOINT (docs/adr/0001-span-storage.md, "Checkpoints"). DuckDB's own trigger fires at
 * the first commit past `checkpoint_threshold`, usually inside a row group; the next checkpoint then
 * rewrites that row group whole and its old blocks stay in the file as free space (up to 4 B/span
 * in a 20 s ingest run). Here the checkpoint waits, once the WAL is past the threshold, for a commit
 * that completes a row group of a growing table, so the row group left open holds at most one
 * commit's rows. DuckDB's trigger stays armed at 4× the threshold as a backstop, and past 2× this
 * policy checkpoints whatever the row groups (a workload of few, wide rows).
 */
export class CheckpointPolicy {
  private readonly physicalRows = new Map<string, number>();

  constructor(
    private readonly walPath: string,
    private readonly thresholdBytes: number,
  ) {}

  /** DuckDB's `checkpoint_threshold` for the backstop. */
  static duckdbThreshold(thresholdBytes: number): string {
    return `${thresholdBytes * 4}B`;
  }

  /** Sets a table's physical row count (deleted rows included: they still fill their row group). */
  setRows(table: string, rows: number): void {
    this.physicalRows.set(table, rows);
  }

  /** SQL that reads the physical row count of each growing table, in `tables` order. */
  static rowCountQueries(): { table: string; sql: string }[] {
    return GROWING_TABLES.map((table) => ({
      table,
      sql: `SELECT coalesce(max(rowid) + 1, 0) FROM ${table}`,
    }));
  }

  /** Call after each commit with the rows it appended per table; true when a checkpoint is due. */
  afterCommit(appended: ReadonlyMap<string, number>): boolean {
    let completedRowGroup = false;
    for (const [table, rows] of appended) {
      const before = this.physicalRows.get(table);
      if (before === undefined) continue;
      this.physicalRows.set(table, before + rows);
      if (Math.floor(before / ROW_GROUP_ROWS) !== Math.floor((before + rows) / ROW_GROUP_ROWS)) {
        completedRowGroup = true;
      }
    }
    const walBytes = this.walBytes();
    return walBytes >= this.thresholdBytes * (completedRowGroup ? 1 : 2);
  }

  private walBytes(): number {
    try {
      return statSync(this.walPath).size;
    } catch {
      return 0;
    }
  }
}
