/**
 * The worker's Prometheus series state (docs/adr/0003-prometheus-series.md): the series index is
 * rebuilt from `prom_series` and `prom_blocks` at open and the head from the sample WAL
 * (sample-wal.ts); both are extended after each commit (ingest.ts), the head compacted into blocks
 * window by window (compaction.ts); they answer selects and catalog reads; retention deletes on
 * disk and here.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { DEFAULT_SERIES_LIMITS, type SeriesLimits } from '../../store.ts';
import { cardinalityStatus } from './cardinality.ts';
import { findSeries, labelNames, labelValues } from './catalog.ts';
import { compactHead } from './compaction.ts';
import { CHUNK_WINDOW_MS, COMPACTION_DELAY_MS, windowStart } from './compaction-window.ts';
import { HeadSamples } from './head.ts';
import { SeriesIndex } from './series-index.ts';
import type { PreparedSamples } from './ingest.ts';
import { applyToHead, prepareSamples } from './ingest.ts';
import { SampleWal, type WalReplay } from './sample-wal.ts';
import type { WalSamples } from './wal-record.ts';
import { WireSeries } from './wire-ids.ts';
import { MetadataRegistry } from './metadata-registry.ts';
import type { PromRead, PromReadResult, SelectedSeries, SeriesWrite } from './protocol.ts';
import { msLiteral } from './sample-rows.ts';
import { selectSeries } from './select.ts';
import { ReadWriteGate } from './read-write-gate.ts';

async function rows(connection: DuckDBConnection, sql: string): Promise<unknown[][]> {
  return (await connection.runAndReadAll(sql)).getRowsJS();
}

/** Series deleted per statement, so an IN list stays a reasonable size. */
const DELETE_BATCH = 1_000;

/** Per-series first/last time and last value of the compacted samples. */
const BOUNDS_SQL = `
  SELECT ref, min(min_t), max(max_t), arg_max(last_v, max_t) FROM prom_blocks GROUP BY ref`;

/** What the head and the sample WAL hold now (for stats and size-based retention). */
export interface HeadStatus {
  samples: number;
  oldestMs: number;
  newestMs: number;
  walBytes: number;
  replay: WalReplay;
}

export class PromSeriesStore {
  /** The newest time any block may hold: reads from later on need only the head. */
  private blocksNewestMs = -Infinity;
  /** Refs whose labels the main thread has (it caches them by ref per epoch; queries.ts). */
  private sentLabels = new Uint8Array(1024);
  private labelEpoch = 0;
  /** Selects read disk under `read`; compaction and retention change it under `write`. */
  private readonly gate = new ReadWriteGate();
  /** Series the main thread sends by wire id (remote write; wire-ids.ts). */
  private readonly wire = new WireSeries();
  private wal: SampleWal | null = null;
  private replay: WalReplay = { records: 0, samples: 0, truncatedBytes: 0 };

  private constructor(
    readonly index: SeriesIndex,
    readonly head: HeadSamples,
    private readonly metadata: MetadataRegistry,
    private readonly limits: SeriesLimits,
  ) {}

  /**
   * Loads the index (labels, per-series time bounds) and metadata from DuckDB, then the head by
   * replaying the sample WAL in `walDir`.
   */
  static async load(
    connection: DuckDBConnection,
    walDir: string,
    limits: SeriesLimits = DEFAULT_SERIES_LIMITS,
  ): Promise<PromSeriesStore> {
    const index = new SeriesIndex();
    for (const [ref, labels] of await rows(connection, 'SELECT ref, labels FROM prom_series ORDER BY ref')) {
      const entries = (labels ?? []) as { key: string; value: string }[];
      index.add(
        Number(ref),
        entries.flatMap(({ key, value }) => [key, value]),
      );
    }
    let blocksNewestMs = -Infinity;
    for (const [ref, first, last, lastValue] of await rows(connection, BOUNDS_SQL)) {
      index.setBounds(Number(ref), Number(first), Number(last), Number(lastValue));
      blocksNewestMs = Math.max(blocksNewestMs, Number(last));
    }
    const metadata = new MetadataRegistry();
    metadata.load(await rows(connection, 'SELECT metric_family, type, help, unit FROM prom_metadata'));
    const store = new PromSeriesStore(index, new HeadSamples(), metadata, limits);
    store.blocksNewestMs = blocksNewestMs;
    const { wal, replay } = await SampleWal.open(walDir, (samples) => store.replayRecord(samples));
    store.wal = wal;
    store.replay = replay;
    return store;
  }

  /**
   * Adds a replayed record's samples that are still wanted: of a stored series and newer than its
   * last compacted (or replayed) one. Older ones are in blocks already (a crash came between a
   * compaction's commit and the deletion of the WAL segments it emptied) or were deleted.
   */
  private replayRecord(samples: WalSamples): void {
    let kept = 0;
    let maxRef = -1;
    for (let i = 0; i < samples.count; i++) {
      const ref = samples.refs[i] ?? -1;
      maxRef = Math.max(maxRef, ref);
      const timeMs = samples.timestampsMs[i] ?? NaN;
      if (this.index.labelsOf(ref) === undefined || !(timeMs > this.index.lastTimeMs(ref))) continue;
      samples.refs[kept] = ref;
      samples.timestampsMs[kept] = timeMs;
      samples.values[kept] = samples.values[i] ?? NaN;
      kept++;
    }
    applyToHead({ ...samples, count: kept }, this.index, this.head);
    // A ref in the log belonged to a series once; retention may have deleted it (and its row), and
    // a new series under that ref would be given the old samples at the next replay.
    this.index.reserveRefs(maxRef + 1);
  }

  prepare(writes: readonly (SeriesWrite | undefined)[]): PreparedSamples {
    return prepareSamples(writes, this.index, this.head, this.metadata, this.limits, this.wire);
  }

  /** Makes a group's accepted samples durable: one WAL record, fsynced. */
  async log(samples: WalSamples): Promise<void> {
    await this.wal?.append(samples);
  }

  /** Whether a window of the head is old enough to compact: its end an hour behind the newest sample. */
  compactionDue(): boolean {
    return windowStart(this.head.oldestMs) + CHUNK_WINDOW_MS + COMPACTION_DELAY_MS <= this.head.newestMs;
  }

  /** Compacts every whole window that is due (after a write group); returns the samples moved. */
  compactDue(writer: DuckDBConnection): Promise<number> {
    return this.compactBefore(writer, this.head.newestMs - COMPACTION_DELAY_MS, true);
  }

  /**
   * Compacts the head's samples older than `beforeMs`, one window at a time, oldest first; with
   * `wholeWindowsOnly` it stops at the first window that ends after `beforeMs`. Then deletes the
   * WAL segments left without samples in the head. Returns the samples moved.
   */
  async compactBefore(writer: DuckDBConnection, beforeMs: number, wholeWindowsOnly = false): Promise<number> {
    if (!(this.head.oldestMs < beforeMs)) return 0;
    // Samples appended from now on go to a new segment; the ones compacted here are in closed ones.
    await this.wal?.rotate();
    let moved = 0;
    while (this.head.oldestMs < beforeMs) {
      const fromMs = windowStart(this.head.oldestMs);
      const toMs = Math.min(fromMs + CHUNK_WINDOW_MS, beforeMs);
      if (wholeWindowsOnly && toMs < fromMs + CHUNK_WINDOW_MS) break;
      const before = this.head.oldestMs;
      moved += await this.gate.write(async () => {
        const count = await compactHead(writer, this.head, fromMs, toMs);
        // In the same step as the head's trim: a read sees the samples in the head or on disk.
        this.blocksNewestMs = Math.max(this.blocksNewestMs, Math.ceil(toMs) - 1);
        return count;
      });
      if (this.head.oldestMs <= before) break; // nothing moved: never spin
    }
    await this.wal?.deleteBefore(this.head.oldestMs);
    return moved;
  }

  /** The head's and the WAL's size now. */
  headStatus(): HeadStatus {
    return {
      samples: this.head.sampleCount,
      oldestMs: this.head.oldestMs,
      newestMs: this.head.newestMs,
      walBytes: this.wal?.bytes ?? 0,
      replay: this.replay,
    };
  }

  async close(): Promise<void> {
    await this.wal?.close();
  }

  /** Answers a read; `transfer` lists buffers to move, not copy, to the main thread. */
  async read(
    reader: DuckDBConnection,
    request: PromRead,
  ): Promise<{ value: PromReadResult; transfer: ArrayBuffer[] }> {
    const index = this.index;
    switch (request.op) {
      case 'select': {
        const context = {
          index,
          head: this.head,
          reader,
          gate: this.gate,
          blocksNewestMs: this.blocksNewestMs,
        };
        const selected = this.withoutSentLabels(
          await selectSeries(context, request.matchers, request.minTimeMs, request.maxTimeMs),
        );
        const buffers = [
          selected.refs.buffer,
          selected.placement.buffer,
          selected.counts.buffer,
          ...selected.buffers,
        ];
        return { value: selected, transfer: buffers.filter((buffer) => buffer instanceof ArrayBuffer) };
      }
      case 'find-series':
        return {
          value: findSeries(index, request.selectors, request.minTimeMs, request.maxTimeMs, request.limit),
          transfer: [],
        };
      case 'label-names':
        return {
          value: labelNames(index, request.selectors, request.minTimeMs, request.maxTimeMs, request.limit),
          transfer: [],
        };
      case 'label-values':
        return {
          value: labelValues(
            index,
            request.name,
            request.selectors,
            request.minTimeMs,
            request.maxTimeMs,
            request.limit,
          ),
          transfer: [],
        };
      case 'metadata':
        return { value: this.metadata.families(request.metric, request.limit), transfer: [] };
      case 'cardinality':
        return { value: cardinalityStatus(index, request.limit), transfer: [] };
      case 'head-status':
        return { value: this.headStatus(), transfer: [] };
    }
  }

  /** Leaves out labels already sent in this epoch: cloning 10k label sets per select costs more than the samples. */
  private withoutSentLabels(selected: SelectedSeries): SelectedSeries {
    if (this.sentLabels.length < this.index.nextRef) {
      const grown = new Uint8Array(Math.max(this.index.nextRef, this.sentLabels.length * 2));
      grown.set(this.sentLabels);
      this.sentLabels = grown;
    }
    const labels = selected.labels.map((flat, i) => {
      const ref = selected.refs[i] ?? 0;
      if (this.sentLabels[ref] === 1) return null;
      this.sentLabels[ref] = 1;
      return flat;
    });
    return { ...selected, labels, labelEpoch: this.labelEpoch };
  }

  /**
   * Retention: deletes blocks that end before `cutoffMs`, head samples before it, the series left
   * without samples (on disk in one transaction, and in the index and head), and the WAL segments
   * left without samples in the head. Returns the samples deleted.
   */
  deleteBefore(writer: DuckDBConnection, cutoffMs: number): Promise<number> {
    return this.gate.write(() => this.deleteOnDiskAndHere(writer, cutoffMs));
  }

  private async deleteOnDiskAndHere(writer: DuckDBConnection, cutoffMs: number): Promise<number> {
    const cutoff = msLiteral(cutoffMs, 'ceil');
    const dead = this.index.allRefs().filter((ref) => this.index.lastTimeMs(ref) < Number(cutoff));
    await writer.run('BEGIN TRANSACTION');
    let deleted = 0;
    try {
      const [[inChunks] = [0]] = await rows(
        writer,
        `SELECT coalesce(sum(n), 0) FROM prom_blocks WHERE max_t < ${cutoff}`,
      );
      await writer.run(`DELETE FROM prom_blocks WHERE max_t < ${cutoff}`);
      deleted = Number(inChunks ?? 0);
      for (let i = 0; i < dead.length; i += DELETE_BATCH) {
        await writer.run(
          `DELETE FROM prom_series WHERE ref IN (${dead.slice(i, i + DELETE_BATCH).join(',')})`,
        );
      }
      await writer.run('COMMIT');
    } catch (error: unknown) {
      await writer.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
    for (const ref of dead) deleted += this.head.drop(ref);
    this.index.remove(new Set(dead));
    // The main thread drops its label cache with the epoch, so it does not keep deleted series.
    this.labelEpoch++;
    this.sentLabels.fill(0);
    for (const ref of this.index.allRefs()) this.index.clampFirst(ref, Number(cutoff));
    this.index.retentionFloorMs = Math.max(this.index.retentionFloorMs, Number(cutoff));
    deleted += this.head.trim(Number(cutoff));
    await this.wal?.rotate();
    await this.wal?.deleteBefore(this.head.oldestMs);
    return deleted;
  }
}
