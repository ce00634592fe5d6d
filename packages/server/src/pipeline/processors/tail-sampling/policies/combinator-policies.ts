import { Decision, type KeepReason, type PolicyEvaluator, type TraceUnderDecision } from '../decision.ts';

/**
 * `and`: Sampled unless a sub-policy says NotSampled or InvertNotSampled (internal/sampling/and.go;
 * an empty list samples, as upstream). Its adjusted count multiplies the sub-policies' (10 % of the
 * error traces: each kept one stands for 10).
 */
export class AndPolicy implements PolicyEvaluator {
  readonly adjustedCount: number;

  constructor(private readonly subPolicies: readonly PolicyEvaluator[]) {
    this.adjustedCount = subPolicies.reduce((product, sub) => product * sub.adjustedCount, 1);
  }

  evaluate(trace: TraceUnderDecision, nowMs: number): Decision {
    return allSample(this.subPolicies, trace, nowMs) ? Decision.Sampled : Decision.NotSampled;
  }
}

/**
 * `drop`: Dropped when every sub-policy samples, which overrides every other policy; NotSampled
 * otherwise (internal/sampling/drop.go). Upstream's replacement for `invert_match`.
 */
export class DropPolicy implements PolicyEvaluator {
  readonly adjustedCount = 1;

  constructor(private readonly subPolicies: readonly PolicyEvaluator[]) {}

  evaluate(trace: TraceUnderDecision, nowMs: number): Decision {
    return allSample(this.subPolicies, trace, nowMs) ? Decision.Dropped : Decision.NotSampled;
  }
}

function allSample(subPolicies: readonly PolicyEvaluator[], trace: TraceUnderDecision, nowMs: number): boolean {
  for (const sub of subPolicies) {
    const decision = sub.evaluate(trace, nowMs);
    if (decision === Decision.NotSampled || decision === Decision.InvertNotSampled) return false;
  }
  return true;
}

/**
 * `not`: the opposite of its one sub-policy, Sampled ↔ NotSampled; other decisions (the inverted
 * pair) pass through unchanged, as upstream (internal/sampling/not.go).
 */
export class NotPolicy implements PolicyEvaluator {
  readonly adjustedCount = 1;

  constructor(private readonly subPolicy: PolicyEvaluator) {}

  evaluate(trace: TraceUnderDecision, nowMs: number): Decision {
    const decision = this.subPolicy.evaluate(trace, nowMs);
    if (decision === Decision.Sampled) return Decision.NotSampled;
    if (decision === Decision.NotSampled) return Decision.Sampled;
    return decision;
  }
}

/** One `composite_sub_policy` with its share of `max_total_spans_per_second`. */
export interface CompositeSubPolicy {
  name: string;
  evaluator: PolicyEvaluator;
  allocatedSpansPerSecond: number;
}

/**
 * `composite`: sub-policies in order, each with a spans-per-second budget; the first sub-policy that
 * samples decides: Sampled while its spans in the current second stay within both its budget and
 * `max_total_spans_per_second`, NotSampled past it (internal/sampling/composite.go). Counters reset
 * each wall-clock second. Like upstream the total limit is compared with each sub-policy's own count.
 */
export class CompositePolicy implements PolicyEvaluator {
  readonly adjustedCount = 1;
  private readonly sampledSpans: number[];
  private readonly reasons: KeepReason[];
  private currentSecond = Number.NaN;
  private lastReason: KeepReason | undefined;

  constructor(
    name: string,
    private readonly maxTotalSpansPerSecond: number,
    private readonly subPolicies: readonly CompositeSubPolicy[],
  ) {
    this.sampledSpans = subPolicies.map(() => 0);
    this.reasons = subPolicies.map((sub) => ({
      policyName: name,
      subPolicyName: sub.name,
      adjustedCount: sub.evaluator.adjustedCount,
    }));
  }

  evaluate(trace: TraceUnderDecision, nowMs: number): Decision {
    this.lastReason = undefined;
    const second = Math.floor(nowMs / 1000);
    if (second !== this.currentSecond) {
      this.currentSecond = second;
      this.sampledSpans.fill(0);
    }
    for (let i = 0; i < this.subPolicies.length; i++) {
      const sub = this.subPolicies[i];
      if (sub === undefined) continue;
      const decision = sub.evaluator.evaluate(trace, nowMs);
      if (decision !== Decision.Sampled && decision !== Decision.InvertSampled) continue;
      const spansIfSampled = (this.sampledSpans[i] ?? 0) + trace.spans.length;
      if (spansIfSampled > sub.allocatedSpansPerSecond || spansIfSampled > this.maxTotalSpansPerSecond) {
        // Over budget: not sampled, and the counter is left alone so a smaller trace may still fit.
        return Decision.NotSampled;
      }
      this.sampledSpans[i] = spansIfSampled;
      this.lastReason = this.reasons[i];
      return Decision.Sampled;
    }
    return Decision.NotSampled;
  }

  lastSampledBy(): KeepReason | undefined {
    return this.lastReason;
  }
}
