/**
 * DCGM exporter gauges for the PromQL benchmark data (the seed's dcp-metrics-included.csv): GPU
 * utilization, framebuffer used/free and temperature, 8 GPUs per host, with gpu/UUID/Hostname labels.
 */
import {
  newFamily,
  seriesOn,
  unit,
  type Grid,
  type Instance,
  type MetricFamily,
} from './promql-data-series.ts';

const GPUS_PER_HOST = 8;
/** H100 80GB framebuffer as DCGM reports it (MiB). */
const FB_TOTAL_MIB = 81_559;

/** Series per host: four gauges per GPU. */
export const GPU_SERIES_PER_INSTANCE = GPUS_PER_HOST * 4;

export function dcgmGauges(grid: Grid, instances: Instance[]): MetricFamily[] {
  const util = newFamily('DCGM_FI_DEV_GPU_UTIL', 'gauge', 'GPU utilization (%)');
  const used = newFamily('DCGM_FI_DEV_FB_USED', 'gauge', 'Framebuffer memory used (MiB)');
  const free = newFamily('DCGM_FI_DEV_FB_FREE', 'gauge', 'Framebuffer memory free (MiB)');
  const temp = newFamily('DCGM_FI_DEV_GPU_TEMP', 'gauge', 'GPU temperature (C)');
  for (const inst of instances) {
    for (let gpu = 0; gpu < GPUS_PER_HOST; gpu++) {
      const seed = 3_000_000 + inst.index * 10 + gpu;
      const gauges = gpuGauges(grid.stepCount, seed);
      const labels = {
        gpu: String(gpu),
        UUID: `GPU-${uuidPart(seed)}`,
        Hostname: inst.hostname,
        modelName: 'NVIDIA H100 80GB HBM3',
        instance: `${inst.hostname}:9400`,
        job: 'dcgm-exporter',
      };
      for (const [family, values] of [
        [util, gauges.util],
        [used, gauges.usedMib],
        [free, gauges.usedMib.map((mib) => FB_TOTAL_MIB - mib)],
        [temp, gauges.temperature],
      ] as const) {
        family.series.push(seriesOn(grid, 0, { __name__: family.name, ...labels }, values));
      }
    }
  }
  return [util, used, free, temp];
}

/** One GPU's utilization (%), framebuffer used (whole MiB) and temperature (°C), following its load. */
function gpuGauges(
  stepCount: number,
  seed: number,
): { util: Float64Array; usedMib: Float64Array; temperature: Float64Array } {
  const util = new Float64Array(stepCount);
  const usedMib = new Float64Array(stepCount);
  const temperature = new Float64Array(stepCount);
  for (let step = 0; step < stepCount; step++) {
    const wave = 0.55 + 0.35 * Math.sin((2 * Math.PI * step) / 240 + seed);
    const load = Math.min(1, Math.max(0, wave + 0.15 * (unit(seed, step) - 0.5)));
    // Fractional utilization and temperature keep topk free of ties (tie order is unspecified).
    util[step] = load * 100;
    usedMib[step] = Math.round(8_000 + 72_000 * load * (0.9 + 0.1 * unit(seed + 1, step)));
    temperature[step] = 38 + 45 * load + 3 * unit(seed + 2, step);
  }
  return { util, usedMib, temperature };
}

function uuidPart(seed: number): string {
  const hex = (salt: number, length: number): string =>
    Math.floor(unit(seed, salt) * 16 ** length)
      .toString(16)
      .padStart(length, '0');
  return `${hex(1, 8)}-${hex(2, 4)}-${hex(3, 4)}-${hex(4, 4)}-${hex(5, 8)}${hex(6, 4)}`;
}
