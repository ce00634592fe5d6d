import { attributeText, type Attributes } from '../../model/attributes.ts';
import { SpanKind } from '../../model/span.ts';
import type { TraceSpanNode } from '../../query/traces/trace-tree.ts';
import type { RangeMs } from '../ml-types.ts';
import {
  nanosToMs,
  requestRoot,
  sampleTraces,
  type SampleInfo,
  type TraceSampleOptions,
  type TraceSource,
  type WeightedTrace,
} from './trace-sample.ts';

/**
 * The seed's "missing context propagation" failure mode, found in stored traces. A hop that drops
 * the W3C traceparent leaves two marks: the callee's span names a parent that is not in the trace
 * (an orphan, when some context arrived but its parent was never exported), or the callee starts a
 * trace of its own (a disconnected trace rooted at a service that is normally called, not a root).
 * Either way the caller's CLIENT span is left without a child, which is how the caller is found.
 */

export interface PropagationGapOptions {
  range: RangeMs;
  /** Bucket width (default 60 000 ms). */
  stepMs?: number;
  /** A service is "usually not a root" when fewer than this share of its SERVER spans are roots (default 0.5). */
  rootShareThreshold?: number;
  /** A childless CLIENT span further than this from the gap in time is not its caller (default: stepMs). */
  maxCallerDistanceMs?: number;
  /** Edges reported, most gaps first (default 100). */
  maxEdges?: number;
}

export interface GapBucket {
  startMs: number;
  orphanSpans: number;
  disconnectedTraces: number;
  /** Σ trace weights: how many the stored (possibly tail-sampled) traces stand for. */
  estimatedGaps: number;
}

export interface PropagationGapEdge {
  /** The calling service, or "unknown" when no childless CLIENT span names the callee. */
  caller: string;
  callee: string;
  orphanSpans: number;
  disconnectedTraces: number;
  estimatedGaps: number;
  firstSeenMs: number;
  lastSeenMs: number;
  /** Non-empty buckets only, oldest first. */
  buckets: GapBucket[];
}

export interface PropagationGapReport {
  range: RangeMs;
  stepMs: number;
  tracesAnalysed: number;
  orphanSpans: number;
  disconnectedTraces: number;
  edges: PropagationGapEdge[];
}

export const UNKNOWN_CALLER = 'unknown';

interface Gap {
  kind: 'orphan' | 'disconnected';
  node: TraceSpanNode;
  weight: number;
}

interface ClientCall {
  service: string;
  startMs: number;
  endMs: number;
}

/**
 * Counts orphan spans and disconnected traces per (caller → callee) edge and time bucket.
 *
 * @example
 * const report = analyzePropagationGaps(sample.traces, { range, stepMs: 60_000 });
 * report.edges[0]; // { caller: 'preprocess', callee: 'feature-store', disconnectedTraces: 240, ... }
 */
export function analyzePropagationGaps(
  traces: readonly WeightedTrace[],
  options: PropagationGapOptions,
): PropagationGapReport {
  const stepMs = options.stepMs ?? 60_000;
  const gaps = findGaps(traces, options.rootShareThreshold ?? 0.5).filter(({ node }) => {
    const startMs = nanosToMs(node.span.startTimeUnixNano);
    return startMs >= options.range.startMs && startMs <= options.range.endMs;
  });
  const callers = new CallerIndex(traces, options.maxCallerDistanceMs ?? stepMs);
  const edges = new Map<string, PropagationGapEdge>();
  for (const gap of gaps) addGap(edges, gap, callers.callerOf(gap.node), options.range.startMs, stepMs);
  return {
    range: options.range,
    stepMs,
    tracesAnalysed: traces.length,
    orphanSpans: gaps.filter((gap) => gap.kind === 'orphan').length,
    disconnectedTraces: gaps.filter((gap) => gap.kind === 'disconnected').length,
    edges: [...edges.values()]
      .sort((a, b) => b.estimatedGaps - a.estimatedGaps || a.caller.localeCompare(b.caller))
      .slice(0, options.maxEdges ?? 100),
  };
}

/** Samples traces from the store and analyses them (see analyzePropagationGaps). */
export async function propagationGaps(
  store: TraceSource,
  options: TraceSampleOptions & PropagationGapOptions,
): Promise<PropagationGapReport & SampleInfo> {
  const sample = await sampleTraces(store, options);
  return { ...analyzePropagationGaps(sample.traces, options), truncated: sample.truncated };
}

/** Orphan spans, and roots of traces that start at a SERVER span of a usually-called service. */
function findGaps(traces: readonly WeightedTrace[], rootShareThreshold: number): Gap[] {
  const rootShare = serverRootShares(traces);
  const gaps: Gap[] = [];
  for (const { trace, weight } of traces) {
    for (const node of trace.spans) if (node.orphan) gaps.push({ kind: 'orphan', node, weight });
    const root = requestRoot(trace);
    if (root?.span.kind === SpanKind.SERVER && (rootShare.get(root.span.resource.serviceName) ?? 1) < rootShareThreshold)
      gaps.push({ kind: 'disconnected', node: root, weight });
  }
  return gaps;
}

/** Per service: the share of its SERVER spans that are trace roots. */
function serverRootShares(traces: readonly WeightedTrace[]): Map<string, number> {
  const counts = new Map<string, { roots: number; total: number }>();
  for (const { trace } of traces) {
    for (const { span } of trace.spans) {
      if (span.kind !== SpanKind.SERVER) continue;
      const entry = counts.get(span.resource.serviceName) ?? { roots: 0, total: 0 };
      entry.total++;
      if (span.parentSpanId === '') entry.roots++;
      counts.set(span.resource.serviceName, entry);
    }
  }
  return new Map([...counts].map(([service, { roots, total }]) => [service, roots / total]));
}

function addGap(edges: Map<string, PropagationGapEdge>, gap: Gap, caller: string, originMs: number, stepMs: number): void {
  const callee = gap.node.span.resource.serviceName;
  const startMs = nanosToMs(gap.node.span.startTimeUnixNano);
  const key = `${caller}\u0000${callee}`;
  const edge = edges.get(key) ?? {
    caller, callee, orphanSpans: 0, disconnectedTraces: 0, estimatedGaps: 0, firstSeenMs: startMs, lastSeenMs: startMs, buckets: [],
  };
  edges.set(key, edge);
  const bucketStartMs = originMs + Math.floor((startMs - originMs) / stepMs) * stepMs;
  let bucket = edge.buckets.find((candidate) => candidate.startMs === bucketStartMs);
  if (!bucket) {
    bucket = { startMs: bucketStartMs, orphanSpans: 0, disconnectedTraces: 0, estimatedGaps: 0 };
    edge.buckets.push(bucket);
    edge.buckets.sort((a, b) => a.startMs - b.startMs);
  }
  const field = gap.kind === 'orphan' ? 'orphanSpans' : 'disconnectedTraces';
  edge[field]++;
  bucket[field]++;
  edge.estimatedGaps += gap.weight;
  bucket.estimatedGaps += gap.weight;
  edge.firstSeenMs = Math.min(edge.firstSeenMs, startMs);
  edge.lastSeenMs = Math.max(edge.lastSeenMs, startMs);
}

/** Childless CLIENT/PRODUCER spans by the peer names they call, ordered by start. */
class CallerIndex {
  private readonly byPeer = new Map<string, ClientCall[]>();

  constructor(traces: readonly WeightedTrace[], private readonly maxDistanceMs: number) {
    for (const { trace } of traces) {
      for (const node of trace.spans) {
        const { kind } = node.span;
        if ((kind !== SpanKind.CLIENT && kind !== SpanKind.PRODUCER) || node.children.length > 0) continue;
        const call = {
          service: node.span.resource.serviceName,
          startMs: nanosToMs(node.span.startTimeUnixNano),
          endMs: nanosToMs(node.span.endTimeUnixNano),
        };
        for (const peer of peerNames(node.span.attributes)) {
          const calls = this.byPeer.get(peer) ?? [];
          calls.push(call);
          this.byPeer.set(peer, calls);
        }
      }
    }
    for (const calls of this.byPeer.values()) calls.sort((a, b) => a.startMs - b.startMs);
  }

  /** The service of the closest-in-time childless call naming the span's service or host. */
  callerOf(node: TraceSpanNode): string {
    const atMs = nanosToMs(node.span.startTimeUnixNano);
    const host = node.span.resource.attributes['host.name'];
    const names = [node.span.resource.serviceName, ...(host ? [attributeText(host)] : [])].map((name) => name.toLowerCase());
    let best: { service: string; distanceMs: number } | undefined;
    for (const calls of names.map((name) => this.byPeer.get(name) ?? [])) {
      for (const call of nearby(calls, atMs)) {
        const distanceMs = atMs < call.startMs ? call.startMs - atMs : Math.max(0, atMs - call.endMs);
        if (distanceMs <= this.maxDistanceMs && (!best || distanceMs < best.distanceMs)) best = { service: call.service, distanceMs };
      }
    }
    return best?.service ?? UNKNOWN_CALLER;
  }
}

/** The calls starting just before and after `atMs` (a window of 16 each way around a binary search). */
function nearby(calls: readonly ClientCall[], atMs: number): ClientCall[] {
  let low = 0;
  let high = calls.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (calls[middle]!.startMs <= atMs) low = middle + 1;
    else high = middle;
  }
  return calls.slice(Math.max(0, low - 16), low + 16);
}

/**
 * Who a client span calls, lowercased: `peer.service`, `server.address`, `net.peer.name` and the
 * host of `url.full` / `http.url` (OTel semantic conventions, current and pre-1.21 names).
 *
 * @example
 * peerNames(attrs({ 'url.full': 'http://Feature-Store:8080/x' })); // ['feature-store']
 */
export function peerNames(attributes: Attributes): string[] {
  const names = new Set<string>();
  for (const key of ['peer.service', 'server.address', 'net.peer.name']) {
    const value = attributes[key];
    if (typeof value === 'string' && value !== '') names.add(value.toLowerCase());
  }
  for (const key of ['url.full', 'http.url']) {
    const value = attributes[key];
    if (typeof value !== 'string') continue;
    try {
      const hostname = new URL(value).hostname;
      if (hostname !== '') names.add(hostname.toLowerCase());
    } catch {
      // Not an absolute URL: nothing to learn from it.
    }
  }
  return [...names];
}
