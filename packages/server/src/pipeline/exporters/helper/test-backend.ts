/**
 * Test support for exporter tests: a local HTTP backend whose answers a test scripts, a fake
 * ComponentContext, and a tiny codec whose request bodies name the records they carry.
 */
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Span } from '../../../model/span.ts';
import type { ComponentContext } from '../../graph/component.ts';
import { testComponentContext } from '../../graph/test-context.ts';
import type { RequestCodec } from '../exporter-helper.ts';
import type { QueuedExporterSettings } from './queued-exporter.ts';

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** An HTTP server answering from a script (then `fallback`), recording every request. */
export class TestBackend {
  readonly received: ReceivedRequest[] = [];
  readonly script: Answer[] = [];
  fallback: Answer = { status: 200 };
  private readonly server: Server;

  private constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
        const answer = this.script.shift() ?? this.fallback;
        res.writeHead(answer.status, answer.headers ?? {});
        res.end(answer.body ?? '');
      });
    });
  }

  static async start(): Promise<TestBackend> {
    const backend = new TestBackend();
    backend.server.listen(0, '127.0.0.1');
    await once(backend.server, 'listening');
    return backend;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }
}

/**
 * A context on the wall clock (the queued exporter's retries sleep for real) whose data dir and
 * every storage extension are one fresh temporary directory.
 */
export function testContext(options: { id?: string } = {}): ComponentContext & { lines: string[] } {
  const storage = mkdtempSync(join(tmpdir(), 'vigil-exporter-'));
  return testComponentContext({
    id: options.id ?? 'otlphttp/test',
    nowMs: () => Date.now(),
    dataDir: storage,
    storageDirectory: () => storage,
  });
}

/** One request per span; the body is the span id, so a backend can tell which spans arrived. */
export const SPAN_ID_CODEC: RequestCodec<'traces'> = {
  encode: (spans: Span[]) => spans.map((span) => ({ body: new TextEncoder().encode(span.spanId), items: 1 })),
};

/** Fast settings for tests: short backoff, a small queue. */
export function fastSettings(overrides: Partial<QueuedExporterSettings> = {}): QueuedExporterSettings {
  return {
    timeoutMs: 2_000,
    queue: { enabled: true, numConsumers: 2, queueSize: 100 },
    retry: {
      enabled: true,
      initialIntervalMs: 5,
      randomizationFactor: 0.5,
      multiplier: 1.5,
      maxIntervalMs: 20,
      maxElapsedMs: 10_000,
    },
    ...overrides,
  };
}

/** Polls `condition` every few milliseconds (for work done by background senders). */
export async function eventually(condition: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
