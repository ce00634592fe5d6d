/**
 * Prediction and feature drift of one version: the current range against a reference (the range
 * just before, another range, or a pinned baseline). Numeric distributions go through
 * drift.ts numericDrift (PSI, Jensen–Shannon, KS), classes through categoricalDrift.
 */
import { categoricalDrift, numericDrift } from '../stats/drift.ts';
import type { LogSketch } from '../stats/log-sketch.ts';
import type { DriftReport, DriftScore } from '../ml-types.ts';
import { ATTR_PREDICTION_CLASS, ATTR_PREDICTION_SCORE } from './span-classifier.ts';
import type { VersionSlot } from './version-slot.ts';

/**
 * PSI above 0.2 is the industry's "significant shift" (Siddiqi, "Credit Risk Scorecards", 2006:
 * < 0.1 none, 0.1–0.2 moderate, > 0.2 significant).
 */
export const PSI_DRIFT_THRESHOLD = 0.2;
/** Fewer values than this on either side: scores are reported, never flagged as drift. */
export const MIN_DRIFT_COUNT = 50;

/** Drift scores of the score, the class mix and every numeric feature either side has. */
export function driftScores(reference: VersionSlot, current: VersionSlot): DriftScore[] {
  const scores: DriftScore[] = [];
  if (reference.scores || current.scores)
    scores.push(numericScore(ATTR_PREDICTION_SCORE, reference.scores, current.scores));
  if (reference.classes || current.classes) scores.push(categoricalScore(reference.classes, current.classes));
  const features = new Set([...(reference.features?.keys() ?? []), ...(current.features?.keys() ?? [])]);
  for (const feature of [...features].sort())
    scores.push(numericScore(feature, reference.features?.get(feature), current.features?.get(feature)));
  return scores;
}

export function driftReport(
  identity: { model: string; version: string },
  current: DriftReport['current'],
  reference: DriftReport['reference'],
  referenceSlot: VersionSlot,
  currentSlot: VersionSlot,
): DriftReport {
  return {
    model: identity.model,
    version: identity.version,
    current,
    reference,
    features: driftScores(referenceSlot, currentSlot),
    nullFeatureRatio: {
      current: currentSlot.nullFeatureRatio(),
      reference: referenceSlot.nullFeatureRatio(),
    },
  };
}

function numericScore(
  feature: string,
  reference: LogSketch | undefined,
  current: LogSketch | undefined,
): DriftScore {
  const referenceCount = reference?.count ?? 0;
  const currentCount = current?.count ?? 0;
  const score = noScore(feature, 'numeric', referenceCount, currentCount);
  if (!reference || !current || referenceCount === 0 || currentCount === 0) return score;
  const drift = numericDrift(reference.distribution(), current.distribution());
  score.psi = drift.psi;
  score.jensenShannon = drift.jensenShannon;
  score.ks = drift.ks;
  score.ksPValue = drift.ksPValue;
  score.drifted = isDrifted(drift.psi, referenceCount, currentCount);
  return score;
}

function categoricalScore(
  reference: ReadonlyMap<string, number> | undefined,
  current: ReadonlyMap<string, number> | undefined,
): DriftScore {
  const referenceCount = total(reference);
  const currentCount = total(current);
  const score = noScore(ATTR_PREDICTION_CLASS, 'categorical', referenceCount, currentCount);
  if (!reference || !current || referenceCount === 0 || currentCount === 0) return score;
  const drift = categoricalDrift(reference, current);
  score.psi = drift.psi;
  score.jensenShannon = drift.jensenShannon;
  score.drifted = isDrifted(drift.psi, referenceCount, currentCount);
  return score;
}

function isDrifted(psi: number, referenceCount: number, currentCount: number): boolean {
  return psi > PSI_DRIFT_THRESHOLD && referenceCount >= MIN_DRIFT_COUNT && currentCount >= MIN_DRIFT_COUNT;
}

function total(counts: ReadonlyMap<string, number> | undefined): number {
  let sum = 0;
  for (const count of counts?.values() ?? []) sum += count;
  return sum;
}

/** A score with nothing measured yet (filled in when both sides have data). */
function noScore(
  feature: string,
  kind: DriftScore['kind'],
  referenceCount: number,
  currentCount: number,
): DriftScore {
  return {
    feature,
    kind,
    psi: null,
    jensenShannon: null,
    ks: null,
    ksPValue: null,
    referenceCount,
    currentCount,
    drifted: false,
  };
}
