import type { Span } from '../../../model/span.ts';

/**
 * What one policy says about one trace: the Collector's samplingpolicy.Decision values
 * (processor/tailsamplingprocessor/pkg/samplingpolicy). The inverted pair comes from
 * `invert_match` attribute policies and combines differently (see `combineDecisions`).
 */
export const Decision = {
  Unspecified: 0,
  Sampled: 1,
  NotSampled: 2,
  /** From a `drop` policy: not sampled, whatever the other policies say. */
  Dropped: 3,
  InvertSampled: 4,
  InvertNotSampled: 5,
} as const;
export type Decision = (typeof Decision)[keyof typeof Decision];

/** The spans of one trace as a policy sees them when the trace is decided. */
export interface TraceUnderDecision {
  /** 32 lowercase hex characters. */
  readonly traceId: string;
  readonly spans: readonly Span[];
}

/**
 * One sampling policy. Evaluation is synchronous and never throws: policies run inside the decision
 * tick, and the Collector counts an evaluation error as "no opinion" anyway.
 */
export interface PolicyEvaluator {
  evaluate(trace: TraceUnderDecision, nowMs: number): Decision;
  /**
   * The inverse of this policy's keep probability, for `sampling.adjusted_count` on what it keeps:
   * 100/percentage for probabilistic, 1 for rule-based and rate-limited policies.
   */
  readonly adjustedCount: number;
  /** The sub-policy that made the last Sampled decision (composite only), for the kept spans. */
  lastSampledBy?(): KeepReason | undefined;
}

/** Why a trace was kept, written onto its spans. One object per policy, shared by its traces. */
export interface KeepReason {
  policyName: string;
  adjustedCount: number;
  /** The composite sub-policy that kept it (upstream's `tailsampling.composite_policy`). */
  subPolicyName?: string;
}

/** A named top-level policy, as listed under `policies`. */
export interface NamedPolicy {
  name: string;
  evaluator: PolicyEvaluator;
  /** What spans kept by this policy carry (precomputed: one allocation per policy, not per trace). */
  keepReason: KeepReason;
}

export type Verdict =
  | { kind: 'sampled'; reason: KeepReason }
  | { kind: 'not_sampled' }
  | { kind: 'dropped' };

const NOT_SAMPLED: Verdict = { kind: 'not_sampled' };
const DROPPED: Verdict = { kind: 'dropped' };

/**
 * Runs every policy and combines their decisions as the Collector's makeDecision does
 * (processor/tailsamplingprocessor/processor.go): Dropped wins, then any InvertNotSampled means not
 * sampled, then any Sampled means sampled (credited to the first policy that sampled), then an
 * InvertSampled with no NotSampled means sampled; anything else is not sampled. Evaluation stops
 * at the first Dropped, and with `sample_on_first_match` at the first Sampled.
 */
export function combineDecisions(
  policies: readonly NamedPolicy[],
  trace: TraceUnderDecision,
  nowMs: number,
  sampleOnFirstMatch: boolean,
): Verdict {
  let sampled: KeepReason | undefined;
  let invertSampled: KeepReason | undefined;
  let anyNotSampled = false;
  let anyInvertNotSampled = false;
  for (const policy of policies) {
    const decision = policy.evaluator.evaluate(trace, nowMs);
    if (decision === Decision.Dropped) return DROPPED;
    if (decision === Decision.Sampled) {
      sampled ??= reasonFor(policy);
      if (sampleOnFirstMatch) break;
    } else if (decision === Decision.NotSampled) anyNotSampled = true;
    else if (decision === Decision.InvertNotSampled) anyInvertNotSampled = true;
    else if (decision === Decision.InvertSampled) invertSampled ??= reasonFor(policy);
  }
  if (anyInvertNotSampled) return NOT_SAMPLED;
  if (sampled) return { kind: 'sampled', reason: sampled };
  if (invertSampled && !anyNotSampled) return { kind: 'sampled', reason: invertSampled };
  return NOT_SAMPLED;
}

function reasonFor(policy: NamedPolicy): KeepReason {
  return policy.evaluator.lastSampledBy?.() ?? policy.keepReason;
}
