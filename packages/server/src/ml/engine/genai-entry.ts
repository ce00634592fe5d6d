/**
 * Aggregates of one GenAI model (OTel GenAI semantic conventions, gen_ai.*): requests, errors,
 * tokens, generation time and time to first token, per time slot.
 */
import type { LogSketchJson } from '../stats/log-sketch.ts';
import { LogSketch } from '../stats/log-sketch.ts';
import type { Span } from '../../model/span.ts';
import { StatusCode } from '../../model/span.ts';
import type { SlotSpan } from './slot-ring.ts';
import { SlotRing } from './slot-ring.ts';
import { numericValue, timeToFirstTokenMs } from './span-classifier.ts';

/** One GenAI slot as JSON (engine snapshots). */
export interface GenAiSlotJson {
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  outputTokenSeconds: number;
  timeToFirstTokenMs: LogSketchJson | null;
}

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

  toJSON(): GenAiSlotJson {
    return {
      requests: this.requests,
      errors: this.errors,
      inputTokens: this.inputTokens,
      outputTokens: this.outputTokens,
      outputTokenSeconds: this.outputTokenSeconds,
      timeToFirstTokenMs: this.timeToFirstTokenMs?.toJSON() ?? null,
    };
  }

  static fromJSON(json: GenAiSlotJson): GenAiSlot {
    const slot = new GenAiSlot();
    slot.requests = json.requests;
    slot.errors = json.errors;
    slot.inputTokens = json.inputTokens;
    slot.outputTokens = json.outputTokens;
    slot.outputTokenSeconds = json.outputTokenSeconds;
    if (json.timeToFirstTokenMs) slot.timeToFirstTokenMs = LogSketch.fromJSON(json.timeToFirstTokenMs);
    return slot;
  }
}

export class GenAiEntry {
  lastSeenMs: number;
  readonly slots = new SlotRing(() => new GenAiSlot());

  constructor(
    readonly model: string,
    /** gen_ai.system of the first span (span-classifier.ts genAiSystemOf). */
    public system: string,
    /** Earliest span end seen; a restored snapshot can move it back. */
    public firstSeenMs: number,
  ) {
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
