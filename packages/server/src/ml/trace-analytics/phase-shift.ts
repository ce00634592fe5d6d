import type { Phase } from './phase-rules.ts';
import type { VersionPhases } from './phase-breakdown.ts';

export interface PhaseShiftOptions {
  /**
   * A phase moved when its tail mean changed by more than this many standard errors of the
   * difference (default 3.5: the tail holds ~1% of requests, so its means rest on few values and a
   * normal-theory 3σ would name some phase by chance in about one comparison of twenty).
   */
  zThreshold?: number;
  /** …and by at least this many milliseconds (default 1). */
  minShiftMs?: number;
}

export interface PhaseMove {
  phase: Phase;
  tailMsBefore: number;
  tailMsAfter: number;
  changeMs: number;
  /** changeMs / the change of the tail's mean request time (the phases add up to it); null when it did not change. */
  shareOfChange: number | null;
  /** |changeMs| / √(SE_before² + SE_after²). */
  zScore: number;
  significant: boolean;
}

export interface PhaseShift {
  /** The tail quantile of request time before and after. */
  tailMsBefore: number;
  tailMsAfter: number;
  tailChangeMs: number;
  /** Mean request time of the tail requests, before and after (what the phase means add up to). */
  tailMeanChangeMs: number;
  /** Largest move first. */
  phases: PhaseMove[];
  /** The significant phase that moved most; null when none moved beyond noise. */
  movedPhase: Phase | null;
}

/**
 * When a version's tail moved between two ranges, which phase's tail time moved most. Compares
 * each phase's mean in the tail (requests at or above the tail quantile) with a two-sample z test
 * on the weighted standard errors (Welch's unpooled form). A phase that slowed down pushes other
 * requests out of the tail, so other phases may show significant drops at the same time (their
 * slow requests are no longer the tail); `movedPhase` is the largest move, and shares of the
 * change may exceed 1 for that reason.
 *
 * @example
 * const shift = phaseShift(thisHour.versions[0]!, lastHour.versions[0]!);
 * shift.movedPhase; // 'forwardPass'
 */
export function phaseShift(current: VersionPhases, previous: VersionPhases, options: PhaseShiftOptions = {}): PhaseShift {
  const zThreshold = options.zThreshold ?? 3.5;
  const minShiftMs = options.minShiftMs ?? 1;
  const tailMeanChangeMs = current.tail.meanMs - previous.tail.meanMs;
  const phases = current.tail.phases.map((after): PhaseMove => {
    const before = previous.tail.phases.find((stat) => stat.phase === after.phase)!;
    const changeMs = after.meanMs - before.meanMs;
    const standardError = Math.hypot(after.standardErrorMs, before.standardErrorMs);
    const zScore = standardError > 0 ? Math.abs(changeMs) / standardError : changeMs === 0 ? 0 : Infinity;
    return {
      phase: after.phase,
      tailMsBefore: before.meanMs,
      tailMsAfter: after.meanMs,
      changeMs,
      shareOfChange: tailMeanChangeMs !== 0 ? changeMs / tailMeanChangeMs : null,
      zScore,
      significant: zScore > zThreshold && Math.abs(changeMs) >= minShiftMs,
    };
  });
  phases.sort((a, b) => Math.abs(b.changeMs) - Math.abs(a.changeMs));
  return {
    tailMsBefore: previous.tailMs,
    tailMsAfter: current.tailMs,
    tailChangeMs: current.tailMs - previous.tailMs,
    tailMeanChangeMs,
    phases,
    movedPhase: phases.find((move) => move.significant)?.phase ?? null,
  };
}
