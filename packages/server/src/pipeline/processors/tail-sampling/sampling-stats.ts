import { selfMetrics } from '../../../telemetry/self-metrics.ts';
import type { Verdict } from './decision.ts';

/** What one service's traces went through in one tail_sampling processor since it started. */
export interface ServiceSamplingStats {
  /** Traces decided (on time, evicted early, or at shutdown). */
  tracesSeen: number;
  tracesKept: number;
  /** Spans of decided traces, plus late spans. */
  spansSeen: number;
  spansKept: number;
  /** Kept traces by the policy credited with keeping them. */
  keptByPolicy: Record<string, number>;
  /** Traces decided before decision_wait because num_traces was reached. */
  evicted: number;
  /** Spans that came after their trace was decided and followed the cached decision. */
  lateSpans: number;
}

/**
 * A tail_sampling processor's sampling, per service: a trace counts for its root span's service, or
 * its first span's when the root has not arrived.
 */
export interface TailSamplingStats {
  /** Traces waiting for their decision now. */
  pendingTraces: number;
  services: Record<string, ServiceSamplingStats>;
}

/**
 * Every running tail_sampling processor's stats, by processor id (`tail_sampling`,
 * `tail_sampling/ml`; a second pipeline's instance of one id gets `#2`), for
 * GET /api/vigil/v1/sampling. Instances remove themselves on shutdown.
 */
export const samplingStatsRegistry = new Map<string, () => TailSamplingStats>();

/** Registers `read` under `processorId` (suffixed when taken); returns the key used. */
export function registerSamplingStats(processorId: string, read: () => TailSamplingStats): string {
  let key = processorId;
  for (let n = 2; samplingStatsRegistry.has(key); n++) key = `${processorId}#${n}`;
  samplingStatsRegistry.set(key, read);
  return key;
}

/** Beyond this many services, the rest are counted together so memory stays bounded. */
export const MAX_SERVICES = 1000;
export const OTHER_SERVICES = '_other';

/** The mutable per-service counts behind `stats()`. */
export class SamplingStatsBook {
  private readonly services = new Map<string, ServiceSamplingStats>();

  forService(serviceName: string): ServiceSamplingStats {
    let stats = this.services.get(serviceName);
    if (stats) return stats;
    const name = this.services.size >= MAX_SERVICES ? OTHER_SERVICES : serviceName;
    stats = this.services.get(name);
    if (!stats) {
      stats = emptyStats();
      this.services.set(name, stats);
    }
    return stats;
  }

  recordDecision(stats: ServiceSamplingStats, verdict: Verdict, spanCount: number, evicted: boolean): void {
    stats.tracesSeen++;
    stats.spansSeen += spanCount;
    if (evicted) stats.evicted++;
    if (verdict.kind !== 'sampled') return;
    stats.tracesKept++;
    stats.spansKept += spanCount;
    const policy = verdict.reason.policyName;
    stats.keptByPolicy[policy] = (stats.keptByPolicy[policy] ?? 0) + 1;
  }

  recordLateSpan(stats: ServiceSamplingStats, kept: boolean): void {
    stats.lateSpans++;
    stats.spansSeen++;
    if (kept) stats.spansKept++;
  }

  snapshot(): Record<string, ServiceSamplingStats> {
    const out: Record<string, ServiceSamplingStats> = {};
    for (const [name, stats] of this.services) out[name] = { ...stats, keptByPolicy: { ...stats.keptByPolicy } };
    return out;
  }
}

function emptyStats(): ServiceSamplingStats {
  return {
    tracesSeen: 0,
    tracesKept: 0,
    spansSeen: 0,
    spansKept: 0,
    keptByPolicy: Object.create(null) as Record<string, number>,
    evicted: 0,
    lateSpans: 0,
  };
}

const tracesTotal = selfMetrics.counter(
  'vigil_tail_sampling_traces_total',
  'Traces decided by tail_sampling, by processor and decision (sampled, not_sampled, dropped).',
);
const evictedTotal = selfMetrics.counter(
  'vigil_tail_sampling_evicted_traces_total',
  'Traces tail_sampling decided before decision_wait because num_traces was reached, by processor.',
);
const lateSpansTotal = selfMetrics.counter(
  'vigil_tail_sampling_late_spans_total',
  'Spans that arrived after their trace was decided and followed the cached decision, by processor and decision.',
);
const forwardFailedTotal = selfMetrics.counter(
  'vigil_tail_sampling_forward_failed_spans_total',
  'Kept spans tail_sampling dropped because the next consumer refused them, by processor.',
);

/**
 * Counts in plain fields on the hot path and adds them to the process counters once per tick
 * (Counter.inc builds a label key per call: too slow per span).
 */
export class SamplingCounters {
  sampled = 0;
  notSampled = 0;
  dropped = 0;
  evicted = 0;
  lateSampled = 0;
  lateNotSampled = 0;

  constructor(private readonly processorId: string) {}

  countDecision(verdict: Verdict): void {
    if (verdict.kind === 'sampled') this.sampled++;
    else if (verdict.kind === 'dropped') this.dropped++;
    else this.notSampled++;
  }

  countForwardFailure(spanCount: number): void {
    add(forwardFailedTotal, { processor: this.processorId }, spanCount);
  }

  publish(): void {
    const processor = this.processorId;
    add(tracesTotal, { processor, decision: 'sampled' }, this.sampled);
    add(tracesTotal, { processor, decision: 'not_sampled' }, this.notSampled);
    add(tracesTotal, { processor, decision: 'dropped' }, this.dropped);
    add(evictedTotal, { processor }, this.evicted);
    add(lateSpansTotal, { processor, decision: 'sampled' }, this.lateSampled);
    add(lateSpansTotal, { processor, decision: 'not_sampled' }, this.lateNotSampled);
    this.sampled = this.notSampled = this.dropped = this.evicted = this.lateSampled = this.lateNotSampled = 0;
  }
}

/** The process counters this processor adds to (self-metrics on /metrics). */
export const tailSamplingMetrics = {
  tracesTotal,
  evictedTotal,
  lateSpansTotal,
  forwardFailedTotal,
} as const;

function add(counter: typeof tracesTotal, labels: Record<string, string>, by: number): void {
  if (by > 0) counter.inc(labels, by);
}
