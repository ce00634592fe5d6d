/**
 * Runs the scrape loops of every job, as Prometheus's scrape.Manager + scrapePool: targets come
 * from static_configs and file_sd_configs; when discovery changes, new targets start, vanished
 * targets stop with stale markers, unchanged ones keep their loop.
 */
import type { ScrapeConfig, TargetGroup } from './scrape-config.ts';
import { FileSd } from './file-sd.ts';
import { ScrapeLoop, type ScrapeHealth, type ScrapeLoopDeps } from './scrape-loop.ts';
import { buildTargets, type ScrapeTarget } from './scrape-target.ts';

/** A target and its latest scrape, for status pages and tests. */
export interface TargetStatus {
  target: ScrapeTarget;
  health: ScrapeHealth | undefined;
}

class ScrapePool {
  private readonly loops = new Map<string, ScrapeLoop>();
  private readonly fileSds: FileSd[] = [];
  private sync: Promise<void> = Promise.resolve();

  constructor(
    readonly config: ScrapeConfig,
    private readonly deps: ScrapeLoopDeps,
  ) {}

  async start(): Promise<void> {
    const fileGroups = await Promise.all(
      this.config.fileSdConfigs.map((fileSdConfig) => {
        const fileSd = new FileSd(fileSdConfig, () => this.resync(), this.deps.log);
        this.fileSds.push(fileSd);
        return fileSd.start();
      }),
    );
    await this.apply([...this.config.staticConfigs, ...fileGroups.flat()]);
  }

  private resync(): void {
    this.sync = this.sync.then(() => this.apply([...this.config.staticConfigs, ...this.fileSds.flatMap((sd) => sd.groups())]));
  }

  private async apply(groups: TargetGroup[]): Promise<void> {
    const { targets, errors } = buildTargets(this.config, groups);
    for (const error of errors) this.deps.log(`scrape: ${error}`);
    const wanted = new Map(targets.map((target) => [target.key, target]));
    const gone = [...this.loops].filter(([key]) => !wanted.has(key));
    for (const [key] of gone) this.loops.delete(key);
    for (const [key, target] of wanted) {
      if (this.loops.has(key)) continue;
      const loop = new ScrapeLoop(target, this.config, this.deps);
      this.loops.set(key, loop);
      loop.start();
    }
    await Promise.all(gone.map(([, loop]) => loop.stop(true)));
  }

  status(): TargetStatus[] {
    return [...this.loops.values()].map((loop) => ({ target: loop.target, health: loop.health }));
  }

  async close(): Promise<void> {
    for (const fileSd of this.fileSds) fileSd.close();
    await this.sync;
    // Shutdown is not a target disappearing: no stale markers (scrape.go skips endOfRunStaleness).
    await Promise.all([...this.loops.values()].map((loop) => loop.stop(false)));
    this.loops.clear();
  }
}

/**
 * All scrape pools of the prometheus receiver.
 *
 * @example
 * const manager = new ScrapeManager(parseScrapeConfigs(config), { store, parse: parseExposition, acceptHeader: SCRAPE_ACCEPT_HEADER, log });
 * await manager.start();
 * // …
 * await manager.close();
 */
export class ScrapeManager {
  private readonly pools: ScrapePool[];

  constructor(configs: readonly ScrapeConfig[], deps: ScrapeLoopDeps) {
    this.pools = configs.map((config) => new ScrapePool(config, deps));
  }

  async start(): Promise<void> {
    await Promise.all(this.pools.map((pool) => pool.start()));
  }

  /** Every active target with its latest scrape outcome. */
  targets(): TargetStatus[] {
    return this.pools.flatMap((pool) => pool.status());
  }

  async close(): Promise<void> {
    await Promise.all(this.pools.map((pool) => pool.close()));
  }
}
