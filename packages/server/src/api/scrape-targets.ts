/**
 * What the API shows of scrape targets; structurally the scrape manager's TargetStatus
 * (receivers/prometheus/scrape), declared here so the API does not depend on the receiver.
 */
export interface ScrapeTargetView {
  target: {
    jobName: string;
    url: URL;
    labels: ReadonlyMap<string, string>;
    scrapeIntervalMs: number;
    scrapeTimeoutMs: number;
  };
  health: ScrapeHealthView | undefined;
}

export interface ScrapeHealthView {
  up: boolean;
  lastScrapeMs: number;
  durationSeconds: number;
  /** Safe to show: no credentials, no body content. */
  error?: string;
}
