/**
 * GPU trouble per step: an SM clock drop against the clock's own trailing median, memory pressure
 * and high temperature against fixed thresholds (gpu-correlation-types.ts documents the defaults).
 */
import type { DcgmGpuSteps } from './dcgm-steps.ts';
import type { GpuCorrelationThresholds, GpuTroubleKind, GpuTroubleSignal } from './gpu-correlation-types.ts';
import { trailingMedian } from './step-baseline.ts';

/**
 * The trouble signals of every step of one GPU (an empty list where there is none). Under thermal
 * or power capping NVIDIA lowers the SM clock ("clocks event reasons", NVML
 * nvmlDeviceGetCurrentClocksEventReasons), so a clock drop is compared with the GPU's own recent
 * clock rather than a fixed MHz: boost clocks differ between GPU models.
 *
 * @example
 * const signals = troubleSignalsPerStep(gpuSteps, stepStartMs, DEFAULT_GPU_CORRELATION_THRESHOLDS);
 */
export function troubleSignalsPerStep(
  gpu: DcgmGpuSteps,
  stepStartMs: (step: number) => number,
  thresholds: GpuCorrelationThresholds,
): GpuTroubleSignal[][] {
  return gpu.smClockMhz.map((clockMhz, step) => {
    const signals: GpuTroubleSignal[] = [];
    const signal = (kind: GpuTroubleKind, value: number, reference: number, magnitude: number): void => {
      signals.push({
        kind,
        host: gpu.host,
        gpu: gpu.gpu,
        atMs: stepStartMs(step),
        value,
        reference,
        magnitude,
      });
    };
    const baselineMhz = trailingMedian(
      gpu.smClockMhz,
      step,
      thresholds.baselineSteps,
      thresholds.minBaselineSteps,
    );
    if (clockMhz !== null && baselineMhz !== null && baselineMhz > 0) {
      const dropRatio = 1 - clockMhz / baselineMhz;
      if (dropRatio > thresholds.smClockDropRatio) signal('sm_clock_drop', clockMhz, baselineMhz, dropRatio);
    }
    const usedRatio = gpu.memoryUsedRatio[step] ?? null;
    if (usedRatio !== null && usedRatio > thresholds.memoryUsedRatio)
      signal(
        'memory_pressure',
        usedRatio,
        thresholds.memoryUsedRatio,
        usedRatio - thresholds.memoryUsedRatio,
      );
    const celsius = gpu.temperatureCelsius[step] ?? null;
    if (celsius !== null && celsius > thresholds.temperatureCelsius)
      signal(
        'high_temperature',
        celsius,
        thresholds.temperatureCelsius,
        celsius - thresholds.temperatureCelsius,
      );
    return signals;
  });
}

/** The strongest signal per GPU and kind, ordered by host, GPU and kind. */
export function strongestSignals(signals: Iterable<GpuTroubleSignal>): GpuTroubleSignal[] {
  const strongest = new Map<string, GpuTroubleSignal>();
  for (const signal of signals) {
    const key = `${signal.host}\u0000${signal.gpu}\u0000${signal.kind}`;
    const known = strongest.get(key);
    if (!known || signal.magnitude > known.magnitude) strongest.set(key, signal);
  }
  return [...strongest.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, signal]) => signal);
}

/**
 * A signal in words.
 *
 * @example
 * describeSignal({ kind: 'sm_clock_drop', value: 990, reference: 1410, magnitude: 0.298, … });
 * // "SM clock 30% below baseline (1410 → 990 MHz)"
 */
export function describeSignal(signal: GpuTroubleSignal): string {
  switch (signal.kind) {
    case 'sm_clock_drop':
      return `SM clock ${percent(signal.magnitude)} below baseline (${round(signal.reference)} → ${round(signal.value)} MHz)`;
    case 'memory_pressure':
      return `memory ${percent(signal.value)} used (over ${percent(signal.reference)})`;
    case 'high_temperature':
      return `temperature ${round(signal.value)} °C (over ${round(signal.reference)} °C)`;
  }
}

export function percent(ratio: number): string {
  return `${Math.round(ratio * 100)}%`;
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}
