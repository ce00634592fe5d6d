import type { KeySegment, ProblemCollector } from './problem.ts';
import { mapEntries, mapValue, scalarValue, seqItems } from './yaml-nodes.ts';

/** Discovery Vigil's scrape manager runs (receivers/prometheus/scrape/scrape-config.ts). */
const RUNNABLE_DISCOVERY = new Set(['static_configs', 'file_sd_configs']);

/** Why a discovery mechanism finds nothing here; the default names the mechanism. */
const DISCOVERY_REASON: Record<string, string> = {
  kubernetes_sd_configs: 'on this host (Vigil has no Kubernetes API client)',
};

/**
 * Notes for the prometheus receiver's scrape jobs that use service discovery Vigil cannot run
 * (every `*_sd_configs` but static and file): the job starts, but finds no targets through it.
 * Prometheus discovery configs are named `<mechanism>_sd_configs` (discovery/*, config.go).
 */
export function checkPrometheusReceiver(
  receiverConfig: unknown,
  keyPath: readonly KeySegment[],
  problems: ProblemCollector,
): void {
  const jobs = seqItems(mapValue(mapValue(receiverConfig, 'config'), 'scrape_configs')) ?? [];
  jobs.forEach((job, index) => {
    const jobName = scalarValue(mapValue(job, 'job_name'));
    const label = typeof jobName === 'string' ? `job ${jobName}` : `scrape config ${index}`;
    for (const entry of mapEntries(job) ?? []) {
      if (!entry.key.endsWith('_sd_configs') || RUNNABLE_DISCOVERY.has(entry.key)) continue;
      const mechanism = entry.key.slice(0, -'_sd_configs'.length);
      const reason =
        DISCOVERY_REASON[entry.key] ?? `(Vigil does not implement ${mechanism} service discovery)`;
      problems.note(
        entry.keyNode,
        [...keyPath, 'config', 'scrape_configs', index, entry.key],
        `${label}: ${entry.key} cannot discover targets ${reason}; use static_configs or file_sd_configs`,
      );
    }
  });
}
