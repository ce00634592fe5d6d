import type {
  CanaryComparison,
  DeploymentMarker,
  DriftReference,
  DriftReport,
  GenAiSummary,
  LatencyPoint,
  ModelSummary,
  RangeMs,
} from './ml-types.ts';
import type { BaselineInfo } from './engine/baseline-store.ts';

export type { BaselineInfo };

/**
 * Everything the ML routes ask (api/ml-routes.ts). The streaming engine answers the per-version
 * statistics from every span; the trace-tree analyses read stored traces; GPU correlation joins
 * DCGM series in the store to the engine's latency timelines. Report shapes of the store-backed
 * analyses are their modules' own (ml/trace-analytics, ml/gpu).
 */
export interface MlQueries {
  models(range: RangeMs): ModelSummary[];
  deployments(range: RangeMs): DeploymentMarker[];
  /** Baseline default: the version with most traffic; candidate default: the newest other version. */
  compare(
    model: string,
    baseline: string | undefined,
    candidate: string | undefined,
    range: RangeMs,
    confidence: number,
  ): CanaryComparison;
  drift(model: string, version: string, current: RangeMs, reference: DriftReference): DriftReport;
  pinBaseline(name: string, model: string, version: string, range: RangeMs): Promise<BaselineInfo>;
  baselines(): BaselineInfo[];
  /** False when no baseline has that name. */
  deleteBaseline(name: string): Promise<boolean>;
  timeline(model: string, version: string, range: RangeMs, stepMs: number): LatencyPoint[];
  genAi(range: RangeMs): GenAiSummary[];
  phases(range: RangeMs, model: string | undefined): Promise<unknown>;
  tailAtScale(range: RangeMs, service: string | undefined): Promise<unknown>;
  propagationGaps(range: RangeMs, stepMs: number): Promise<unknown>;
  clockSkew(range: RangeMs): Promise<unknown>;
  gpu(range: RangeMs, stepMs: number): Promise<unknown>;
}

/** A query about a model or version Vigil has not seen (404). */
export class UnknownModelError extends Error {
  override readonly name = 'UnknownModelError';
}
