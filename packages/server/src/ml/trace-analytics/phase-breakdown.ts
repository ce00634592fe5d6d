import { attributeText, type AttributeValue } from '../../model/attributes.ts';
import type { AssembledTrace, TraceSpanNode } from '../../query/traces/trace-tree.ts';
import type { ModelVersionKey } from '../ml-types.ts';
import { PHASES, phaseTimesMs, type Phase, type PhaseTimesMs } from './phase-rules.ts';
import {
  nanosToMs,
  requestRoot,
  sampleTraces,
  type SampleInfo,
  type TraceSampleOptions,
  type TraceSource,
  type WeightedTrace,
} from './trace-sample.ts';
import { weightedMean, weightedQuantile, weightedStandardError } from './weighted-stats.ts';

export interface PhaseBreakdownOptions {
  /** The tail quantile (default 0.99). */
  quantile?: number;
}

export interface PhaseStat {
  phase: Phase;
  meanMs: number;
  /** meanMs / the profile's mean request time. */
  share: number;
  /** Standard error of meanMs (weighted, Kish effective size): the noise phaseShift compares with. */
  standardErrorMs: number;
}

export interface PhaseProfile {
  traces: number;
  /** Requests the traces stand for (Σ weights). */
  requests: number;
  meanMs: number;
  phases: PhaseStat[];
}

export interface VersionPhases extends ModelVersionKey {
  traces: number;
  requests: number;
  /** The tail quantile of end-to-end request time. */
  tailMs: number;
  all: PhaseProfile;
  /** Requests at or above tailMs. */
  tail: PhaseProfile;
}

export interface PhaseBreakdownReport {
  quantile: number;
  tracesAnalysed: number;
  /** Traces with an `inference.predict` span under a true root. */
  tracesWithInference: number;
  versions: VersionPhases[];
}

interface PhaseRequest {
  weight: number;
  totalMs: number;
  times: PhaseTimesMs;
}

const INFERENCE_SPAN = 'inference.predict';

/**
 * Per model version: where the end-to-end request (the trace root of every trace holding an
 * inference) spends its time, by phase (phase-rules.ts), for all requests and for the tail.
 *
 * @example
 * const report = analyzePhaseBreakdown(sample.traces);
 * report.versions[0]?.tail.phases.find((p) => p.phase === 'forwardPass')?.meanMs;
 */
export function analyzePhaseBreakdown(
  traces: readonly WeightedTrace[],
  options: PhaseBreakdownOptions = {},
): PhaseBreakdownReport {
  const quantile = options.quantile ?? 0.99;
  const byVersion = new Map<string, { key: ModelVersionKey; requests: PhaseRequest[] }>();
  let tracesWithInference = 0;
  for (const { trace, weight } of traces) {
    const root = requestRoot(trace);
    const inference = inferenceOf(trace);
    if (!root || !inference) continue;
    tracesWithInference++;
    const key = modelVersion(inference);
    const id = `${key.model}\u0000${key.version}`;
    const entry = byVersion.get(id) ?? { key, requests: [] };
    entry.requests.push({ weight, totalMs: nanosToMs(root.span.endTimeUnixNano - root.span.startTimeUnixNano), times: phaseTimesMs(root) });
    byVersion.set(id, entry);
  }
  const versions = [...byVersion.values()]
    .map(({ key, requests }) => versionPhases(key, requests, quantile))
    .sort((a, b) => a.model.localeCompare(b.model) || a.version.localeCompare(b.version));
  return { quantile, tracesAnalysed: traces.length, tracesWithInference, versions };
}

/** Samples traces holding an inference and analyses them (see analyzePhaseBreakdown). */
export async function phaseBreakdown(
  store: TraceSource,
  options: TraceSampleOptions & PhaseBreakdownOptions,
): Promise<PhaseBreakdownReport & SampleInfo> {
  const sample = await sampleTraces(store, { operation: INFERENCE_SPAN, ...options });
  return { ...analyzePhaseBreakdown(sample.traces, options), range: sample.range, truncated: sample.truncated };
}

function versionPhases(key: ModelVersionKey, requests: PhaseRequest[], quantile: number): VersionPhases {
  const tailMs =
    weightedQuantile(requests.map((request) => request.totalMs), requests.map((request) => request.weight), quantile) ?? 0;
  const all = profile(requests);
  return {
    ...key,
    traces: all.traces,
    requests: all.requests,
    tailMs,
    all,
    tail: profile(requests.filter((request) => request.totalMs >= tailMs)),
  };
}

function profile(requests: readonly PhaseRequest[]): PhaseProfile {
  const weights = requests.map((request) => request.weight);
  const meanMs = weightedMean(requests.map((request) => request.totalMs), weights) ?? 0;
  const phases = PHASES.map((phase): PhaseStat => {
    const values = requests.map((request) => request.times[phase]);
    const phaseMeanMs = weightedMean(values, weights) ?? 0;
    return {
      phase,
      meanMs: phaseMeanMs,
      share: meanMs > 0 ? phaseMeanMs / meanMs : 0,
      standardErrorMs: weightedStandardError(values, weights),
    };
  });
  return { traces: requests.length, requests: weights.reduce((sum, weight) => sum + weight, 0), meanMs, phases };
}

/** The first `inference.predict` span in tree order. */
function inferenceOf(trace: AssembledTrace): TraceSpanNode | undefined {
  return trace.spans.find((node) => node.span.name === INFERENCE_SPAN);
}

/** ml.model.name / ml.model.version from the inference span, else from its resource. */
function modelVersion(node: TraceSpanNode): ModelVersionKey {
  const read = (key: string): string => {
    const value: AttributeValue | undefined = node.span.attributes[key] ?? node.span.resource.attributes[key];
    return value === undefined || value === null || value === '' ? 'unknown' : attributeText(value);
  };
  return { model: read('ml.model.name'), version: read('ml.model.version') };
}
