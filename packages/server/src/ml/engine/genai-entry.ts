/**
 * Aggregates of one GenAI model (OTel GenAI semantic conventions, gen_ai.*): requests, errors,
 * tokens, generation time and time to first token, per time slot.
 */
import { LogSketch } from '../stats/log-sketch.ts';
import type { Span } from '../../model/span.ts';
import { StatusCode } from '../../model/span.ts';
import type { SlotSpan } from './slot-ring.ts';
import { SlotRing } from './slot-ring.ts';
import { genAiSystemOf, numericValue, timeToFirstTokenMs } from './span-classifier.ts';

export class GenAiSlot {
  requests = 0;
  errors = 0;
  inputTokens = 0;
  outputTokens = 0;
  /** Σ span seconds of the requests that reported gen_ai.usage.output_tokens. */
  outputTokenSeconds = 0;
  timeToFirstTokenMs: LogSketch | undefined;

  merge(other: GenAiSlot): void {
    this.requests += other.requests;
    this.errors += other.errors;
    this.inputTokens += other.inputTokens;
    this.outputTokens += other.outputTokens;
    this.outputTokenSeconds += other.outputTokenSeconds;
    if (other.timeToFirstTokenMs) {
      if (this.timeToFirstTokenMs) this.timeToFirstTokenMs.merge(other.timeToFirstTokenMs);
      else this.timeToFirstTokenMs = other.timeToFirstTokenMs.clone();
    }
  }
}

export class GenAiEntry {
  system: string;
  lastSeenMs: number;
  readonly slots = new SlotRing(() => new GenAiSlot());

  constructor(
    readonly model: string,
    span: Span,
    readonly firstSeenMs: number,
  ) {
    this.system = genAiSystemOf(span.attributes);
    this.lastSeenMs = firstSeenMs;
  }

  record(slot: GenAiSlot, span: Span, timeMs: number, durationMs: number): void {
    if (timeMs > this.lastSeenMs) this.lastSeenMs = timeMs;
    const attributes = span.attributes;
    slot.requests++;
    if (span.statusCode === StatusCode.ERROR) slot.errors++;
    slot.inputTokens += numericValue(attributes['gen_ai.usage.input_tokens']) ?? 0;
    const outputTokens = numericValue(attributes['gen_ai.usage.output_tokens']);
    if (outputTokens !== undefined) {
      slot.outputTokens += outputTokens;
      slot.outputTokenSeconds += durationMs / 1000;
    }
    const ttftMs = timeToFirstTokenMs(span);
    if (ttftMs !== undefined) (slot.timeToFirstTokenMs ??= new LogSketch()).add(ttftMs);
  }

  merged(span: SlotSpan): GenAiSlot {
    const total = new GenAiSlot();
    this.slots.forEachIn(span, (slot) => total.merge(slot));
    return total;
  }
}
