/**
 * The worker's Prometheus series state (docs/adr/0003-prometheus-series.md): the series index and
 * the head are rebuilt from `prom_series`, `prom_chunks` and `prom_samples` at open, extended after
 * each commit (ingest.ts), compacted window by window (compaction.ts), and answer
 * selects and catalog reads; retention deletes on disk and here.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { DEFAULT_SERIES_LIMITS, type SeriesLimits } from '../../store.ts';
import { cardinalityStatus } from './cardinality.ts';
import { findSeries, labelNames, labelValues } from './catalog.ts';
import { CHUNK_WINDOW_MS, COMPACTION_DELAY_MS, compactRows, windowStart } from './compaction.ts';
import { HeadSamples } from './head.ts';
import { SeriesIndex } from './series-index.ts';
import type { PreparedSamples } from './ingest.ts';
import { prepareSamples } from './ingest.ts';
import { WireSeries } from './wire-ids.ts';
import { MetadataRegistry } from './metadata-registry.ts';
import type { PromRead, PromReadResult, SelectedSeries, SeriesWrite } from './protocol.ts';
import { forEachSelected } from './protocol.ts';
import { msLiteral } from './sample-rows.ts';
import { selectSeries } from './select.ts';
import { ReadWriteGate } from './read-write-gate.ts';

async function rows(connection: DuckDBConnection, sql: string): Promise<unknown[][]> {
  return (await connection.runAndReadAll(sql)).getRowsJS();
}

/** Series deleted per statement, so an IN list stays a reasonable size. */
const DELETE_BATCH = 1_000;

/** Per-series first/last time and last value over chunk rows and sample rows. */
const BOUNDS_SQL = `
  SELECT ref, min(first_t), max(last_t), arg_max(last_v, last_t) FROM (
    SELECT ref, min(min_t) AS first_t, max(max_t) AS last_t, arg_max(last_v, max_t) AS last_v FROM prom_blocks GROUP BY ref
    UNION ALL
    SELECT ref, min(t), max(t), arg_max(v, t) FROM prom_samples GROUP BY ref
  ) GROUP BY ref`;

async function oldestRowMs(connection: DuckDBConnection): Promise<number> {
  const [[oldest] = [null]] = await rows(connection, 'SELECT min(t) FROM prom_samples');
  return oldest === null || oldest === undefined ? Infinity : Number(oldest);
}

export class PromSeriesStore {
  /** The oldest not yet compacted sample row (Infinity when there are none). */
  private oldestRowMs = Infinity;
  private newestMs = -Infinity;
  /** Refs whose labels the main thread has (it caches them by ref per epoch; queries.ts). */
  private sentLabels = new Uint8Array(1024);
  private labelEpoch = 0;
  /** Selects read disk under `read`; compaction and retention change it under `write`. */
  private readonly gate = new ReadWriteGate();
  /** Series the main thread sends by wire id (remote write; wire-ids.ts). */
  private readonly wire = new WireSeries();

  private constructor(
    readonly index: SeriesIndex,
    readonly head: HeadSamples,
    private readonly metadata: MetadataRegistry,
    private readonly limits: SeriesLimits,
  ) {}

  /** Loads the index (labels, per-series time bounds), metadata and the head's samples. */
  static async load(
    connection: DuckDBConnection,
    headRangeMs: number,
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
    let newestMs = -Infinity;
    for (const [ref, first, last, lastValue] of await rows(connection, BOUNDS_SQL)) {
      index.setBounds(Number(ref), Number(first), Number(last), Number(lastValue));
      newestMs = Math.max(newestMs, Number(last));
    }
    const metadata = new MetadataRegistry();
    metadata.load(await rows(connection, 'SELECT metric_family, type, help, unit FROM prom_metadata'));
    // Loaded from disk with the head shut (startMs Infinity), then opened at its start.
    const head = new HeadSamples(headRangeMs, Infinity);
    const store = new PromSeriesStore(index, head, metadata, limits);
    store.newestMs = newestMs;
    store.oldestRowMs = await oldestRowMs(connection);
    if (headRangeMs > 0)
      await store.loadHead(connection, newestMs === -Infinity ? -Infinity : newestMs - headRangeMs);
    return store;
  }

  private async loadHead(connection: DuckDBConnection, startMs: number): Promise<void> {
    if (startMs !== -Infinity) {
      const context = { index: this.index, head: this.head, reader: connection, gate: this.gate };
      const selected = await selectSeries(context, [], startMs, Infinity);
      this.head.startMs = startMs;
      forEachSelected(selected, (i, timestampsMs, values) =>
        this.head.appendMany(selected.refs[i] ?? 0, timestampsMs, values),
      );
    }
    this.head.startMs = startMs;
  }

  prepare(writes: readonly (SeriesWrite | undefined)[]): PreparedSamples {
    const prepared = prepareSamples(writes, this.index, this.head, this.metadata, this.limits, this.wire);
    return {
      ...prepared,
      apply: () => {
        prepared.apply();
        this.oldestRowMs = Math.min(this.oldestRowMs, prepared.oldestMs);
        this.newestMs = Math.max(this.newestMs, prepared.newestMs);
      },
    };
  }

  /** Whether a window of sample rows is old enough to compact: its end an hour behind the newest sample. */
  compactionDue(): boolean {
    return windowStart(this.oldestRowMs) + CHUNK_WINDOW_MS + COMPACTION_DELAY_MS <= this.newestMs;
  }

  /** Compacts every whole window that is due (after a write group); returns the samples moved. */
  compactDue(writer: DuckDBConnection): Promise<number> {
    return this.compactBefore(writer, this.newestMs - COMPACTION_DELAY_MS, true);
  }

  /**
   * Compacts sample rows older than `beforeMs`, one window at a time, oldest first; with
   * `wholeWindowsOnly` it stops at the first window that ends after `beforeMs`. Returns the
   * samples moved.
   */
  async compactBefore(writer: DuckDBConnection, beforeMs: number, wholeWindowsOnly = false): Promise<number> {
    let moved = 0;
    while (this.oldestRowMs < beforeMs) {
      const fromMs = windowStart(this.oldestRowMs);
      const toMs = Math.min(fromMs + CHUNK_WINDOW_MS, beforeMs);
      if (wholeWindowsOnly && toMs < fromMs + CHUNK_WINDOW_MS) break;
      moved += await this.gate.write(() => compactRows(writer, fromMs, toMs));
      const before = this.oldestRowMs;
      this.oldestRowMs = await oldestRowMs(writer);
      if (this.oldestRowMs <= before) break; // nothing moved: never spin
    }
    return moved;
  }

  /** Answers a read; `transfer` lists buffers to move, not copy, to the main thread. */
  async read(
    reader: DuckDBConnection,
    request: PromRead,
  ): Promise<{ value: PromReadResult; transfer: ArrayBuffer[] }> {
    const index = this.index;
    switch (request.op) {
      case 'select': {
        const context = { index, head: this.head, reader, gate: this.gate };
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
   * Retention: deletes sample rows before `cutoffMs`, chunk rows that end before it, and the series
   * left without samples, on disk (one transaction) and in the index and head. Returns the samples
   * deleted.
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
      const [[count] = [0]] = await rows(writer, `DELETE FROM prom_samples WHERE t < ${cutoff}`);
      deleted = Number(count ?? 0) + Number(inChunks ?? 0);
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
    for (const ref of dead) this.head.drop(ref);
    this.index.remove(new Set(dead));
    // The main thread drops its label cache with the epoch, so it does not keep deleted series.
    this.labelEpoch++;
    this.sentLabels.fill(0);
    for (const ref of this.index.allRefs()) this.index.clampFirst(ref, Number(cutoff));
    this.index.retentionFloorMs = Math.max(this.index.retentionFloorMs, Number(cutoff));
    this.head.trim(Number(cutoff));
    this.oldestRowMs = await oldestRowMs(writer);
    return deleted;
  }
}
