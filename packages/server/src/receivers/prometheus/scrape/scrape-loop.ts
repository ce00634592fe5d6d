/**
 * The scrape loop of one target, as Prometheus's scrape/scrape.go scrapeLoop: scrape on a fixed
 * grid with a per-target offset, never overlapping; store samples and the report series (`up`,
 * `scrape_duration_seconds`, …); write stale markers for series that disappear, for every series
 * when a scrape fails, and for everything when the target goes away.
 */
import type { PromFamilyMetadata, PromMetricType, PromSeriesSamples } from '../../../model/prom-series.ts';
import type { Store } from '../../../storage/store.ts';
import type { ParsedExposition } from '../exposition.ts';
import type { ScrapeConfig } from './scrape-config.ts';
import { fetchExposition } from './scrape-http.ts';
import { processSamples, type ScrapedSample } from './scrape-samples.ts';
import type { ScrapeTarget } from './scrape-target.ts';

/** `parseExposition(body, contentType)` of parse-exposition.ts; throws on a malformed body. */
export type ExpositionParser = (body: string, contentType: string) => ParsedExposition;

export interface ScrapeLoopDeps {
  store: Pick<Store, 'writeSamples'>;
  parse: ExpositionParser;
  acceptHeader: string;
  log: (line: string) => void;
}

/** The outcome of the latest scrape, as Prometheus's /api/v1/targets reports it. */
export interface ScrapeHealth {
  up: boolean;
  lastScrapeMs: number;
  durationSeconds: number;
  /** Safe to show: no credentials, no body content. */
  error?: string;
  samplesScraped: number;
  samplesPostRelabeling: number;
  seriesAdded: number;
}

/**
 * Stale marker values: Prometheus's value.StaleNaN bit pattern 0x7ff0000000000002, set through a
 * BigUint64Array view so the signalling NaN's bits are never canonicalised by a JS number.
 */
export function staleMarkerValues(count: number): Float64Array {
  const values = new Float64Array(count);
  new BigUint64Array(values.buffer).fill(0x7ff0000000000002n);
  return values;
}

export class ScrapeLoop {
  private previous = new Map<string, Map<string, string>>();
  private lastTimestampMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private nextScrapeMs = 0;
  health: ScrapeHealth | undefined;

  constructor(
    readonly target: ScrapeTarget,
    private readonly config: ScrapeConfig,
    private readonly deps: ScrapeLoopDeps,
  ) {}

  /** Starts scraping at this target's offset within the interval (Target.offset in target.go). */
  start(nowMs: number = Date.now()): void {
    const delayMs = scrapeOffsetMs(this.target.key, this.target.scrapeIntervalMs, nowMs);
    this.nextScrapeMs = nowMs + delayMs;
    this.timer = setTimeout(() => this.tick(), delayMs);
  }

  /**
   * Stops the loop after any scrape in flight. With `staleMarkers` (the target went away), every
   * series it wrote gets a stale marker, as scrape.go endOfRunStaleness; not on shutdown.
   */
  async stop(staleMarkers: boolean): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    if (!staleMarkers || this.lastTimestampMs === 0) return;
    const timestampMs = Math.max(Date.now(), this.lastTimestampMs + 1);
    const all = [...this.previous.values(), ...reportNames.map((name) => reportLabels(this.target.labels, name))];
    await this.write(staleSeries(all, timestampMs));
    this.previous.clear();
  }

  private tick(): void {
    if (this.stopped) return;
    this.running = this.scrapeOnce(Date.now()).then(() => {
      this.running = undefined;
      if (this.stopped) return;
      // A scrape longer than the interval skips the missed ticks, like Go's time.Ticker.
      const nowMs = Date.now();
      do this.nextScrapeMs += this.target.scrapeIntervalMs;
      while (this.nextScrapeMs <= nowMs);
      this.timer = setTimeout(() => this.tick(), this.nextScrapeMs - nowMs);
    });
  }

  /** One scrape at `timestampMs`: fetch, parse, process, store, report. Never throws. */
  async scrapeOnce(timestampMs: number): Promise<ScrapeHealth> {
    const startedMs = performance.now();
    const outcome = await this.scrapeAndProcess(timestampMs);
    const durationSeconds = (performance.now() - startedMs) / 1000;
    const samples = outcome.ok ? outcome.samples : [];
    const current = new Map(samples.filter((s) => !s.explicitTimestamp).map((s) => [s.key, s.labels]));
    const seriesAdded = outcome.ok ? [...current.keys()].filter((key) => !this.previous.has(key)).length : 0;
    const gone = [...this.previous].filter(([key]) => !current.has(key)).map(([, labels]) => labels);
    const health: ScrapeHealth = {
      up: outcome.ok,
      lastScrapeMs: timestampMs,
      durationSeconds,
      error: outcome.ok ? undefined : outcome.error,
      samplesScraped: outcome.scraped,
      samplesPostRelabeling: samples.length,
      seriesAdded,
    };
    const report = reportSeries(this.target.labels, timestampMs, health);
    await this.write([...samples.map(toSeries), ...staleSeries(gone, timestampMs), ...report], outcome.ok ? outcome.metadata : undefined);
    this.previous = current;
    this.lastTimestampMs = Math.max(this.lastTimestampMs, timestampMs);
    this.logTransition(health);
    this.health = health;
    return health;
  }

  private async scrapeAndProcess(
    timestampMs: number,
  ): Promise<{ ok: true; samples: ScrapedSample[]; scraped: number; metadata: PromFamilyMetadata[] } | { ok: false; error: string; scraped: number }> {
    let parsed: ParsedExposition;
    try {
      const response = await fetchExposition({
        url: this.target.url,
        timeoutMs: this.target.scrapeTimeoutMs,
        acceptHeader: this.deps.acceptHeader,
        auth: this.config.auth,
        bodySizeLimitBytes: this.config.bodySizeLimitBytes,
      });
      parsed = this.deps.parse(response.body, response.contentType);
    } catch (error: unknown) {
      // Parser messages carry a line number and a reason, never the line itself.
      return { ok: false, error: (error as Error).message, scraped: 0 };
    }
    const processed = processSamples(parsed.samples, this.target.labels, this.config, timestampMs);
    if (!processed.ok) return { ok: false, error: processed.error, scraped: parsed.samples.length };
    const metadata = parsed.families.map((family) => ({
      metricFamily: family.name,
      type: (family.type === 'untyped' ? 'unknown' : family.type) satisfies PromMetricType,
      help: family.help,
      unit: family.unit,
    }));
    return { ok: true, samples: processed.samples, scraped: parsed.samples.length, metadata };
  }

  private async write(series: PromSeriesSamples[], metadata?: PromFamilyMetadata[]): Promise<void> {
    if (series.length === 0) return;
    try {
      await this.deps.store.writeSamples(series, metadata);
    } catch (error: unknown) {
      this.deps.log(`scrape: storing samples of job ${this.target.jobName} failed: ${(error as Error).name}`);
    }
  }

  /** Logs when a target goes down or comes back, not on every scrape. */
  private logTransition(health: ScrapeHealth): void {
    if (health.up === (this.health?.up ?? true)) return;
    const instance = this.target.labels.get('instance') ?? '';
    this.deps.log(
      health.up
        ? `scrape: job ${this.target.jobName} instance ${instance} is up again`
        : `scrape: job ${this.target.jobName} instance ${instance} failed: ${health.error ?? ''}`,
    );
  }
}

const reportNames = ['up', 'scrape_duration_seconds', 'scrape_samples_scraped', 'scrape_samples_post_metric_relabeling', 'scrape_series_added'];

function reportLabels(target: ReadonlyMap<string, string>, name: string): Map<string, string> {
  return new Map([['__name__', name], ...target]);
}

/** scrape.go report(): the per-target series, with the target's labels and no metric relabeling. */
function reportSeries(target: ReadonlyMap<string, string>, timestampMs: number, health: ScrapeHealth): PromSeriesSamples[] {
  const values = [health.up ? 1 : 0, health.durationSeconds, health.samplesScraped, health.samplesPostRelabeling, health.seriesAdded];
  return reportNames.map((name, index) => ({
    labels: reportLabels(target, name),
    timestampsMs: Float64Array.of(timestampMs),
    values: Float64Array.of(values[index] ?? 0),
  }));
}

function toSeries(sample: ScrapedSample): PromSeriesSamples {
  return { labels: sample.labels, timestampsMs: Float64Array.of(sample.timestampMs), values: Float64Array.of(sample.value) };
}

function staleSeries(labelSets: readonly ReadonlyMap<string, string>[], timestampMs: number): PromSeriesSamples[] {
  return labelSets.map((labels) => ({ labels, timestampsMs: Float64Array.of(timestampMs), values: staleMarkerValues(1) }));
}

/**
 * target.go offset(): a deterministic position within the interval from the target's hash, pinned
 * to absolute time so every Vigil scrapes a target at the same phase. FNV-1a 64 of the target key.
 */
export function scrapeOffsetMs(targetKey: string, intervalMs: number, nowMs: number): number {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(targetKey, 'utf8')) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  const baseMs = intervalMs - (nowMs % intervalMs);
  let nextMs = baseMs + Number(hash % BigInt(intervalMs));
  if (nextMs > intervalMs) nextMs -= intervalMs;
  return nextMs;
}
