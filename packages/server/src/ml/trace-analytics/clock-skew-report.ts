import type { Span } from '../../model/span.ts';
import { calculateSkewNanos } from '../../query/traces/clock-skew.ts';
import type { TraceSpanNode } from '../../query/traces/trace-tree.ts';
import { sampleTraces, type SampleInfo, type TraceSampleOptions, type TraceSource, type WeightedTrace } from './trace-sample.ts';
import { weightedQuantile } from './weighted-stats.ts';

/**
 * Which hosts' clocks are off, from parent → child span pairs that cross hosts. Each pair gives
 * Jaeger's skew estimate (query/traces/clock-skew.ts calculateSkewNanos: the shift that centres the
 * child in its parent, assuming the network takes equally long each way), read as "the child's
 * host clock minus the parent's". A pair only says two clocks disagree, not whose is wrong: host
 * offsets are solved by least squares over the host graph (each host pair's median estimate, weighted
 * by its pair count) and anchored so the median host of each connected group is 0 (most clocks are
 * right). With two hosts the blame is a coin toss; with three or more the odd one out carries it.
 *
 * The estimate is 0 when a child fits inside its parent, so skew smaller than a call's network
 * slack is invisible: the report is a lower bound, which is why hosts are flagged only past a
 * threshold.
 */

export interface ClockSkewReportOptions {
  /** Flag hosts whose median skew exceeds this (default 50 ms). */
  thresholdMs?: number;
}

export interface HostSkew {
  /** resource host.name, else service.instance.id, else service.name (query/traces/host-key.ts). */
  host: string;
  services: string[];
  /** Cross-host parent → child pairs this host is in. */
  pairs: number;
  /** Median over its pairs of (this host's clock − the peer's) + the peer's offset: ahead > 0. */
  medianSkewMs: number;
  /** 90th percentile of the magnitude of those estimates. */
  p90AbsSkewMs: number;
  /** The least-squares offset (see above). */
  offsetMs: number;
  flagged: boolean;
}

export interface ClockSkewReport {
  thresholdMs: number;
  tracesAnalysed: number;
  crossHostPairs: number;
  /** Flagged first, then by |medianSkewMs|. */
  hosts: HostSkew[];
}

interface PairSample {
  parentHost: string;
  childHost: string;
  /** childHost clock − parentHost clock. */
  skewMs: number;
}

/**
 * Per host: median and p90 skew over cross-host pairs, flagged past the threshold.
 *
 * @example
 * const report = analyzeClockSkew(sample.traces, { thresholdMs: 50 });
 * report.hosts.filter((host) => host.flagged); // [{ host: 'gpu-node-1', medianSkewMs: 250.3, ... }]
 */
export function analyzeClockSkew(traces: readonly WeightedTrace[], options: ClockSkewReportOptions = {}): ClockSkewReport {
  const thresholdMs = options.thresholdMs ?? 50;
  const { samples, services } = crossHostPairs(traces);
  const offsets = solveOffsets(samples);
  const perHost = new Map<string, number[]>();
  const add = (host: string, estimateMs: number): void => {
    const estimates = perHost.get(host) ?? [];
    estimates.push(estimateMs);
    perHost.set(host, estimates);
  };
  for (const { parentHost, childHost, skewMs } of samples) {
    add(childHost, skewMs + offsets.get(parentHost)!);
    add(parentHost, -skewMs + offsets.get(childHost)!);
  }
  const hosts = [...perHost].map(([key, estimates]): HostSkew => {
    const ones = estimates.map(() => 1);
    const medianSkewMs = weightedQuantile(estimates, ones, 0.5)!;
    return {
      host: key.slice(key.indexOf('=') + 1),
      services: [...(services.get(key) ?? [])].sort(),
      pairs: estimates.length,
      medianSkewMs,
      p90AbsSkewMs: weightedQuantile(estimates.map(Math.abs), ones, 0.9)!,
      offsetMs: offsets.get(key)!,
      flagged: Math.abs(medianSkewMs) > thresholdMs,
    };
  });
  hosts.sort((a, b) => Number(b.flagged) - Number(a.flagged) || Math.abs(b.medianSkewMs) - Math.abs(a.medianSkewMs));
  return { thresholdMs, tracesAnalysed: traces.length, crossHostPairs: samples.length, hosts };
}

/** Samples traces (assembled without adjustment) and analyses them (see analyzeClockSkew). */
export async function clockSkewReport(
  store: TraceSource,
  options: TraceSampleOptions & ClockSkewReportOptions,
): Promise<ClockSkewReport & SampleInfo> {
  const sample = await sampleTraces(store, { ...options, clockSkew: false });
  return { ...analyzeClockSkew(sample.traces, options), range: sample.range, truncated: sample.truncated };
}

/** Pairs on raw timestamps (an adjusted trace has already hidden its skew). */
function crossHostPairs(traces: readonly WeightedTrace[]): { samples: PairSample[]; services: Map<string, Set<string>> } {
  const samples: PairSample[] = [];
  const services = new Map<string, Set<string>>();
  for (const { trace } of traces) {
    for (const node of trace.spans) {
      services.set(node.hostKey, (services.get(node.hostKey) ?? new Set()).add(node.span.resource.serviceName));
      const parent = node.parent;
      if (!parent || parent.hostKey === node.hostKey) continue;
      const skewNanos = calculateSkewNanos(rawSpan(node), rawSpan(parent));
      samples.push({ parentHost: parent.hostKey, childHost: node.hostKey, skewMs: -Number(skewNanos) / 1e6 });
    }
  }
  return { samples, services };
}

function rawSpan(node: TraceSpanNode): Span {
  return { ...node.span, startTimeUnixNano: node.originalStartTimeUnixNano, endTimeUnixNano: node.originalEndTimeUnixNano };
}

interface HostEdge {
  from: string;
  to: string;
  /** to's clock − from's clock: the median of the pair estimates. */
  skewMs: number;
  pairs: number;
}

/**
 * Host offsets o minimising Σ pairs · (o_to − o_from − skew)² (Gauss–Seidel on the graph Laplacian),
 * then shifted so each connected group's (lower) median host is 0.
 */
function solveOffsets(samples: readonly PairSample[]): Map<string, number> {
  const edges = hostEdges(samples);
  const offsets = new Map<string, number>();
  for (const { from, to } of edges) offsets.set(from, 0).set(to, 0);
  for (let iteration = 0; iteration < 200; iteration++) {
    for (const host of offsets.keys()) {
      let sum = 0;
      let weight = 0;
      for (const edge of edges) {
        if (edge.to === host) sum += edge.pairs * (offsets.get(edge.from)! + edge.skewMs);
        else if (edge.from === host) sum += edge.pairs * (offsets.get(edge.to)! - edge.skewMs);
        else continue;
        weight += edge.pairs;
      }
      offsets.set(host, sum / weight);
    }
  }
  for (const group of connectedGroups(edges)) {
    const values = group.map((host) => offsets.get(host)!);
    const median = weightedQuantile(values, values.map(() => 1), 0.5)!;
    for (const host of group) offsets.set(host, offsets.get(host)! - median);
  }
  return offsets;
}

function hostEdges(samples: readonly PairSample[]): HostEdge[] {
  const byPair = new Map<string, { from: string; to: string; skews: number[] }>();
  for (const { parentHost, childHost, skewMs } of samples) {
    const [from, to] = parentHost < childHost ? [parentHost, childHost] : [childHost, parentHost];
    const key = `${from}\u0000${to}`;
    const entry = byPair.get(key) ?? { from, to, skews: [] };
    entry.skews.push(from === parentHost ? skewMs : -skewMs);
    byPair.set(key, entry);
  }
  return [...byPair.values()].map(({ from, to, skews }) => ({
    from,
    to,
    skewMs: weightedQuantile(skews, skews.map(() => 1), 0.5)!,
    pairs: skews.length,
  }));
}

function connectedGroups(edges: readonly HostEdge[]): string[][] {
  const neighbours = new Map<string, string[]>();
  for (const { from, to } of edges) {
    neighbours.set(from, [...(neighbours.get(from) ?? []), to]);
    neighbours.set(to, [...(neighbours.get(to) ?? []), from]);
  }
  const seen = new Set<string>();
  const groups: string[][] = [];
  for (const start of neighbours.keys()) {
    if (seen.has(start)) continue;
    const group: string[] = [];
    const stack = [start];
    seen.add(start);
    for (let host = stack.pop(); host !== undefined; host = stack.pop()) {
      group.push(host);
      for (const next of neighbours.get(host)!) {
        if (seen.has(next)) continue;
        seen.add(next);
        stack.push(next);
      }
    }
    groups.push(group);
  }
  return groups;
}
