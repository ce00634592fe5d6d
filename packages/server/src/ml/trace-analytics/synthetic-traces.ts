/**
 * Test support for the trace analytics: a seeded PRNG and a builder of traces in milliseconds on
 * top of contract-fixtures' makeSpan. Only tests import this file.
 */
import type { AttributeValue } from '../../model/attributes.ts';
import { seededRandom, standardNormal } from '../stats/random.ts';
import type { Resource } from '../../model/resource.ts';
import { SpanKind, type Span } from '../../model/span.ts';
import { attrs, BASE_NANOS, makeSpan, resource } from '../../storage/contract-fixtures.ts';
import { msToNanos, nanosToMs, weighTrace, type WeightedTrace } from './trace-sample.ts';

/** Unix milliseconds of contract-fixtures' BASE_NANOS, the time origin of synthetic traces. */
export const BASE_UNIX_MS = nanosToMs(BASE_NANOS);

export { seededRandom };

/** A normal variate with the given mean and standard deviation. */
export function normal(random: () => number, mean: number, sd: number): number {
  return mean + sd * standardNormal(random);
}

/** A log-normal variate with the given median and log-space sigma. */
export function logNormal(random: () => number, medianMs: number, sigma: number): number {
  return medianMs * Math.exp(normal(random, 0, sigma));
}

export interface SpanDraft {
  service: string;
  name: string;
  kind?: SpanKind;
  /** Milliseconds after the trace's base time. */
  startMs: number;
  durationMs: number;
  /** A span number returned by `add`, or any other number for a parent that is not in the trace. */
  parent?: number;
  attributes?: Record<string, AttributeValue>;
  /** Resource host.name (default `<service>-host`). */
  host?: string;
  resourceAttributes?: Record<string, AttributeValue>;
}

const resources = new Map<string, Resource>();

/** Builds one trace; span numbers are unique across traces so ids never collide. */
export class SyntheticTrace {
  readonly spans: Span[] = [];

  constructor(
    readonly traceNumber: number,
    /** Milliseconds after BASE_NANOS at which the trace's times start. */
    readonly baseMs = 0,
  ) {}

  add(draft: SpanDraft): number {
    const spanNumber = this.traceNumber * 1000 + this.spans.length + 1;
    this.spans.push(
      makeSpan({
        trace: this.traceNumber,
        span: spanNumber,
        ...(draft.parent === undefined ? {} : { parent: draft.parent }),
        name: draft.name,
        kind: draft.kind ?? SpanKind.SERVER,
        startOffsetNanos: msToNanos(this.baseMs + draft.startMs),
        durationNanos: msToNanos(draft.durationMs),
        attributes: attrs(draft.attributes ?? {}),
        resource: resourceOf(draft),
      }),
    );
    return spanNumber;
  }

  /** A CLIENT span in `caller` and the SERVER span it calls in `callee`, `networkMs` each way. */
  call(
    parent: number,
    caller: string,
    callee: { service: string; name: string; host?: string },
    startMs: number,
    serverMs: number,
    networkMs = 1,
  ): { client: number; server: number } {
    const client = this.add({
      service: caller,
      name: `POST /${callee.service}`,
      kind: SpanKind.CLIENT,
      startMs,
      durationMs: serverMs + 2 * networkMs,
      parent,
      attributes: { 'peer.service': callee.service },
    });
    const server = this.add({
      ...callee,
      kind: SpanKind.SERVER,
      startMs: startMs + networkMs,
      durationMs: serverMs,
      parent: client,
    });
    return { client, server };
  }

  weighted(): WeightedTrace {
    return weighTrace(this.spans);
  }
}

/**
 * gateway → preprocess, gateway → fraud-model (host gpu-node-1, its clock `gpuAheadMs` ahead) →
 * postprocess; network 0.5–2.5 ms each way, drawn separately for each direction.
 */
export function skewedPlatform(count: number, gpuAheadMs: number, seed = 3): SyntheticTrace[] {
  const random = seededRandom(seed);
  const networkMs = (): number => 0.5 + 2 * random();
  return Array.from({ length: count }, (_, index) => {
    const trace = new SyntheticTrace(index + 1, index * 1000);
    const root = trace.add({ service: 'api-gateway', name: 'POST /score', startMs: 0, durationMs: 120 });
    trace.call(root, 'api-gateway', { service: 'preprocess', name: 'POST /preprocess' }, 2, 20, networkMs());
    const [outMs, backMs] = [networkMs(), networkMs()];
    const client = trace.add({
      service: 'api-gateway',
      name: 'POST /predict',
      kind: SpanKind.CLIENT,
      startMs: 30,
      durationMs: outMs + 60 + backMs,
      parent: root,
      attributes: { 'peer.service': 'fraud-model' },
    });
    // Everything gpu-node-1 records is stamped by its clock: gpuAheadMs late.
    const serverStartMs = 30 + outMs;
    const model = trace.add({
      service: 'fraud-model',
      name: 'POST /predict',
      startMs: serverStartMs + gpuAheadMs,
      durationMs: 60,
      parent: client,
      host: 'gpu-node-1',
    });
    const [toPostMs, fromPostMs] = [networkMs(), networkMs()];
    const postClient = trace.add({
      service: 'fraud-model',
      name: 'POST /postprocess',
      kind: SpanKind.CLIENT,
      startMs: serverStartMs + 40 + gpuAheadMs,
      durationMs: toPostMs + 10 + fromPostMs,
      parent: model,
      host: 'gpu-node-1',
    });
    trace.add({
      service: 'postprocess',
      name: 'POST /postprocess',
      startMs: serverStartMs + 40 + toPostMs,
      durationMs: 10,
      parent: postClient,
    });
    return trace;
  });
}

function resourceOf(draft: SpanDraft): Resource {
  const host = draft.host ?? `${draft.service}-host`;
  const extra = draft.resourceAttributes ?? {};
  const key = `${draft.service}\u0000${host}\u0000${JSON.stringify(Object.keys(extra).sort())}\u0000${Object.values(extra).map(String).join('\u0000')}`;
  let found = resources.get(key);
  if (!found) {
    found = resource(draft.service, { 'host.name': host, ...extra });
    resources.set(key, found);
  }
  return found;
}
