/**
 * Counts records left out of an otherwise valid request, by kind of problem, for the OTLP partial
 * success response (otlp-specification.md, "Partial Success"): `rejected_<records>` plus an
 * `error_message` that says what was wrong and how often, never the offending values.
 */
export class Rejections {
  total = 0;
  private readonly countsByReason = new Map<string, number>();

  add(reason: string, count = 1): void {
    if (count <= 0) return;
    this.total += count;
    this.countsByReason.set(reason, (this.countsByReason.get(reason) ?? 0) + count);
  }

  /** For example "rejected 3 spans: 2 with invalid trace_id, 1 with invalid span_id"; '' when none. */
  message(recordNoun: string): string {
    if (this.total === 0) return '';
    const reasons = [...this.countsByReason].map(([reason, count]) => `${count} with ${reason}`);
    return `rejected ${this.total} ${recordNoun}: ${reasons.join(', ')}`;
  }
}
