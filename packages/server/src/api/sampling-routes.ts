import {
  samplingStatsRegistry,
  type ServiceSamplingStats,
  type TailSamplingStats,
} from '../pipeline/processors/tail-sampling/sampling-stats.ts';
import { sendJson } from './http-io.ts';
import type { Router } from './router.ts';

/** One service's sampling across every tail_sampling processor, with what re-weighting needs. */
export interface ServiceSamplingSummary {
  tracesSeen: number;
  tracesKept: number;
  /** tracesKept / tracesSeen; 1 when nothing was decided yet. */
  keptShare: number;
  /** Multiply stored trace counts by this to estimate the traces that arrived (1 / keptShare). */
  traceWeight: number;
  keptByPolicy: Record<string, number>;
}

/**
 * GET /api/vigil/v1/sampling: what tail sampling kept, per service and per processor, so counts taken
 * from stored traces can be re-weighted (span metrics are computed before sampling and need none).
 * Each stored span also carries the policy that kept it (`tailsampling.policy`) and its
 * `sampling.adjusted_count`.
 */
export function registerSamplingRoutes(router: Router): void {
  router.get('/api/vigil/v1/sampling', 'vigil', ({ response }) => {
    const processors: Record<string, TailSamplingStats> = {};
    for (const [id, read] of samplingStatsRegistry) processors[id] = read();
    sendJson(response, 200, { data: { services: summarize(Object.values(processors)), processors } });
  });
}

export function summarize(all: readonly TailSamplingStats[]): Record<string, ServiceSamplingSummary> {
  const out: Record<string, ServiceSamplingSummary> = {};
  for (const stats of all) {
    for (const [service, counts] of Object.entries(stats.services)) add((out[service] ??= empty()), counts);
  }
  for (const summary of Object.values(out)) {
    summary.keptShare = summary.tracesSeen === 0 ? 1 : summary.tracesKept / summary.tracesSeen;
    summary.traceWeight = summary.tracesKept === 0 ? 0 : summary.tracesSeen / summary.tracesKept;
  }
  return out;
}

function empty(): ServiceSamplingSummary {
  return { tracesSeen: 0, tracesKept: 0, keptShare: 1, traceWeight: 1, keptByPolicy: {} };
}

function add(into: ServiceSamplingSummary, counts: ServiceSamplingStats): void {
  into.tracesSeen += counts.tracesSeen;
  into.tracesKept += counts.tracesKept;
  for (const [policy, traces] of Object.entries(counts.keptByPolicy))
    into.keptByPolicy[policy] = (into.keptByPolicy[policy] ?? 0) + traces;
}
