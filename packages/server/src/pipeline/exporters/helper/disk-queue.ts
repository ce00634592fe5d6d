import { appendFile, mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { EncodedRequest } from '../exporter-helper.ts';
import { WaitingList } from './request-queue.ts';
import type { QueuedRequest, RequestQueue } from './request-queue.ts';

/**
 * The persistent sending queue (the Collector's exporterhelper persistent queue over a
 * file_storage extension), as segment files: one per accepted batch, written to a temporary name,
 * fsynced, renamed and the directory fsynced before `offer` resolves, so an accepted batch survives
 * a crash. A sent request is recorded in the segment's `.ack` file (appended, not fsynced: losing
 * an ack only means sending that request again after a crash: at least once); a segment whose
 * requests are all done is deleted. At start-up every unacknowledged request is queued again.
 *
 * Segment layout, per request: items (uint32 LE), body length (uint32 LE), body bytes.
 */
export class DiskQueue implements RequestQueue {
  readonly persistent = true;
  private readonly list = new WaitingList();
  /** Requests offered but not yet in the list (their write is in progress): counted against capacity. */
  private reserved = 0;
  private nextSequence = 1;
  /** Per live segment: how many of its requests are not done yet. */
  private readonly pendingBySegment = new Map<number, number>();
  /** Resolves once earlier segments are loaded; rejects when the directory is unusable. */
  readonly ready: Promise<void>;

  constructor(
    private readonly directory: string,
    private readonly capacity: number,
    private readonly log: (line: string) => void,
  ) {
    this.ready = this.load();
    // Callers await `ready` where it matters; this only keeps the rejection from being unhandled.
    this.ready.catch(() => {});
  }

  get size(): number {
    return this.list.length;
  }

  async offer(requests: readonly EncodedRequest[]): Promise<boolean> {
    await this.ready;
    if (this.list.isClosed || this.list.length + this.reserved + requests.length > this.capacity)
      return false;
    this.reserved += requests.length;
    const sequence = this.nextSequence++;
    try {
      await this.writeSegment(sequence, requests);
    } finally {
      this.reserved -= requests.length;
    }
    this.pendingBySegment.set(sequence, requests.length);
    requests.forEach((request, index) =>
      this.list.push({ body: request.body, items: request.items, segment: { sequence, index } }),
    );
    return true;
  }

  async take(): Promise<QueuedRequest | undefined> {
    await this.ready;
    return this.list.take();
  }

  async done(request: QueuedRequest): Promise<void> {
    if (request.segment === undefined) return;
    const { sequence, index } = request.segment;
    const pending = (this.pendingBySegment.get(sequence) ?? 1) - 1;
    if (pending > 0) {
      this.pendingBySegment.set(sequence, pending);
      const ack = Buffer.alloc(4);
      ack.writeUInt32LE(index);
      await appendFile(this.path(sequence, 'ack'), ack);
      return;
    }
    this.pendingBySegment.delete(sequence);
    // Segment first: a crash in between leaves a stray .ack, which load() removes.
    await rm(this.path(sequence, 'seg'), { force: true });
    await rm(this.path(sequence, 'ack'), { force: true });
  }

  close(): void {
    this.list.close();
  }

  /** What was never taken stays on disk for the next start; the list just forgets it. */
  takeRemaining(): QueuedRequest[] {
    return this.list.takeAll();
  }

  private path(sequence: number, kind: 'seg' | 'ack' | 'tmp'): string {
    return join(this.directory, `${String(sequence).padStart(12, '0')}.${kind}`);
  }

  private async writeSegment(sequence: number, requests: readonly EncodedRequest[]): Promise<void> {
    const header = (request: EncodedRequest): Buffer => {
      const bytes = Buffer.alloc(8);
      bytes.writeUInt32LE(request.items, 0);
      bytes.writeUInt32LE(request.body.byteLength, 4);
      return bytes;
    };
    const temporary = this.path(sequence, 'tmp');
    const file = await open(temporary, 'w');
    try {
      await file.writev(requests.flatMap((request) => [header(request), request.body]));
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, this.path(sequence, 'seg'));
    await this.syncDirectory();
  }

  /** A rename is durable only once its directory is fsynced (POSIX). */
  private async syncDirectory(): Promise<void> {
    const dir = await open(this.directory, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }

  private async load(): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    const names = (await readdir(this.directory)).sort();
    const sequences = new Set<number>();
    for (const name of names) {
      const match = /^(\d{12})\.(seg|ack|tmp)$/.exec(name);
      if (match === null) continue;
      const sequence = Number(match[1]);
      this.nextSequence = Math.max(this.nextSequence, sequence + 1);
      // A .tmp is a batch whose offer never resolved: nobody was told it was accepted.
      if (match[2] === 'tmp') await rm(join(this.directory, name), { force: true });
      else sequences.add(sequence);
    }
    for (const sequence of [...sequences].sort((a, b) => a - b)) await this.loadSegment(sequence);
    if (this.list.length > 0)
      this.log(`sending queue: resending ${this.list.length} requests left from an earlier run`);
  }

  private async loadSegment(sequence: number): Promise<void> {
    const segment = await readFile(this.path(sequence, 'seg')).catch(() => undefined);
    if (segment === undefined) {
      await rm(this.path(sequence, 'ack'), { force: true });
      return;
    }
    const acked = await readAcks(this.path(sequence, 'ack'));
    const requests = parseSegment(segment);
    if (requests === undefined) {
      this.log(`sending queue: segment ${sequence} is damaged; moved aside`);
      await rename(this.path(sequence, 'seg'), `${this.path(sequence, 'seg')}.damaged`);
      return;
    }
    let pending = 0;
    requests.forEach((request, index) => {
      if (acked.has(index)) return;
      pending++;
      this.list.push({ ...request, segment: { sequence, index } });
    });
    if (pending > 0) this.pendingBySegment.set(sequence, pending);
    else await rm(this.path(sequence, 'seg'), { force: true });
  }
}

async function readAcks(path: string): Promise<Set<number>> {
  const bytes = await readFile(path).catch(() => Buffer.alloc(0));
  const acked = new Set<number>();
  // A torn last ack (a crash mid-append) is ignored: that request is sent again.
  for (let at = 0; at + 4 <= bytes.length; at += 4) acked.add(bytes.readUInt32LE(at));
  return acked;
}

/** The requests of one segment file, or undefined when its framing is broken. */
function parseSegment(bytes: Buffer): EncodedRequest[] | undefined {
  const requests: EncodedRequest[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (at + 8 > bytes.length) return undefined;
    const items = bytes.readUInt32LE(at);
    const length = bytes.readUInt32LE(at + 4);
    at += 8;
    if (at + length > bytes.length) return undefined;
    requests.push({ items, body: new Uint8Array(bytes.subarray(at, at + length)) });
    at += length;
  }
  return requests;
}
