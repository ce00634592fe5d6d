/**
 * GPU metrics from `nvidia-smi`, named and labelled as NVIDIA's dcgm-exporter does
 * (`DCGM_FI_DEV_*`, labels `gpu`, `UUID`, `device`, `modelName`; seed: "NVIDIA DCGM Exporter"), for
 * hosts that run a model but no DCGM exporter.
 *
 * Sampling happens when the metric reader collects (an async batch observable callback), not on
 * a timer: no work while nobody exports, and nothing blocks the event loop. `intervalMillis` is the
 * longest a sample is reused, so several readers or fast collects run nvidia-smi at most that often.
 * Failures never throw to the caller (STYLE.md "Hot paths never throw"): they are counted in
 * `failedSamples` and the gauges report nothing for that collect.
 */
import type { BatchObservableResult, Meter, ObservableGauge } from '@opentelemetry/api';
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { NVIDIA_SMI_QUERY_FIELDS, parseNvidiaSmiCsv, type GpuSample } from './nvidia-smi-csv.ts';

export interface GpuSamplerOptions {
  /** Path of the nvidia-smi executable; default: found on PATH. */
  nvidiaSmiPath?: string;
  /** Longest a sample is reused across collects; default 5000. */
  intervalMillis?: number;
  /** Longest one nvidia-smi run may take; default 5000. */
  timeoutMillis?: number;
}

export interface GpuSampler {
  /** Whether nvidia-smi was found; when false no gauges are registered. */
  available: boolean;
  /** Unregisters the gauges' callback. */
  stop(): void;
  /** Samples that failed (nvidia-smi error, timeout or unparseable output). */
  readonly failedSamples: number;
}

/** DCGM field name → the GpuSample field it reports, with dcgm-exporter's unit. */
const DCGM_GAUGES: readonly (readonly [name: string, field: keyof GpuSample['values'], description: string])[] = [
  ['DCGM_FI_DEV_GPU_UTIL', 'utilizationGpuPercent', 'GPU utilization (in %).'],
  ['DCGM_FI_DEV_MEM_COPY_UTIL', 'utilizationMemoryPercent', 'Memory utilization (in %).'],
  ['DCGM_FI_DEV_FB_USED', 'memoryUsedMib', 'Framebuffer memory used (in MiB).'],
  ['DCGM_FI_DEV_FB_FREE', 'memoryFreeMib', 'Framebuffer memory free (in MiB).'],
  ['DCGM_FI_DEV_GPU_TEMP', 'temperatureCelsius', 'GPU temperature (in C).'],
  ['DCGM_FI_DEV_POWER_USAGE', 'powerDrawWatts', 'Power draw (in W).'],
  ['DCGM_FI_DEV_SM_CLOCK', 'smClockMhz', 'SM clock frequency (in MHz).'],
  ['DCGM_FI_DEV_MEM_CLOCK', 'memoryClockMhz', 'Memory clock frequency (in MHz).'],
];

/**
 * Registers DCGM-named GPU gauges on `meter`, read from nvidia-smi when it exists.
 *
 * @example
 * const gpu = startGpuSampler(sdk.meter);
 * if (!gpu.available) sdk.logger.emit({ body: 'no nvidia-smi: GPU metrics off' });
 * // on shutdown
 * gpu.stop();
 */
export function startGpuSampler(meter: Meter, options: GpuSamplerOptions = {}): GpuSampler {
  const executable = options.nvidiaSmiPath ?? findOnPath('nvidia-smi');
  if (executable === undefined || !isExecutable(executable)) {
    return { available: false, stop: () => {}, failedSamples: 0 };
  }
  const intervalMillis = options.intervalMillis ?? 5000;
  const timeoutMillis = options.timeoutMillis ?? 5000;
  const gauges = DCGM_GAUGES.map(([name, , description]) => meter.createObservableGauge(name, { description }));
  let cached: { samples: GpuSample[]; takenAtMillis: number } | undefined;
  const state = { failedSamples: 0 };

  const observe = async (result: BatchObservableResult): Promise<void> => {
    if (cached === undefined || performance.now() - cached.takenAtMillis >= intervalMillis) {
      const samples = await sampleGpus(executable, timeoutMillis);
      if (samples === undefined) {
        state.failedSamples++;
        cached = undefined;
        return;
      }
      cached = { samples, takenAtMillis: performance.now() };
    }
    reportSamples(result, gauges, cached.samples);
  };
  meter.addBatchObservableCallback(observe, gauges);
  return {
    available: true,
    stop: () => meter.removeBatchObservableCallback(observe, gauges),
    get failedSamples() {
      return state.failedSamples;
    },
  };
}

function reportSamples(result: BatchObservableResult, gauges: ObservableGauge[], samples: GpuSample[]): void {
  for (const sample of samples) {
    const labels = { gpu: sample.index, UUID: sample.uuid, device: `nvidia${sample.index}`, modelName: sample.name };
    DCGM_GAUGES.forEach(([, field], position) => {
      const value = sample.values[field];
      const gauge = gauges[position];
      // nvidia-smi prints "[N/A]" for fields a GPU does not support: report nothing rather than 0.
      if (value !== undefined && gauge !== undefined) result.observe(gauge, value, labels);
    });
  }
}

/** One nvidia-smi run; undefined on any failure (the caller counts it). */
function sampleGpus(executable: string, timeoutMillis: number): Promise<GpuSample[] | undefined> {
  const args = [`--query-gpu=${NVIDIA_SMI_QUERY_FIELDS.join(',')}`, '--format=csv,noheader,nounits'];
  return new Promise((resolve) => {
    execFile(executable, args, { timeout: timeoutMillis, encoding: 'utf8' }, (error, stdout) => {
      if (error !== null) {
        resolve(undefined);
        return;
      }
      const samples = parseNvidiaSmiCsv(stdout);
      resolve(samples.length === 0 ? undefined : samples);
    });
  });
}

function findOnPath(command: string): string | undefined {
  for (const directory of (process.env['PATH'] ?? '').split(delimiter)) {
    if (directory === '') continue;
    const candidate = join(directory, command);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
