/**
 * Logs dropped requests without flooding: the first drop at once, later ones at most once per
 * interval with how many were folded in (STYLE.md, "Errors": count what you drop, log once). The
 * line names the reason only, never payload contents.
 *
 * @example
 * const drops = new DropLog(context.log, context.nowMs);
 * drops.report('dropped 12 spans after retries ran out: HTTP 503');
 */
export class DropLog {
  private lastLineMs = -Infinity;
  private folded = 0;

  constructor(
    private readonly log: (line: string) => void,
    private readonly nowMs: () => number,
    private readonly intervalMs = 60_000,
  ) {}

  report(line: string): void {
    const now = this.nowMs();
    if (now - this.lastLineMs < this.intervalMs) {
      this.folded++;
      return;
    }
    const suffix = this.folded > 0 ? ` (and ${this.folded} similar drops since the last line)` : '';
    this.log(line + suffix);
    this.lastLineMs = now;
    this.folded = 0;
  }
}
