/**
 * The write-ahead log of Prometheus samples (docs/adr/0003-prometheus-series.md), as Prometheus
 * keeps its head's samples in a WAL of its own rather than in a database: a group commit appends
 * one record and fsyncs before anything is acknowledged; the head is rebuilt from it at open; and a
 * segment is deleted once none of its samples is still in the head (they are in `prom_blocks`, or
 * retention dropped them).
 *
 * Segment files `NNNNNNNN.wal` hold a header and records `[u32 length][u32 crc32][payload]`
 * (little-endian, payload: wal-record.ts). A crash mid-append leaves a torn record at the tail;
 * replay stops a segment at the first record that is short or fails its checksum and truncates it
 * there, as Prometheus's WAL repair does.
 */
import { mkdir, open, readdir, readFile, rm, truncate, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { decodeWalRecord, encodeWalRecord, type WalSamples } from './wal-record.ts';

const MAGIC = Buffer.from('VGSWAL01');
const RECORD_HEADER_BYTES = 8;
/** A segment is closed past this size, so compaction can delete the log in pieces. */
const SEGMENT_MAX_BYTES = 64 * 1024 * 1024;
const SEGMENT_NAME = /^(\d{8})\.wal$/;

interface Segment {
  seq: number;
  bytes: number;
  /** Newest sample time in the segment (-Infinity while it has none). */
  maxTimeMs: number;
}

/** What replay found: records read, and bytes cut off torn or corrupt segment tails. */
export interface WalReplay {
  records: number;
  samples: number;
  truncatedBytes: number;
}

/** The sample WAL's directory next to the DuckDB file `storePath`. */
export function sampleWalDir(storePath: string): string {
  return `${storePath}.prom-wal`;
}

function segmentPath(dir: string, seq: number): string {
  return join(dir, `${String(seq).padStart(8, '0')}.wal`);
}

function maxTime(samples: WalSamples): number {
  let newest = -Infinity;
  for (let i = 0; i < samples.count; i++) newest = Math.max(newest, samples.timestampsMs[i] ?? -Infinity);
  return newest;
}

/** Replays one segment's records; returns the segment and the bytes past its last good record. */
async function replaySegment(
  dir: string,
  seq: number,
  onSamples: (samples: WalSamples) => void,
  replay: WalReplay,
): Promise<Segment> {
  const path = segmentPath(dir, seq);
  const bytes = await readFile(path);
  const segment: Segment = { seq, bytes: MAGIC.length, maxTimeMs: -Infinity };
  if (bytes.length < MAGIC.length || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    // A crash while creating the segment, before its header was written.
    await rm(path, { force: true });
    return { ...segment, bytes: 0 };
  }
  let at = MAGIC.length;
  while (at + RECORD_HEADER_BYTES <= bytes.length) {
    const length = bytes.readUInt32LE(at);
    const end = at + RECORD_HEADER_BYTES + length;
    if (end > bytes.length) break;
    const payload = bytes.subarray(at + RECORD_HEADER_BYTES, end);
    if (crc32(payload) !== bytes.readUInt32LE(at + 4)) break;
    let samples: WalSamples;
    try {
      samples = decodeWalRecord(payload);
    } catch {
      break;
    }
    onSamples(samples);
    replay.records++;
    replay.samples += samples.count;
    segment.maxTimeMs = Math.max(segment.maxTimeMs, maxTime(samples));
    at = end;
  }
  if (at < bytes.length) {
    replay.truncatedBytes += bytes.length - at;
    await truncate(path, at);
  }
  segment.bytes = at;
  return segment;
}

/** The segment being appended to and its open file. */
interface OpenSegment {
  segment: Segment;
  handle: FileHandle;
}

export class SampleWal {
  /** Created at the first append after open or rotation, so an idle log leaves no empty files. */
  private current: OpenSegment | null = null;

  private constructor(
    private readonly dir: string,
    /** Segments no longer appended to, oldest first. */
    private readonly closed: Segment[],
    private nextSeq: number,
  ) {}

  /**
   * Opens the log in `dir` (created if missing), replaying every record in order through
   * `onSamples`; appends go to a new segment.
   */
  static async open(
    dir: string,
    onSamples: (samples: WalSamples) => void,
  ): Promise<{ wal: SampleWal; replay: WalReplay }> {
    await mkdir(dir, { recursive: true });
    const seqs = (await readdir(dir))
      .map((name) => SEGMENT_NAME.exec(name)?.[1])
      .filter((seq) => seq !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    const replay: WalReplay = { records: 0, samples: 0, truncatedBytes: 0 };
    const closed: Segment[] = [];
    for (const seq of seqs) {
      const segment = await replaySegment(dir, seq, onSamples, replay);
      if (segment.maxTimeMs === -Infinity) await rm(segmentPath(dir, seq), { force: true });
      else closed.push(segment);
    }
    return { wal: new SampleWal(dir, closed, (seqs[seqs.length - 1] ?? 0) + 1), replay };
  }

  /** Bytes of all segments. */
  get bytes(): number {
    return this.closed.reduce((sum, segment) => sum + segment.bytes, this.current?.segment.bytes ?? 0);
  }

  /**
   * Appends one record and fsyncs: once this resolves the samples survive a crash. A failed
   * append is cut off again, so the records after it stay readable.
   */
  async append(samples: WalSamples): Promise<void> {
    if (samples.count === 0) return;
    const frame = encodeWalRecord(samples, RECORD_HEADER_BYTES);
    const payload = frame.subarray(RECORD_HEADER_BYTES);
    frame.writeUInt32LE(payload.length, 0);
    frame.writeUInt32LE(crc32(payload), 4);
    const { segment, handle } = this.current ?? (this.current = await this.createSegment());
    const at = segment.bytes;
    try {
      await handle.write(frame, 0, frame.length, at);
      await handle.datasync();
    } catch (error: unknown) {
      await handle.truncate(at).catch(() => undefined);
      throw error;
    }
    segment.bytes = at + frame.length;
    segment.maxTimeMs = Math.max(segment.maxTimeMs, maxTime(samples));
    if (segment.bytes >= SEGMENT_MAX_BYTES) await this.rotate();
  }

  private async createSegment(): Promise<OpenSegment> {
    const seq = this.nextSeq++;
    const handle = await open(segmentPath(this.dir, seq), 'w');
    await handle.write(MAGIC, 0, MAGIC.length, 0);
    return { segment: { seq, bytes: MAGIC.length, maxTimeMs: -Infinity }, handle };
  }

  /** Closes the current segment; the next append starts a new one. */
  async rotate(): Promise<void> {
    const current = this.current;
    if (!current) return;
    this.current = null;
    await current.handle.close();
    if (current.segment.maxTimeMs === -Infinity)
      await rm(segmentPath(this.dir, current.segment.seq), { force: true });
    else this.closed.push(current.segment);
  }

  /**
   * Deletes closed segments whose samples are all older than `oldestLiveMs`, the oldest sample
   * still only in the head (Infinity when the head is empty). Returns the segments deleted.
   */
  async deleteBefore(oldestLiveMs: number): Promise<number> {
    const doomed = this.closed.filter((segment) => segment.maxTimeMs < oldestLiveMs);
    for (const segment of doomed) {
      await rm(segmentPath(this.dir, segment.seq), { force: true });
      this.closed.splice(this.closed.indexOf(segment), 1);
    }
    return doomed.length;
  }

  async close(): Promise<void> {
    await this.rotate();
  }
}
