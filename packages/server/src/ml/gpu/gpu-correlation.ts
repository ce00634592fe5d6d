/**
 * GPU correlation: joins NVIDIA DCGM exporter metrics to the model versions served on each GPU and
 * tells apart latency rises that coincide with GPU trouble from those that do not. The seed's
 * motivation: "GPU thermal throttling reduces clock speeds by 20-30%, increasing inference latency
 * proportionally, but without GPU temperature metrics this correlation is invisible."
 */
import type { ModelPlacement } from '../ml-types.ts';
import { readDcgmSteps, type DcgmGpuSteps, type StepGrid } from './dcgm-steps.ts';
import {
  DEFAULT_GPU_CORRELATION_THRESHOLDS,
  type DcgmSeriesSource,
  type GpuCorrelationReport,
  type GpuCorrelationRequest,
  type GpuCorrelationThresholds,
  type GpuTimeline,
  type GpuTroubleEpisode,
  type GpuTroubleSignal,
  type LatencyRiseEvent,
  type LatencyTimelineSource,
} from './gpu-correlation-types.ts';
import { describeSignal, percent, strongestSignals, troubleSignalsPerStep } from './gpu-trouble.ts';
import { flaggedRuns, trailingMedian, type StepRun } from './step-baseline.ts';

/** A step whose p99 rose over its baseline. */
interface Rise {
  p99Ms: number;
  baselineP99Ms: number;
  ratio: number;
}

/** One placement's latency and GPUs over the whole grid (lookback steps included). */
interface VersionSteps {
  placement: ModelPlacement;
  requests: number[];
  p99Ms: (number | null)[];
  rises: (Rise | null)[];
  gpus: { dcgm: DcgmGpuSteps; trouble: GpuTroubleSignal[][] }[];
}

/**
 * Joins each placement's p99 timeline to the DCGM metrics of its GPUs, step by step, and flags:
 *
 * - a **latency rise**: a step whose p99 exceeds the median p99 of the previous `baselineSteps`
 *   steps by more than `latencyRiseRatio` (default 20% over the median of 10 steps);
 * - **GPU trouble**: SM clock more than `smClockDropRatio` (10%) below the median clock of the
 *   previous `baselineSteps` steps, memory used ratio above `memoryUsedRatio` (0.9), or
 *   temperature above `temperatureCelsius` (85 °C).
 *
 * A rise is attributed to GPU trouble on any of the version's GPUs at the same or the previous
 * step (throttling precedes its latency effect by up to a step); otherwise its cause is
 * 'none found'. GPU trouble with no rise at that step or the next is reported apart, not as a
 * cause. Consecutive flagged steps form one event. The grid reaches `baselineSteps + 1` steps
 * before the range so its first step has a baseline; events are reported inside the range only.
 * Placements with no GPU list join every GPU the exporter reports for their host.
 *
 * @example
 * const report = await correlateGpuLatency(store, (key, range, stepMs) => engine.latencyTimeline(key, range, stepMs), {
 *   range: { startMs, endMs }, stepMs: 60_000, placements,
 * });
 * for (const rise of report.latencyRises) console.log(rise.summary);
 */
export async function correlateGpuLatency(
  source: DcgmSeriesSource,
  latency: LatencyTimelineSource,
  request: GpuCorrelationRequest,
): Promise<GpuCorrelationReport> {
  const { range, stepMs } = request;
  const thresholds = resolveThresholds(request);
  const lookbackSteps = thresholds.baselineSteps + 1;
  const grid: StepGrid = {
    startMs: range.startMs - lookbackSteps * stepMs,
    stepMs,
    count: lookbackSteps + Math.ceil((range.endMs - range.startMs) / stepMs),
  };
  const hosts = new Set(request.placements.map((placement) => placement.host));
  const dcgm = await readDcgmSteps(source, hosts, grid);
  const versions: VersionSteps[] = [];
  for (const placement of request.placements)
    versions.push(await versionSteps(placement, dcgm, latency, grid, thresholds));
  const inRange = (step: number): boolean => step >= lookbackSteps;
  return {
    range,
    stepMs,
    thresholds,
    timelines: versions.flatMap((version) => timelines(version, grid, lookbackSteps)),
    latencyRises: versions.flatMap((version) => latencyRises(version, grid, inRange)),
    gpuTroubleWithoutLatencyRise: versions.flatMap((version) => troubleWithoutRise(version, grid, inRange)),
  };
}

/** Prometheus refuses range queries of more than 11,000 steps (web/api/v1/api.go); so do we. */
const MAX_STEPS = 11_000;

function resolveThresholds(request: GpuCorrelationRequest): GpuCorrelationThresholds {
  const { range, stepMs } = request;
  if (!(stepMs > 0) || !(range.endMs > range.startMs))
    throw new RangeError('need stepMs > 0 and endMs > startMs');
  if ((range.endMs - range.startMs) / stepMs > MAX_STEPS)
    throw new RangeError(`more than ${MAX_STEPS} steps: use a larger step`);
  const thresholds = { ...DEFAULT_GPU_CORRELATION_THRESHOLDS, ...request.thresholds };
  if (!Number.isInteger(thresholds.baselineSteps) || thresholds.baselineSteps < 1)
    throw new RangeError('baselineSteps must be a positive integer');
  return thresholds;
}

async function versionSteps(
  placement: ModelPlacement,
  dcgm: readonly DcgmGpuSteps[],
  latency: LatencyTimelineSource,
  grid: StepGrid,
  thresholds: GpuCorrelationThresholds,
): Promise<VersionSteps> {
  const requests = new Array<number>(grid.count).fill(0);
  const p99Ms = new Array<number | null>(grid.count).fill(null);
  const gridRange = { startMs: grid.startMs, endMs: grid.startMs + grid.count * grid.stepMs };
  for (const point of await latency(placement, gridRange, grid.stepMs)) {
    const step = Math.floor((point.startMs - grid.startMs) / grid.stepMs);
    if (!(step >= 0 && step < grid.count)) continue;
    requests[step] = point.requests;
    p99Ms[step] = point.p99Ms;
  }
  const rises = p99Ms.map((value, step): Rise | null => {
    const baseline = trailingMedian(p99Ms, step, thresholds.baselineSteps, thresholds.minBaselineSteps);
    if (value === null || baseline === null || !(baseline > 0)) return null;
    const ratio = value / baseline - 1;
    return ratio > thresholds.latencyRiseRatio ? { p99Ms: value, baselineP99Ms: baseline, ratio } : null;
  });
  const stepStartMs = (step: number): number => grid.startMs + step * grid.stepMs;
  const gpus = dcgm
    .filter((gpu) => gpu.host === placement.host && servesOn(placement, gpu))
    .map((gpu) => ({ dcgm: gpu, trouble: troubleSignalsPerStep(gpu, stepStartMs, thresholds) }));
  return { placement, requests, p99Ms, rises, gpus };
}

/** Placement GPU ids may be device indices (`gpu` label) or UUIDs; none listed means every GPU of the host. */
function servesOn(placement: ModelPlacement, gpu: DcgmGpuSteps): boolean {
  if (placement.gpus.length === 0) return true;
  return placement.gpus.some((id) => id === gpu.gpu || (gpu.uuid !== undefined && id === gpu.uuid));
}

function timelines(version: VersionSteps, grid: StepGrid, firstStep: number): GpuTimeline[] {
  const { model, version: modelVersion, host } = version.placement;
  return version.gpus.map(({ dcgm }) => {
    const timeline: GpuTimeline = { model, version: modelVersion, host, gpu: dcgm.gpu, steps: [] };
    if (dcgm.uuid !== undefined) timeline.uuid = dcgm.uuid;
    for (let step = firstStep; step < grid.count; step++) {
      const startMs = grid.startMs + step * grid.stepMs;
      timeline.steps.push({
        startMs,
        endMs: startMs + grid.stepMs,
        requests: version.requests[step] ?? 0,
        p99Ms: version.p99Ms[step] ?? null,
        smClockMhz: dcgm.smClockMhz[step] ?? null,
        temperatureCelsius: dcgm.temperatureCelsius[step] ?? null,
        memoryUsedRatio: dcgm.memoryUsedRatio[step] ?? null,
        utilizationPercent: dcgm.utilizationPercent[step] ?? null,
        powerWatts: dcgm.powerWatts[step] ?? null,
      });
    }
    return timeline;
  });
}

function latencyRises(
  version: VersionSteps,
  grid: StepGrid,
  inRange: (step: number) => boolean,
): LatencyRiseEvent[] {
  const flags = version.rises.map((rise, step) => rise !== null && inRange(step));
  return flaggedRuns(flags).map((run) => {
    const peak = peakRise(version.rises, run);
    const causes = strongestSignals(stepsOf(run).flatMap((step) => coincidingTrouble(version, step)));
    const { model, version: modelVersion } = version.placement;
    return {
      model,
      version: modelVersion,
      atMs: grid.startMs + run.first * grid.stepMs,
      endMs: grid.startMs + (run.last + 1) * grid.stepMs,
      steps: run.last - run.first + 1,
      p99Ms: peak.p99Ms,
      baselineP99Ms: peak.baselineP99Ms,
      p99RiseRatio: peak.ratio,
      gpuCauses: causes,
      cause: causes.length > 0 ? 'gpu' : 'none found',
      summary: riseSummary(version, peak, causes),
    };
  });
}

/** GPU trouble on any of the version's GPUs at this step or the one before. */
function coincidingTrouble(version: VersionSteps, step: number): GpuTroubleSignal[] {
  return version.gpus.flatMap(({ trouble }) => [...(trouble[step - 1] ?? []), ...(trouble[step] ?? [])]);
}

function troubleWithoutRise(
  version: VersionSteps,
  grid: StepGrid,
  inRange: (step: number) => boolean,
): GpuTroubleEpisode[] {
  const { model, version: modelVersion, host } = version.placement;
  const quiet = (step: number): boolean =>
    version.p99Ms[step] !== null && !version.rises[step] && !version.rises[step + 1];
  return version.gpus.flatMap(({ dcgm, trouble }) => {
    const flags = trouble.map((signals, step) => signals.length > 0 && inRange(step) && quiet(step));
    return flaggedRuns(flags).map((run) => ({
      model,
      version: modelVersion,
      host,
      gpu: dcgm.gpu,
      atMs: grid.startMs + run.first * grid.stepMs,
      endMs: grid.startMs + (run.last + 1) * grid.stepMs,
      steps: run.last - run.first + 1,
      signals: strongestSignals(stepsOf(run).flatMap((step) => trouble[step] ?? [])),
    }));
  });
}

function peakRise(rises: readonly (Rise | null)[], run: StepRun): Rise {
  let peak: Rise | null = null;
  for (const step of stepsOf(run)) {
    const rise = rises[step] ?? null;
    if (rise && (!peak || rise.ratio > peak.ratio)) peak = rise;
  }
  if (!peak) throw new Error('a run of rises has a rise');
  return peak;
}

function stepsOf(run: StepRun): number[] {
  return Array.from({ length: run.last - run.first + 1 }, (_, index) => run.first + index);
}

function riseSummary(version: VersionSteps, peak: Rise, causes: readonly GpuTroubleSignal[]): string {
  const rise = `p99 rose ${percent(peak.ratio)} (${peak.baselineP99Ms.toFixed(1)} → ${peak.p99Ms.toFixed(1)} ms)`;
  if (causes.length === 0) {
    const gpus = version.gpus.map(({ dcgm }) => `GPU ${dcgm.gpu}`).join(', ') || 'no GPU metrics';
    return `${rise}; no GPU trouble found (${version.placement.host}: ${gpus}): look elsewhere`;
  }
  const byGpu = new Map<string, string[]>();
  for (const cause of causes) {
    const key = `GPU ${cause.gpu} on ${cause.host}`;
    byGpu.set(key, [...(byGpu.get(key) ?? []), describeSignal(cause)]);
  }
  return `${rise} while ${[...byGpu].map(([gpu, texts]) => `${gpu} had ${texts.join(', ')}`).join('; ')}`;
}
