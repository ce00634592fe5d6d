import type { IncomingMessage } from 'node:http';
import { createGunzip, type Gunzip } from 'node:zlib';

/** Content codings the OTLP/HTTP receiver accepts (otlp-specification.md, "OTLP/HTTP Request"). */
export type ContentCoding = 'identity' | 'gzip';

/**
 * What reading a request body ended in. Not an exception: every case is an answer to the client
 * (413, 400) or nothing at all when the client went away.
 */
export type BodyReadResult =
  | { kind: 'body'; body: Buffer; wireBytes: number }
  | { kind: 'too_large' }
  | { kind: 'bad_compression' }
  | { kind: 'aborted' };

/**
 * The coding named by a Content-Encoding header, or undefined when Vigil cannot decode it.
 * RFC 9110 §8.4.1.3: `x-gzip` is an alias of `gzip`; an absent or empty header means identity.
 */
export function parseContentCoding(header: string | undefined): ContentCoding | undefined {
  const coding = (header ?? '').trim().toLowerCase();
  if (coding === '' || coding === 'identity') return 'identity';
  if (coding === 'gzip' || coding === 'x-gzip') return 'gzip';
  return undefined;
}

/**
 * Reads a request body of at most `maxBodyBytes`, counted on the wire and again after gunzip
 * (otlp-specification.md, "OTLP/HTTP Request": "limit the size of the request body ... including
 * after decompression"). Decompression is streamed and stopped as soon as the output passes the
 * limit, so a gzip bomb costs at most the limit plus one zlib chunk (16 KiB) of memory.
 *
 * @example
 * const result = await readRequestBody(req, 'gzip', 20 * 1024 * 1024);
 * if (result.kind === 'too_large') respond413();
 */
export function readRequestBody(
  req: IncomingMessage,
  coding: ContentCoding,
  maxBodyBytes: number,
): Promise<BodyReadResult> {
  const declaredBytes = Number(req.headers['content-length'] ?? 0);
  // Refuse a declared oversize before reading a byte of it.
  if (declaredBytes > maxBodyBytes) return Promise.resolve({ kind: 'too_large' });
  return new Promise((resolve) => new BodyCollector(req, coding, maxBodyBytes, resolve).start());
}

class BodyCollector {
  private readonly chunks: Buffer[] = [];
  private bodyBytes = 0;
  private wireBytes = 0;
  private settled = false;
  private readonly gunzip: Gunzip | undefined;

  constructor(
    private readonly req: IncomingMessage,
    coding: ContentCoding,
    private readonly maxBodyBytes: number,
    private readonly resolve: (result: BodyReadResult) => void,
  ) {
    this.gunzip = coding === 'gzip' ? createGunzip() : undefined;
  }

  start(): void {
    const { req, gunzip } = this;
    req.on('data', (chunk: Buffer) => this.onWireChunk(chunk));
    req.on('end', () => (gunzip ? gunzip.end() : this.finishBody()));
    req.on('error', () => this.finish({ kind: 'aborted' }));
    req.on('close', () => {
      if (!req.complete) this.finish({ kind: 'aborted' });
    });
    if (gunzip) {
      gunzip.on('data', (chunk: Buffer) => this.onBodyChunk(chunk));
      gunzip.on('end', () => this.finishBody());
      gunzip.on('error', () => this.finish({ kind: 'bad_compression' }));
    }
  }

  private onWireChunk(chunk: Buffer): void {
    // After a 413 the rest of the body is read and dropped, so the client can read the answer.
    if (this.settled) return;
    this.wireBytes += chunk.length;
    if (this.wireBytes > this.maxBodyBytes) {
      this.finish({ kind: 'too_large' });
    } else if (this.gunzip) {
      this.gunzip.write(chunk);
    } else {
      this.onBodyChunk(chunk);
    }
  }

  private onBodyChunk(chunk: Buffer): void {
    if (this.settled) return;
    this.bodyBytes += chunk.length;
    if (this.bodyBytes > this.maxBodyBytes) {
      this.finish({ kind: 'too_large' });
      return;
    }
    this.chunks.push(chunk);
  }

  private finishBody(): void {
    const body = this.chunks.length === 1 ? this.chunks[0] : undefined;
    this.finish({
      kind: 'body',
      body: body ?? Buffer.concat(this.chunks, this.bodyBytes),
      wireBytes: this.wireBytes,
    });
  }

  private finish(result: BodyReadResult): void {
    if (this.settled) return;
    this.settled = true;
    this.chunks.length = 0;
    this.gunzip?.destroy();
    this.resolve(result);
  }
}
