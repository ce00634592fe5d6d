import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Store } from '../storage/store.ts';
import type { RestoreResult } from './engine/engine-snapshot.ts';
import { InvalidParameterError } from '../query/traces/invalid-parameter-error.ts';
import type { MlAnalytics } from './engine/ml-analytics.ts';
import { UnknownBaselineError } from './engine/ml-analytics.ts';
import { correlateGpuLatency } from './gpu/gpu-correlation.ts';
import { UnknownModelError, type BaselineInfo, type MlQueries } from './ml-queries.ts';
import type {
  CanaryComparison,
  DeploymentMarker,
  DriftReference,
  DriftReport,
  GenAiSummary,
  LatencyPoint,
  ModelSummary,
  RangeMs,
  VersionSummary,
} from './ml-types.ts';
import {
  clockSkewReport,
  phaseBreakdown,
  phaseShift,
  propagationGaps,
  tailAtScale,
  type VersionPhases,
} from './trace-analytics/index.ts';

/** Pinned drift baselines survive restarts in the data directory. */
const BASELINES_FILE = 'ml-baselines.json';
/** The engine's aggregates, saved periodically and at shutdown, restored at start. */
const SNAPSHOT_FILE = 'ml-engine-snapshot.json';

export interface MlServiceOptions {
  engine: MlAnalytics;
  /** Stored traces (trace-tree analyses) and DCGM series (GPU correlation). */
  store: Pick<Store, 'searchTraces' | 'getTrace' | 'selectSeries'>;
  dataDir: string;
}

/**
 * The ML analytics behind the API: the streaming engine for per-version statistics, stored traces
 * for the analyses that need whole trees, DCGM series joined to the engine's timelines for GPU
 * correlation. Validates names against what the engine has seen, so a typo is a 404, not an empty
 * report.
 */
export class MlService implements MlQueries {
  constructor(private readonly options: MlServiceOptions) {}

  /** Loads pinned baselines written by an earlier run (a missing file is a first start). */
  async loadBaselines(): Promise<void> {
    const text = await this.readDataFile(BASELINES_FILE);
    if (text !== undefined) this.engine.loadBaselines(JSON.parse(text));
  }

  /**
   * Restores the engine's aggregates saved by an earlier run; undefined on a first start. Throws
   * (SyntaxError, TypeError) on a damaged file, whose contents never reach the message.
   */
  async loadSnapshot(): Promise<RestoreResult | undefined> {
    const text = await this.readDataFile(SNAPSHOT_FILE);
    return text === undefined ? undefined : this.engine.restore(JSON.parse(text));
  }

  /** Saves the engine's aggregates (temporary file, then rename: a crash leaves the previous one). */
  async saveSnapshot(): Promise<void> {
    await this.writeDataFile(SNAPSHOT_FILE, JSON.stringify(this.engine.snapshot()));
  }

  models(range: RangeMs): ModelSummary[] {
    return this.engine.models(range);
  }

  deployments(range: RangeMs): DeploymentMarker[] {
    return this.engine.deployments(range);
  }

  compare(
    model: string,
    baseline: string | undefined,
    candidate: string | undefined,
    range: RangeMs,
    confidence: number,
  ): CanaryComparison {
    this.requireKnown(model);
    const versions = this.engine.models(range).find((m) => m.model === model)?.versions ?? [];
    const base = baseline ?? mostTraffic(versions);
    const canary = candidate ?? newestOther(versions, base);
    if (base === undefined || canary === undefined)
      throw new InvalidParameterError('candidate', 'two versions with requests in range, or name both');
    for (const version of [base, canary]) this.requireKnown(model, version);
    return this.engine.compare(model, base, canary, range, { confidence });
  }

  drift(model: string, version: string, current: RangeMs, reference: DriftReference): DriftReport {
    this.requireKnown(model, version);
    try {
      return this.engine.drift(model, version, current, reference);
    } catch (error: unknown) {
      if (error instanceof UnknownBaselineError) throw new UnknownModelError(error.message);
      throw error;
    }
  }

  async pinBaseline(name: string, model: string, version: string, range: RangeMs): Promise<BaselineInfo> {
    this.requireKnown(model, version);
    const info = this.engine.pinBaseline(name, model, version, range);
    await this.saveBaselines();
    return info;
  }

  baselines(): BaselineInfo[] {
    return this.engine.baselines();
  }

  async deleteBaseline(name: string): Promise<boolean> {
    if (!this.engine.deleteBaseline(name)) return false;
    await this.saveBaselines();
    return true;
  }

  timeline(model: string, version: string, range: RangeMs, stepMs: number): LatencyPoint[] {
    this.requireKnown(model, version);
    return this.engine.latencyTimeline(model, version, range, stepMs);
  }

  genAi(range: RangeMs): GenAiSummary[] {
    return this.engine.genAi(range);
  }

  /** Phase shares per version, and against the range just before: which phase moved the tail. */
  async phases(range: RangeMs, model: string | undefined): Promise<unknown> {
    if (model !== undefined) this.requireKnown(model);
    const previousRange = { startMs: 2 * range.startMs - range.endMs, endMs: range.startMs };
    const [current, previous] = await Promise.all([
      phaseBreakdown(this.options.store, { range }),
      phaseBreakdown(this.options.store, { range: previousRange }),
    ]);
    const pick = (v: VersionPhases): boolean => model === undefined || v.model === model;
    const shifts = current.versions.filter(pick).flatMap((now) => {
      const before = previous.versions.find((v) => v.model === now.model && v.version === now.version);
      return before ? [{ model: now.model, version: now.version, ...phaseShift(now, before) }] : [];
    });
    return { ...current, versions: current.versions.filter(pick), previousRange, shifts };
  }

  tailAtScale(range: RangeMs, service: string | undefined): Promise<unknown> {
    return tailAtScale(this.options.store, { range, ...(service === undefined ? {} : { service }) });
  }

  propagationGaps(range: RangeMs, stepMs: number): Promise<unknown> {
    return propagationGaps(this.options.store, { range, stepMs });
  }

  clockSkew(range: RangeMs): Promise<unknown> {
    return clockSkewReport(this.options.store, { range });
  }

  gpu(range: RangeMs, stepMs: number): Promise<unknown> {
    const engine = this.engine;
    return correlateGpuLatency(
      this.options.store,
      (key, r, s) => Promise.resolve(engine.latencyTimeline(key.model, key.version, r, s)),
      { range, stepMs, placements: engine.placements() },
    );
  }

  private get engine(): MlAnalytics {
    return this.options.engine;
  }

  /** A model (or version) the engine does not hold is unknown (404), not an empty report. */
  private requireKnown(model: string, version?: string): void {
    if (this.engine.knows(model, version)) return;
    const what = version === undefined ? 'model' : `version ${JSON.stringify(version)} of`;
    throw new UnknownModelError(`unknown ${what} ${JSON.stringify(model)}`);
  }

  private saveBaselines(): Promise<void> {
    return this.writeDataFile(BASELINES_FILE, JSON.stringify(this.engine.baselinesToJSON()));
  }

  private async readDataFile(name: string): Promise<string | undefined> {
    try {
      return await readFile(join(this.options.dataDir, name), 'utf8');
    } catch (error: unknown) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** Written to a temporary file first, so a crash mid-write leaves the previous version. */
  private async writeDataFile(name: string, text: string): Promise<void> {
    await mkdir(this.options.dataDir, { recursive: true });
    const path = join(this.options.dataDir, name);
    await writeFile(`${path}.tmp`, text);
    await rename(`${path}.tmp`, path);
  }
}

function mostTraffic(versions: readonly VersionSummary[]): string | undefined {
  return [...versions].sort((a, b) => b.requests - a.requests)[0]?.version;
}

/** The canary: the most recently deployed version other than the baseline, with requests in range. */
function newestOther(versions: readonly VersionSummary[], baseline: string | undefined): string | undefined {
  return [...versions]
    .filter((v) => v.version !== baseline && v.requests > 0)
    .sort((a, b) => b.firstSeenMs - a.firstSeenMs)[0]?.version;
}
