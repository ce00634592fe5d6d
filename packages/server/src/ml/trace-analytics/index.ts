/**
 * Trace-tree analytics for ML services: analyses that need whole traces, each as a pure
 * `analyzeX(traces, options)` over sampled, weighted traces plus a store-facing wrapper that
 * samples a bounded number of traces from a range first.
 */
export {
  adjustedCount,
  DEFAULT_MAX_TRACES,
  MAX_TRACES_LIMIT,
  requestRoot,
  sampleTraces,
  weighTrace,
  type SampleInfo,
  type TraceSample,
  type TraceSampleOptions,
  type TraceSource,
  type WeightedTrace,
} from './trace-sample.ts';
export {
  analyzeTailAtScale,
  tailAtScale,
  type EndpointTail,
  type HopTail,
  type TailAtScaleOptions,
  type TailAtScaleReport,
} from './tail-at-scale.ts';
export { PHASE_RULES, PHASES, phaseTimesMs, type Phase, type PhaseRule, type PhaseTimesMs } from './phase-rules.ts';
export {
  analyzePhaseBreakdown,
  phaseBreakdown,
  type PhaseBreakdownOptions,
  type PhaseBreakdownReport,
  type PhaseProfile,
  type PhaseStat,
  type VersionPhases,
} from './phase-breakdown.ts';
export { phaseShift, type PhaseMove, type PhaseShift, type PhaseShiftOptions } from './phase-shift.ts';
export {
  analyzePropagationGaps,
  peerNames,
  propagationGaps,
  UNKNOWN_CALLER,
  type GapBucket,
  type PropagationGapEdge,
  type PropagationGapOptions,
  type PropagationGapReport,
} from './propagation-gaps.ts';
export {
  analyzeClockSkew,
  clockSkewReport,
  type ClockSkewReport,
  type ClockSkewReportOptions,
  type HostSkew,
} from './clock-skew-report.ts';
