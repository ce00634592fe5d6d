import { SpanKind } from '../../model/span.ts';
import type { TraceSpanNode } from '../../query/traces/trace-tree.ts';
import {
  nanosToMs,
  requestRoot,
  sampleTraces,
  type SampleInfo,
  type TraceSampleOptions,
  type TraceSource,
  type WeightedTrace,
} from './trace-sample.ts';
import { weightedMean, weightedQuantile } from './weighted-stats.ts';

/**
 * "The Tail at Scale" (Dean & Barroso, CACM 56(2), 2013): a request that waits on n independent
 * calls, each slower than its own p99 1% of the time, meets at least one such call with probability
 * 1 − 0.99ⁿ (63% at n = 100). This report puts that expectation beside what the traces show, and
 * names the hops that make up an endpoint's p99.
 */

export interface TailAtScaleOptions {
  /** The tail quantile (default 0.99). */
  quantile?: number;
  /** Endpoints reported, most requests first (default 50). */
  maxEndpoints?: number;
  /** Hops reported per endpoint, largest share of the tail first (default 50). */
  maxHops?: number;
}

export interface HopTail {
  service: string;
  spanName: string;
  /** Weighted share of the endpoint's requests that call this hop at least once. */
  presence: number;
  /** Weighted mean calls per request. */
  callsPerRequest: number;
  /** The hop's own tail quantile of its call durations. */
  tailMs: number;
  /** Mean over requests at or above the endpoint's tail quantile of Σ this hop's durations / root duration. */
  shareOfEndpointTail: number;
  /** Weighted share of requests with at least one call of this hop above `tailMs`. */
  tailHopRequestShare: number;
}

export interface EndpointTail {
  service: string;
  spanName: string;
  traces: number;
  /** Requests the traces stand for (Σ weights). */
  requests: number;
  tailMs: number;
  /** Hops (remote calls) per request: weighted median, mean, and distribution. */
  hopsPerRequest: { median: number; mean: number; distribution: { hops: number; share: number }[] };
  /** Weighted share of requests with at least one hop above that hop's own tail quantile. */
  observedTailHopShare: number;
  /** Mean over requests of 1 − qⁿ with n the request's hops (Dean & Barroso's independence model). */
  expectedTailHopShare: number;
  /** 1 − q^median(n). */
  expectedAtTypicalHops: number;
  hops: HopTail[];
}

export interface TailAtScaleReport {
  quantile: number;
  tracesAnalysed: number;
  /** Traces without a true root (only orphans): not a request of any endpoint. */
  tracesWithoutRoot: number;
  endpoints: EndpointTail[];
}

interface HopCall {
  key: string;
  durationMs: number;
}

interface EndpointRequest {
  weight: number;
  rootMs: number;
  calls: HopCall[];
}

/**
 * Per endpoint (root service + root span name): typical fan-out, each hop's tail and its share of
 * the endpoint's tail, and observed vs expected share of requests that meet a tail hop.
 *
 * @example
 * const report = analyzeTailAtScale(sample.traces, { quantile: 0.99 });
 * report.endpoints[0]?.hops[0]?.shareOfEndpointTail; // 0.93: this hop is most of the p99
 */
export function analyzeTailAtScale(
  traces: readonly WeightedTrace[],
  options: TailAtScaleOptions = {},
): TailAtScaleReport {
  const quantile = options.quantile ?? 0.99;
  const byEndpoint = new Map<string, EndpointRequest[]>();
  let tracesWithoutRoot = 0;
  for (const { trace, weight } of traces) {
    const root = requestRoot(trace);
    if (!root) {
      tracesWithoutRoot++;
      continue;
    }
    const key = hopKey(root);
    const requests = byEndpoint.get(key) ?? [];
    requests.push({ weight, rootMs: durationMs(root), calls: hopsBelow(root) });
    byEndpoint.set(key, requests);
  }
  const endpoints = [...byEndpoint]
    .map(([key, requests]) => endpointTail(key, requests, quantile, options.maxHops ?? 50))
    .sort((a, b) => b.requests - a.requests)
    .slice(0, options.maxEndpoints ?? 50);
  return { quantile, tracesAnalysed: traces.length, tracesWithoutRoot, endpoints };
}

/** Samples traces from the store and analyses them (see analyzeTailAtScale). */
export async function tailAtScale(
  store: TraceSource,
  options: TraceSampleOptions & TailAtScaleOptions,
): Promise<TailAtScaleReport & SampleInfo> {
  const sample = await sampleTraces(store, options);
  return { ...analyzeTailAtScale(sample.traces, options), range: sample.range, truncated: sample.truncated };
}

/**
 * The remote calls a request waits for: SERVER/CONSUMER spans below the root entered from another
 * process (their parent is a CLIENT/PRODUCER span, or belongs to another service).
 */
export function hopsBelow(root: TraceSpanNode): HopCall[] {
  const calls: HopCall[] = [];
  const stack = [...root.children];
  for (let node = stack.pop(); node; node = stack.pop()) {
    stack.push(...node.children);
    if (isHop(node)) calls.push({ key: hopKey(node), durationMs: durationMs(node) });
  }
  return calls;
}

function isHop(node: TraceSpanNode): boolean {
  const { kind } = node.span;
  if (kind !== SpanKind.SERVER && kind !== SpanKind.CONSUMER) return false;
  const parent = node.parent?.span;
  if (!parent) return false;
  return (
    parent.kind === SpanKind.CLIENT ||
    parent.kind === SpanKind.PRODUCER ||
    parent.resource.serviceName !== node.span.resource.serviceName
  );
}

function endpointTail(key: string, requests: EndpointRequest[], quantile: number, maxHops: number): EndpointTail {
  const weights = requests.map((request) => request.weight);
  const tailMs = weightedQuantile(requests.map((request) => request.rootMs), weights, quantile) ?? 0;
  const hopTailMs = hopQuantiles(requests, quantile);
  const tail = requests.filter((request) => request.rootMs >= tailMs);
  const hopCounts = requests.map((request) => request.calls.length);
  const meetsTailHop = requests.map((request) =>
    request.calls.some((call) => call.durationMs > hopTailMs.get(call.key)!) ? 1 : 0,
  );
  const hops = [...hopTailMs].map(([hop, hopMs]) => hopTail(hop, hopMs, requests, tail));
  const medianHops = weightedQuantile(hopCounts, weights, 0.5) ?? 0;
  return {
    ...splitKey(key),
    traces: requests.length,
    requests: weights.reduce((sum, weight) => sum + weight, 0),
    tailMs,
    hopsPerRequest: { median: medianHops, mean: weightedMean(hopCounts, weights)!, distribution: distribution(hopCounts, weights) },
    observedTailHopShare: weightedMean(meetsTailHop, weights)!,
    expectedTailHopShare: weightedMean(hopCounts.map((hops) => 1 - quantile ** hops), weights)!,
    expectedAtTypicalHops: 1 - quantile ** medianHops,
    hops: hops.sort((a, b) => b.shareOfEndpointTail - a.shareOfEndpointTail).slice(0, maxHops),
  };
}

function hopTail(hop: string, hopMs: number, requests: readonly EndpointRequest[], tail: readonly EndpointRequest[]): HopTail {
  const weights = requests.map((request) => request.weight);
  const calls = (request: EndpointRequest): HopCall[] => request.calls.filter((call) => call.key === hop);
  return {
    ...splitKey(hop),
    presence: weightedMean(requests.map((request) => (calls(request).length > 0 ? 1 : 0)), weights)!,
    callsPerRequest: weightedMean(requests.map((request) => calls(request).length), weights)!,
    tailMs: hopMs,
    shareOfEndpointTail:
      weightedMean(
        tail.map((request) => sumMs(calls(request)) / (request.rootMs || 1)),
        tail.map((request) => request.weight),
      ) ?? 0,
    tailHopRequestShare: weightedMean(
      requests.map((request) => (calls(request).some((call) => call.durationMs > hopMs) ? 1 : 0)),
      weights,
    )!,
  };
}

/** Each hop's tail quantile over all its calls, every call weighted by its trace's weight. */
function hopQuantiles(requests: readonly EndpointRequest[], quantile: number): Map<string, number> {
  const calls = new Map<string, { durations: number[]; weights: number[] }>();
  for (const request of requests) {
    for (const call of request.calls) {
      const entry = calls.get(call.key) ?? { durations: [], weights: [] };
      entry.durations.push(call.durationMs);
      entry.weights.push(request.weight);
      calls.set(call.key, entry);
    }
  }
  return new Map([...calls].map(([key, entry]) => [key, weightedQuantile(entry.durations, entry.weights, quantile)!]));
}

function distribution(hopCounts: readonly number[], weights: readonly number[]): { hops: number; share: number }[] {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const byCount = new Map<number, number>();
  hopCounts.forEach((hops, index) => byCount.set(hops, (byCount.get(hops) ?? 0) + weights[index]!));
  return [...byCount].sort(([a], [b]) => a - b).map(([hops, weight]) => ({ hops, share: weight / total }));
}

function hopKey(node: TraceSpanNode): string {
  return `${node.span.resource.serviceName}\u0000${node.span.name}`;
}

function splitKey(key: string): { service: string; spanName: string } {
  const separator = key.indexOf('\u0000');
  return { service: key.slice(0, separator), spanName: key.slice(separator + 1) };
}

function durationMs(node: TraceSpanNode): number {
  return nanosToMs(node.span.endTimeUnixNano - node.span.startTimeUnixNano);
}

function sumMs(calls: readonly HopCall[]): number {
  return calls.reduce((sum, call) => sum + call.durationMs, 0);
}
