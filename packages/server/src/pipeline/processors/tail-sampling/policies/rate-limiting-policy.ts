import { Decision, type PolicyEvaluator, type TraceUnderDecision } from '../decision.ts';

/**
 * A token bucket like golang.org/x/time/rate's Limiter: starts full, refills continuously at
 * `ratePerSecond` up to `burst`, and `allow(n)` takes n tokens only when all n are there.
 */
export class TokenBucket {
  private tokens: number;
  private lastMs: number | undefined;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }

  allow(count: number, nowMs: number): boolean {
    if (this.lastMs !== undefined && nowMs > this.lastMs) {
      this.tokens = Math.min(this.burst, this.tokens + ((nowMs - this.lastMs) / 1000) * this.ratePerSecond);
    }
    if (this.lastMs === undefined || nowMs > this.lastMs) this.lastMs = nowMs;
    if (count > this.tokens) return false;
    this.tokens -= count;
    return true;
  }
}

/**
 * `rate_limiting`: keeps traces while their spans fit a token bucket of `spans_per_second`, with a
 * burst of twice that, as current upstream (internal/sampling/rate_limiting.go NewRateLimiting). A
 * trace bigger than the burst never passes. Kept spans carry an adjusted count of 1: how many were
 * refused is not known per trace.
 */
export class RateLimitingPolicy implements PolicyEvaluator {
  readonly adjustedCount = 1;
  private readonly bucket: TokenBucket;

  constructor(spansPerSecond: number) {
    this.bucket = new TokenBucket(spansPerSecond, spansPerSecond * 2);
  }

  evaluate(trace: TraceUnderDecision, nowMs: number): Decision {
    return this.bucket.allow(trace.spans.length, nowMs) ? Decision.Sampled : Decision.NotSampled;
  }
}
