/**
 * The synthetic world of the GPU correlation tests: the demo's fraud model, v3.1.0 on GPU 0 and
 * v3.2.0 on GPU 1 of gpu-node-1, with dcgm-exporter scrapes every 15 s and a p99 timeline per
 * version, healthy unless a test injects an effect. Noise, when asked for, comes from a seeded PRNG.
 */
import type { LatencyPoint, ModelPlacement, RangeMs } from '../ml-types.ts';
import {
  DCGM_FB_FREE,
  DCGM_FB_USED,
  DCGM_GPU_TEMP,
  DCGM_GPU_UTIL,
  DCGM_POWER_USAGE,
  DCGM_SM_CLOCK,
} from './dcgm-steps.ts';
import { correlateGpuLatency } from './gpu-correlation.ts';
import type { GpuCorrelationReport, LatencyTimelineSource } from './gpu-correlation-types.ts';
import { seededRandom } from '../stats/random.ts';
import { dcgmLabels, MemoryDcgmSource, timesBetween } from './gpu-test-fixtures.ts';

export const STEP_MS = 60_000;
export const T0 = 1_700_000_000_000 - (1_700_000_000_000 % STEP_MS);
export const RANGE: RangeMs = { startMs: T0, endMs: T0 + 30 * STEP_MS };
/** The injection time: step 15 of the range. */
export const T = T0 + 15 * STEP_MS;
export const FB_TOTAL_MIB = 40_000;
export const MODEL = 'fraud-model';
export const PLACEMENTS: ModelPlacement[] = [
  { model: MODEL, version: 'v3.1.0', host: 'gpu-node-1', gpus: ['0'] },
  { model: MODEL, version: 'v3.2.0', host: 'gpu-node-1', gpus: ['1'] },
];
export const BASE_P99_MS: Record<string, number> = { 'v3.1.0': 40, 'v3.2.0': 45 };

export interface GpuReading {
  smClockMhz: number;
  temperatureCelsius: number;
  memoryUsedRatio: number;
  utilizationPercent: number;
  powerWatts: number;
}

export const HEALTHY: GpuReading = {
  smClockMhz: 1410,
  temperatureCelsius: 63,
  memoryUsedRatio: 0.465,
  utilizationPercent: 40,
  powerWatts: 245,
};

export interface World {
  /** Overrides of the healthy readings of a GPU at a time. */
  gpu?: (host: string, gpu: string, timeMs: number) => Partial<GpuReading>;
  /** p99 factor of a version in the step starting at a time (1 = unchanged). */
  p99Factor?: (version: string, stepStartMs: number) => number;
  hosts?: string[];
  /** Adds uniform noise: SM clock ±15 MHz, temperature ±1 °C, p99 ±5%. */
  noiseSeed?: number;
}

/** Whole MiB, as the exporter reports them: 0.95 → 38000 of 40000. */
export const usedMib = (reading: GpuReading): number => Math.round(reading.memoryUsedRatio * FB_TOTAL_MIB);

/** Steps [fromMs, fromMs + count steps). */
export const within = (timeMs: number, fromMs: number, steps = 5): boolean =>
  timeMs >= fromMs && timeMs < fromMs + steps * STEP_MS;

export function buildWorld(world: World): {
  source: MemoryDcgmSource;
  latency: LatencyTimelineSource;
  asked: RangeMs[];
} {
  const random = seededRandom(world.noiseSeed ?? 1);
  const noise = (amplitude: number): number =>
    world.noiseSeed === undefined ? 0 : amplitude * (2 * random() - 1);
  const source = new MemoryDcgmSource();
  // dcgm-exporter scraped every 15 s, 5 s into each quarter minute, from well before the grid.
  const times = timesBetween(T0 - 20 * STEP_MS + 5_000, RANGE.endMs + 5 * STEP_MS, 15_000);
  for (const host of world.hosts ?? ['gpu-node-1'])
    for (const gpu of ['0', '1']) {
      const reading = (timeMs: number): GpuReading => ({ ...HEALTHY, ...world.gpu?.(host, gpu, timeMs) });
      const add = (metric: string, valueAt: (timeMs: number) => number): void =>
        source.add(dcgmLabels(metric, gpu, host), times, valueAt);
      add(DCGM_SM_CLOCK, (timeMs) => reading(timeMs).smClockMhz + Math.round(noise(1.49)) * 15);
      add(DCGM_GPU_TEMP, (timeMs) => reading(timeMs).temperatureCelsius + noise(1));
      add(DCGM_FB_USED, (timeMs) => usedMib(reading(timeMs)));
      add(DCGM_FB_FREE, (timeMs) => FB_TOTAL_MIB - usedMib(reading(timeMs)));
      add(DCGM_GPU_UTIL, (timeMs) => reading(timeMs).utilizationPercent);
      add(DCGM_POWER_USAGE, (timeMs) => reading(timeMs).powerWatts);
    }
  const asked: RangeMs[] = [];
  const latency: LatencyTimelineSource = (key, range, stepMs) => {
    asked.push(range);
    const points: LatencyPoint[] = [];
    for (let startMs = range.startMs; startMs < range.endMs; startMs += stepMs) {
      const factor = world.p99Factor?.(key.version, startMs) ?? 1;
      const p99Ms = (BASE_P99_MS[key.version] ?? 50) * factor * (1 + noise(0.05));
      points.push({ startMs, endMs: startMs + stepMs, requests: 600, p50Ms: p99Ms / 2, p99Ms });
    }
    return Promise.resolve(points);
  };
  return { source, latency, asked };
}

export async function correlate(world: World, placements = PLACEMENTS): Promise<GpuCorrelationReport> {
  const { source, latency } = buildWorld(world);
  return correlateGpuLatency(source, latency, { range: RANGE, stepMs: STEP_MS, placements });
}

/** GPU 1 throttles to 990 MHz for five steps from T (the demo's A100 throttling point). */
export const throttledGpu1 = (_host: string, gpu: string, timeMs: number): Partial<GpuReading> =>
  gpu === '1' && within(timeMs, T) ? { smClockMhz: 990 } : {};

/** Latency grows with the clock slowdown, 1410 / 990, for a version over five steps from T. */
export const slowerWhileThrottled =
  (slowVersion: string) =>
  (version: string, stepStartMs: number): number =>
    version === slowVersion && within(stepStartMs, T) ? 1410 / 990 : 1;
