/** Test helpers for the scrape tests: a recording store, a tiny exposition parser, local HTTP targets. */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PromFamilyMetadata, PromSeriesSamples } from '../../../model/prom-series.ts';
import type { SampleWriteResult } from '../../../storage/store.ts';
import { ExpositionParseError, type ParsedExposition } from '../exposition.ts';

export class RecordingStore {
  readonly writes: PromSeriesSamples[][] = [];
  readonly metadata: PromFamilyMetadata[][] = [];

  writeSamples(series: PromSeriesSamples[], metadata?: PromFamilyMetadata[]): Promise<SampleWriteResult> {
    this.writes.push(series);
    if (metadata) this.metadata.push(metadata);
    return Promise.resolve({ samplesWritten: series.length, samplesRejected: 0 });
  }

  /** Every stored sample as [name, labels-without-name, timestampMs, value]. */
  samples(): { name: string; labels: Record<string, string>; timestampMs: number; value: number }[] {
    return this.writes.flat().map((series) => {
      const labels = Object.fromEntries(series.labels);
      const name = labels.__name__ ?? '';
      delete labels.__name__;
      return { name, labels, timestampMs: series.timestampsMs[0] ?? NaN, value: series.values[0] ?? NaN };
    });
  }

  last(name: string): number | undefined {
    return this.samples().filter((s) => s.name === name).at(-1)?.value;
  }
}

/** The text format's simplest lines, `name{a="b"} value [timestampMs]`: enough for loop tests. */
export function stubParse(body: string): ParsedExposition {
  const samples = body.split('\n').flatMap((line, index) => {
    if (line.trim() === '' || line.startsWith('#')) return [];
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)(?: (\d+))?$/.exec(line);
    if (!match) throw new ExpositionParseError(index + 1, 'unexpected token');
    const labels = new Map([['__name__', match[1] ?? '']]);
    for (const pair of (match[2] ?? '').split(',').filter(Boolean)) {
      const [name, quoted] = pair.split('=');
      labels.set(name ?? '', JSON.parse(quoted ?? '""') as string);
    }
    return [{ labels, value: Number(match[3]), timestampMs: match[4] ? Number(match[4]) : undefined }];
  });
  return { samples, families: [] };
}

export interface TestTarget {
  address: string;
  requests: IncomingHttpHeaders[];
  /** What the next scrapes get; a function may hang by never answering. */
  respond: (res: ServerResponse) => void;
  close(): Promise<void>;
}

export async function startTarget(body: string): Promise<TestTarget> {
  const target: Partial<TestTarget> & { requests: IncomingHttpHeaders[] } = { requests: [] };
  target.respond = (res) => res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(body);
  const server: Server = createServer((req, res) => {
    target.requests.push(req.headers);
    target.respond?.(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  target.address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  target.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return target as TestTarget;
}
