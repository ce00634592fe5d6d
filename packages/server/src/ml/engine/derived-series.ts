/**
 * The engine's current values as Prometheus series (vigil_ml_*), for PromQL dashboards and alert
 * rules. Each is one sample at `nowMs`, computed over the trailing series window; drift compares
 * the window with the one before it, canary series compare each version with the model's version
 * of most traffic in the window. Counters (`*_total`) are cumulative since the version was first
 * tracked, so `rate()` works on them.
 */
import type { PromSeriesSamples } from '../../model/prom-series.ts';
import type { ResolvedMlEngineOptions } from './engine-options.ts';
import type { MlIngest } from './ml-ingest.ts';
import { compareSlots } from './canary-compare.ts';
import { driftScores, MIN_DRIFT_COUNT } from './drift-report.ts';
import type { SlotSpan } from './slot-ring.ts';
import { previousSlotSpan, slotSpanOf } from './slot-ring.ts';
import { apdexOf, genAiSummaries } from './summaries.ts';
import type { VersionEntry } from './version-entry.ts';
import type { VersionSlot } from './version-slot.ts';

type Labels = readonly (readonly [string, string])[];
type Emit = (name: string, labels: Labels, value: number | null | undefined) => void;

const QUANTILES = [0.5, 0.9, 0.99] as const;
/** Fixed, so the canary series do not jitter between evaluations of the same data. */
const SERIES_BOOTSTRAP_SEED = 1;

/** Every vigil_ml_* series at `nowMs`. */
export function derivedSeries(
  ingest: MlIngest,
  options: ResolvedMlEngineOptions,
  nowMs: number,
): PromSeriesSamples[] {
  const series: PromSeriesSamples[] = [];
  const emit: Emit = (name, labels, value) => {
    if (value === null || value === undefined || !Number.isFinite(value)) return;
    series.push({
      labels: new Map([['__name__', name], ...labels]),
      timestampsMs: Float64Array.of(nowMs),
      values: Float64Array.of(value),
    });
  };
  const window = slotSpanOf({ startMs: nowMs - options.seriesWindowMs, endMs: nowMs }, options.slotMs);
  for (const [model, versions] of ingest.models) modelSeries(model, versions, window, options, emit);
  const genAiRange = { startMs: nowMs - options.seriesWindowMs, endMs: nowMs };
  for (const summary of genAiSummaries(
    ingest.genAiModels.values(),
    genAiRange,
    options.slotMs,
    options.genAiPrices,
  )) {
    const labels: Labels = [['model', summary.model]];
    emit('vigil_ml_genai_tokens_per_second', labels, summary.outputTokensPerSecond);
    const ttft = summary.timeToFirstTokenMs;
    for (const [quantile, valueMs] of [
      ['0.5', ttft.p50],
      ['0.9', ttft.p90],
      ['0.99', ttft.p99],
    ] as const)
      emit(
        'vigil_ml_genai_time_to_first_token_seconds',
        [...labels, ['quantile', quantile]],
        valueMs === null ? null : valueMs / 1000,
      );
    emit('vigil_ml_genai_cost_per_request_usd', labels, summary.costPerRequestUsd);
  }
  return series;
}

function modelSeries(
  model: string,
  versions: ReadonlyMap<string, VersionEntry>,
  window: SlotSpan,
  options: ResolvedMlEngineOptions,
  emit: Emit,
): void {
  const merged = [...versions.values()].map((entry) => ({ entry, slot: entry.merged(window) }));
  const modelRequests = merged.reduce((sum, { slot }) => sum + slot.requests, 0);
  const baseline = mostTraffic(merged);
  for (const { entry, slot } of merged) {
    const labels: Labels = [
      ['model', model],
      ['version', entry.version],
    ];
    emit('vigil_ml_requests_total', labels, entry.requestsTotal);
    emit('vigil_ml_errors_total', labels, entry.errorsTotal);
    emit('vigil_ml_model_version_first_seen_timestamp_seconds', labels, entry.firstSeenMs / 1000);
    if (modelRequests > 0) emit('vigil_ml_traffic_share', labels, slot.requests / modelRequests);
    for (const quantile of QUANTILES) {
      const valueMs = slot.latencyMs?.quantile(quantile);
      emit(
        'vigil_ml_latency_seconds',
        [...labels, ['quantile', String(quantile)]],
        valueMs === undefined ? null : valueMs / 1000,
      );
    }
    emit('vigil_ml_apdex', labels, apdexOf(slot));
    emit('vigil_ml_null_feature_ratio', labels, slot.nullFeatureRatio());
    emit(
      'vigil_ml_gpu_seconds_per_request',
      labels,
      slot.gpuSpans > 0 && slot.requests > 0 ? slot.gpuSeconds / slot.requests : null,
    );
    driftSeries(labels, entry.merged(previousSlotSpan(window)), slot, emit);
    if (baseline && baseline.entry !== entry) canarySeries(labels, baseline, { entry, slot }, options, emit);
  }
}

function driftSeries(labels: Labels, previous: VersionSlot, current: VersionSlot, emit: Emit): void {
  for (const score of driftScores(previous, current)) {
    // Drift of a handful of values is noise an alert would fire on.
    if (score.referenceCount < MIN_DRIFT_COUNT || score.currentCount < MIN_DRIFT_COUNT) continue;
    const featureLabels: Labels = [...labels, ['feature', score.feature]];
    emit('vigil_ml_drift_psi', featureLabels, score.psi);
    emit('vigil_ml_drift_js', featureLabels, score.jensenShannon);
    emit('vigil_ml_drift_ks', featureLabels, score.ks);
  }
}

function canarySeries(
  labels: Labels,
  baseline: { entry: VersionEntry; slot: VersionSlot },
  candidate: { entry: VersionEntry; slot: VersionSlot },
  options: ResolvedMlEngineOptions,
  emit: Emit,
): void {
  const comparison = compareSlots(
    {
      model: candidate.entry.model,
      baseline: baseline.entry.version,
      candidate: candidate.entry.version,
      range: { startMs: 0, endMs: 0 },
      baselineSlot: baseline.slot,
      candidateSlot: candidate.slot,
    },
    { iterations: options.seriesBootstrapIterations, seed: SERIES_BOOTSTRAP_SEED },
  );
  const canaryLabels: Labels = [...labels, ['baseline', baseline.entry.version]];
  for (const row of comparison.latency) {
    const quantileLabels: Labels = [...canaryLabels, ['quantile', String(row.quantile)]];
    emit('vigil_ml_canary_latency_change', quantileLabels, row.relativeChange);
    emit('vigil_ml_canary_latency_change_ci_low', quantileLabels, row.ciLow);
    emit('vigil_ml_canary_latency_change_ci_high', quantileLabels, row.ciHigh);
  }
  emit('vigil_ml_canary_error_rate_difference', canaryLabels, comparison.errorRate.difference);
}

/** The version with most requests (ties: the lower version string); undefined without requests. */
export function mostTraffic<T extends { entry: VersionEntry; slot: VersionSlot }>(
  merged: readonly T[],
): T | undefined {
  let best: T | undefined;
  for (const item of merged) {
    if (item.slot.requests === 0) continue;
    if (
      !best ||
      item.slot.requests > best.slot.requests ||
      (item.slot.requests === best.slot.requests && item.entry.version < best.entry.version)
    )
      best = item;
  }
  return best;
}
