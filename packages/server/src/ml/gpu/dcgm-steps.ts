/**
 * NVIDIA DCGM exporter series, per GPU and step. Metric and label names are dcgm-exporter's
 * (etc/default-counters.csv; labels gpu, UUID, Hostname, plus the scraper's `instance`), as the
 * demo's packages/demo/src/dcgm-exporter.ts serves them.
 */
import { isStaleNaN } from '../../query/promql/values.ts';
import type { PromSeriesSamples } from '../../model/prom-series.ts';
import type { DcgmSeriesSource } from './gpu-correlation-types.ts';

export const DCGM_SM_CLOCK = 'DCGM_FI_DEV_SM_CLOCK';
export const DCGM_GPU_TEMP = 'DCGM_FI_DEV_GPU_TEMP';
export const DCGM_FB_USED = 'DCGM_FI_DEV_FB_USED';
export const DCGM_FB_FREE = 'DCGM_FI_DEV_FB_FREE';
export const DCGM_GPU_UTIL = 'DCGM_FI_DEV_GPU_UTIL';
export const DCGM_POWER_USAGE = 'DCGM_FI_DEV_POWER_USAGE';

const DCGM_METRICS = [
  DCGM_SM_CLOCK,
  DCGM_GPU_TEMP,
  DCGM_FB_USED,
  DCGM_FB_FREE,
  DCGM_GPU_UTIL,
  DCGM_POWER_USAGE,
];

/** Steps `startMs + i·stepMs`, i < count, each covering [start, start + stepMs). */
export interface StepGrid {
  startMs: number;
  stepMs: number;
  count: number;
}

/** One GPU's DCGM readings per step of a grid; null where the step has no sample. */
export interface DcgmGpuSteps {
  host: string;
  gpu: string;
  uuid?: string;
  smClockMhz: (number | null)[];
  temperatureCelsius: (number | null)[];
  memoryUsedRatio: (number | null)[];
  utilizationPercent: (number | null)[];
  powerWatts: (number | null)[];
}

/**
 * Reads the DCGM series of the given hosts over the grid and reduces them per GPU and step: the
 * mean for SM clock, utilisation and power (what the step's requests saw on average), the
 * maximum for temperature and memory used ratio (slowdown and OOM happen at the peak). Memory used
 * ratio is FB_USED / (FB_USED + FB_FREE) of one scrape (equal timestamps). Stale markers and
 * other NaNs are skipped. A series' host is its `Hostname` label, else its `instance` without the
 * port.
 *
 * @example
 * const gpus = await readDcgmSteps(store, new Set(['gpu-node-1']), { startMs, stepMs: 60_000, count: 30 });
 */
export async function readDcgmSteps(
  source: DcgmSeriesSource,
  hosts: ReadonlySet<string>,
  grid: StepGrid,
): Promise<DcgmGpuSteps[]> {
  const matcher = { name: '__name__', type: '=~' as const, value: DCGM_METRICS.join('|') };
  const endMs = grid.startMs + grid.count * grid.stepMs;
  const series = await source.selectSeries([matcher], grid.startMs, endMs - 1);
  const accumulators = new Map<string, GpuAccumulator>();
  for (const one of series) {
    const host = seriesHost(one, hosts);
    const gpu = one.labels.get('gpu') ?? one.labels.get('UUID');
    if (host === undefined || gpu === undefined) continue;
    const key = `${host}\u0000${gpu}`;
    let accumulator = accumulators.get(key);
    if (!accumulator) accumulators.set(key, (accumulator = new GpuAccumulator(host, gpu, grid)));
    accumulator.add(one);
  }
  return [...accumulators.values()].map((accumulator) => accumulator.result());
}

function seriesHost(series: PromSeriesSamples, hosts: ReadonlySet<string>): string | undefined {
  const hostname = series.labels.get('Hostname');
  if (hostname !== undefined && hosts.has(hostname)) return hostname;
  const instance = series.labels.get('instance');
  if (instance === undefined) return undefined;
  // `host:port`, `[v6]:port` or a bare host.
  const host = instance.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
  return hosts.has(host) ? host : undefined;
}

/** Per-step sum, count and maximum of one metric. */
class StepStats {
  readonly sums: Float64Array;
  readonly counts: Uint32Array;
  readonly maxima: Float64Array;
  constructor(count: number) {
    this.sums = new Float64Array(count);
    this.counts = new Uint32Array(count);
    this.maxima = new Float64Array(count).fill(-Infinity);
  }
  add(step: number, value: number): void {
    this.sums[step] = (this.sums[step] ?? 0) + value;
    this.counts[step] = (this.counts[step] ?? 0) + 1;
    this.maxima[step] = Math.max(this.maxima[step] ?? -Infinity, value);
  }
  means(): (number | null)[] {
    return Array.from(this.sums, (sum, step) =>
      (this.counts[step] ?? 0) > 0 ? sum / (this.counts[step] ?? 1) : null,
    );
  }
  max(): (number | null)[] {
    return Array.from(this.maxima, (max, step) => ((this.counts[step] ?? 0) > 0 ? max : null));
  }
}

class GpuAccumulator {
  private uuid: string | undefined;
  private readonly stats = new Map<string, StepStats>();
  /** FB_USED and FB_FREE by scrape timestamp, paired into a ratio once all series are read. */
  private readonly memoryByTimeMs = new Map<number, { usedMib?: number; freeMib?: number }>();

  constructor(
    private readonly host: string,
    private readonly gpu: string,
    private readonly grid: StepGrid,
  ) {}

  add(series: PromSeriesSamples): void {
    this.uuid ??= series.labels.get('UUID');
    const metric = series.labels.get('__name__') ?? '';
    for (let i = 0; i < series.timestampsMs.length; i++) {
      const timeMs = series.timestampsMs[i] ?? NaN;
      const value = series.values[i] ?? NaN;
      if (isStaleNaN(value) || !Number.isFinite(value)) continue;
      const step = Math.floor((timeMs - this.grid.startMs) / this.grid.stepMs);
      if (!(step >= 0 && step < this.grid.count)) continue;
      if (metric === DCGM_FB_USED || metric === DCGM_FB_FREE) this.addMemory(metric, timeMs, value);
      else this.statsOf(metric).add(step, value);
    }
  }

  result(): DcgmGpuSteps {
    const memory = new StepStats(this.grid.count);
    for (const [timeMs, { usedMib, freeMib }] of this.memoryByTimeMs) {
      if (usedMib === undefined || freeMib === undefined || usedMib + freeMib <= 0) continue;
      memory.add(Math.floor((timeMs - this.grid.startMs) / this.grid.stepMs), usedMib / (usedMib + freeMib));
    }
    const steps: DcgmGpuSteps = {
      host: this.host,
      gpu: this.gpu,
      smClockMhz: this.statsOf(DCGM_SM_CLOCK).means(),
      temperatureCelsius: this.statsOf(DCGM_GPU_TEMP).max(),
      memoryUsedRatio: memory.max(),
      utilizationPercent: this.statsOf(DCGM_GPU_UTIL).means(),
      powerWatts: this.statsOf(DCGM_POWER_USAGE).means(),
    };
    if (this.uuid !== undefined) steps.uuid = this.uuid;
    return steps;
  }

  private addMemory(metric: string, timeMs: number, valueMib: number): void {
    const scrape = this.memoryByTimeMs.get(timeMs) ?? {};
    if (metric === DCGM_FB_USED) scrape.usedMib = valueMib;
    else scrape.freeMib = valueMib;
    this.memoryByTimeMs.set(timeMs, scrape);
  }

  private statsOf(metric: string): StepStats {
    let stats = this.stats.get(metric);
    if (!stats) this.stats.set(metric, (stats = new StepStats(this.grid.count)));
    return stats;
  }
}
