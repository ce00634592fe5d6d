import { newAttributes } from '../../../model/attributes.ts';
import { UNKNOWN_SERVICE } from '../../../model/resource.ts';
import { ADJUSTED_COUNT_ATTRIBUTE, type Span } from '../../../model/span.ts';
import { UnavailableError } from '../../errors.ts';
import type { Cancel, ComponentContext, Consumer, ProcessorInstance } from '../../graph/component.ts';
import { combineDecisions, type KeepReason, type TraceUnderDecision } from './decision.ts';
import { LruCache } from './lru-cache.ts';
import {
  registerSamplingStats,
  SamplingCounters,
  SamplingStatsBook,
  samplingStatsRegistry,
  type ServiceSamplingStats,
  type TailSamplingStats,
} from './sampling-stats.ts';
import { decisionCacheSize, type TailSamplingSettings } from './tail-sampling-settings.ts';

/** The policy that kept a span: upstream's name for it (processor.go, behind its recordPolicy option). */
export const POLICY_ATTRIBUTE = 'tailsampling.policy';
/** The composite sub-policy that kept it (upstream internal/sampling/composite.go). */
export const COMPOSITE_POLICY_ATTRIBUTE = 'tailsampling.composite_policy';
/** Set on late spans kept by the decision cache (upstream's `tailsampling.cached_decision`). */
export const CACHED_DECISION_ATTRIBUTE = 'tailsampling.cached_decision';
export { ADJUSTED_COUNT_ATTRIBUTE };

interface PendingTrace extends TraceUnderDecision {
  spans: Span[];
  readonly decideAtMs: number;
  decided: boolean;
}

interface KeptTrace {
  reason: KeepReason;
  stats: ServiceSamplingStats;
}

const NO_SPANS: Span[] = [];
const RESOLVED = Promise.resolve();

/** Decisions are checked every decision_wait/10, at most every second and at least every 10 ms. */
export function tickIntervalMs(decisionWaitMs: number): number {
  return Math.min(1000, Math.max(10, decisionWaitMs / 10));
}

/**
 * The tail_sampling processor (contrib processor/tailsamplingprocessor): holds each trace's spans
 * for decision_wait after its first span, runs the policies on the whole trace, forwards kept
 * traces (one batch per tick) and remembers each verdict so late spans follow it.
 *
 * @example
 * const processor = new TailSamplingProcessor(parseTailSamplingSettings(yamlValue), next, context);
 * await processor.consume(spans); // buffered
 * await processor.tick(context.nowMs() + 30_000); // decided, kept spans forwarded
 */
export class TailSamplingProcessor implements ProcessorInstance<'traces'> {
  /** Undecided traces by id; at most num_traces. */
  private readonly pending = new Map<string, PendingTrace>();
  /** Undecided traces in arrival order, so in decision order too (decision_wait is fixed). */
  private queue: PendingTrace[] = [];
  private queueHead = 0;
  /** Kept spans waiting for the next tick's forward. */
  private outbox: Span[] = [];
  private readonly sampledCache: LruCache<string, KeptTrace>;
  private readonly notSampledCache: LruCache<string, ServiceSamplingStats>;
  private readonly book = new SamplingStatsBook();
  private readonly counters: SamplingCounters;
  private readonly cancelTicks: Cancel;
  private readonly statsKey: string;
  private forwardFailing = false;
  private stopped = false;
  /** Forwards started by timer ticks, awaited by shutdown. */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly settings: TailSamplingSettings,
    private readonly next: Consumer<'traces'>,
    private readonly context: ComponentContext,
  ) {
    this.sampledCache = new LruCache(decisionCacheSize(settings.sampledCacheSize, settings.numTraces));
    this.notSampledCache = new LruCache(decisionCacheSize(settings.nonSampledCacheSize, settings.numTraces));
    this.counters = new SamplingCounters(context.id);
    this.statsKey = registerSamplingStats(context.id, () => this.stats());
    // Not awaited: a slow downstream (a store write, a full batch) must not hold back the next
    // decisions, or undecided traces pile up to num_traces and get evicted.
    this.cancelTicks = context.scheduler.every(tickIntervalMs(settings.decisionWaitMs), (nowMs) => {
      this.track(this.tick(nowMs));
    });
  }

  /** Buffers the spans and resolves at once: from here this processor owns delivering them. */
  consume(spans: Span[]): Promise<void> {
    if (this.stopped) return Promise.reject(new UnavailableError('tail_sampling is shut down', 1));
    this.buffer(spans, this.context.nowMs());
    return RESOLVED;
  }

  /** Decides every trace whose decision_wait has passed by `nowMs` and forwards what is kept. */
  async tick(nowMs: number): Promise<void> {
    for (let trace = this.oldestPending(); trace && trace.decideAtMs <= nowMs; trace = this.oldestPending()) {
      this.decide(trace, nowMs, false);
    }
    await this.flush();
  }

  /** Decides every pending trace now with the spans it has (or drops them with drop_pending_traces_on_shutdown). */
  async shutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.cancelTicks();
    await Promise.all(this.inFlight);
    const nowMs = this.context.nowMs();
    if (this.settings.dropPendingTracesOnShutdown) {
      if (this.pending.size > 0)
        this.context.log(`tail_sampling: dropped ${this.pending.size} undecided traces at shutdown`);
      this.pending.clear();
      this.queue = [];
      this.queueHead = 0;
    }
    for (let trace = this.oldestPending(); trace; trace = this.oldestPending())
      this.decide(trace, nowMs, false);
    await this.flush();
    samplingStatsRegistry.delete(this.statsKey);
  }

  /** Per-service counts since start (see TailSamplingStats). */
  stats(): TailSamplingStats {
    return { pendingTraces: this.pending.size, services: this.book.snapshot() };
  }

  private buffer(spans: readonly Span[], nowMs: number): void {
    // Spans of one trace usually come together: remember the last trace to skip the map lookup.
    let lastTraceId = '';
    let last: PendingTrace | undefined;
    for (const span of spans) {
      if (last !== undefined && span.traceId === lastTraceId) {
        last.spans.push(span);
        continue;
      }
      lastTraceId = span.traceId;
      last = this.pending.get(lastTraceId);
      if (last === undefined) {
        if (this.followDecision(span)) continue;
        last = this.admit(lastTraceId, nowMs);
      }
      last.spans.push(span);
    }
  }

  /** A late span of a decided trace: kept or dropped as its trace was. */
  private followDecision(span: Span): boolean {
    const kept = this.sampledCache.get(span.traceId);
    if (kept) {
      this.outbox.push(keptCopy(span, kept.reason, true));
      this.book.recordLateSpan(kept.stats, true);
      this.counters.lateSampled++;
      return true;
    }
    const notKept = this.notSampledCache.get(span.traceId);
    if (!notKept) return false;
    this.book.recordLateSpan(notKept, false);
    this.counters.lateNotSampled++;
    return true;
  }

  /**
   * Starts a trace. At num_traces the oldest undecided trace is decided now, on the spans it has,
   * and counted as evicted. Upstream drops such a trace undecided (processor.go dropTrace), losing
   * e.g. an error trace; deciding early keeps it whenever what has arrived already qualifies.
   */
  private admit(traceId: string, nowMs: number): PendingTrace {
    if (this.pending.size >= this.settings.numTraces) {
      const oldest = this.oldestPending();
      if (oldest) this.decide(oldest, nowMs, true);
    }
    const trace: PendingTrace = {
      traceId,
      spans: [],
      decideAtMs: nowMs + this.settings.decisionWaitMs,
      decided: false,
    };
    this.pending.set(traceId, trace);
    this.queue.push(trace);
    return trace;
  }

  private oldestPending(): PendingTrace | undefined {
    while (this.queueHead < this.queue.length) {
      const trace = this.queue[this.queueHead];
      if (trace && !trace.decided) return trace;
      this.queueHead++;
    }
    this.queue = [];
    this.queueHead = 0;
    return undefined;
  }

  private decide(trace: PendingTrace, nowMs: number, evicted: boolean): void {
    trace.decided = true;
    this.pending.delete(trace.traceId);
    const verdict = combineDecisions(this.settings.policies, trace, nowMs, this.settings.sampleOnFirstMatch);
    const stats = this.book.forService(serviceOf(trace.spans));
    this.book.recordDecision(stats, verdict, trace.spans.length, evicted);
    this.counters.countDecision(verdict);
    if (evicted) this.counters.evicted++;
    if (verdict.kind === 'sampled') {
      this.sampledCache.set(trace.traceId, { reason: verdict.reason, stats });
      for (const span of trace.spans) this.outbox.push(keptCopy(span, verdict.reason, false));
    } else {
      this.notSampledCache.set(trace.traceId, stats);
    }
    trace.spans = NO_SPANS;
    this.compactQueue();
  }

  private track(forward: Promise<void>): void {
    this.inFlight.add(forward);
    void forward.finally(() => this.inFlight.delete(forward));
  }

  /** Drops the decided prefix of the queue once it is most of the array. */
  private compactQueue(): void {
    if (this.queueHead > 4096 && this.queueHead * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.queueHead);
      this.queueHead = 0;
    }
  }

  /** Hands the kept spans on as one batch; a refusal downstream drops them, counted and logged. */
  private async flush(): Promise<void> {
    this.counters.publish();
    if (this.outbox.length === 0) return;
    const batch = this.outbox;
    this.outbox = [];
    try {
      await this.next.consume(batch);
      this.forwardFailing = false;
    } catch (error: unknown) {
      this.counters.countForwardFailure(batch.length);
      if (!this.forwardFailing) {
        // Once per run of failures: the hot path counts, it does not flood the log.
        this.context.log(
          `tail_sampling: next consumer refused ${batch.length} kept spans (${errorName(error)}); dropping them`,
        );
      }
      this.forwardFailing = true;
    }
  }
}

/** A kept span's copy with the policy that kept it (copy-on-write: the input is never changed). */
function keptCopy(span: Span, reason: KeepReason, cachedDecision: boolean): Span {
  const attributes = Object.assign(newAttributes(), span.attributes);
  attributes[POLICY_ATTRIBUTE] = reason.policyName;
  if (reason.subPolicyName !== undefined) attributes[COMPOSITE_POLICY_ATTRIBUTE] = reason.subPolicyName;
  if (cachedDecision) attributes[CACHED_DECISION_ATTRIBUTE] = true;
  attributes[ADJUSTED_COUNT_ATTRIBUTE] = reason.adjustedCount;
  return { ...span, attributes };
}

/** The root span's service, else the first span's. */
function serviceOf(spans: readonly Span[]): string {
  for (const span of spans) if (span.parentSpanId === '') return span.resource.serviceName;
  return spans[0]?.resource.serviceName ?? UNKNOWN_SERVICE;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'error';
}
