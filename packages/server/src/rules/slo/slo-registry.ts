/**
 * The SLOs Vigil knows: those of the config file (fixed while running) and those declared through
 * the API, which persist as JSON in the data directory and are bounded in number.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RuleGroupSpec } from '../rule-types.ts';
import { parseSloSpec } from './parse-slo-spec.ts';
import { sloDeclaration } from './slo-declaration.ts';
import { generateSloRuleGroups } from './slo-rules.ts';
import type { SloSpec } from './slo-spec.ts';
import { SloSpecError } from './spec-fields.ts';

export type SloSource = 'config' | 'api';

export interface SloEntry {
  spec: SloSpec;
  source: SloSource;
}

/** A change the registry refuses: `not_found` (404), `conflict` (409: declared in config), `limit` (409). */
export class SloRegistryError extends Error {
  override readonly name = 'SloRegistryError';
  constructor(
    readonly kind: 'not_found' | 'conflict' | 'limit',
    message: string,
  ) {
    super(message);
  }
}

export interface SloRegistryOptions {
  /** From the config file's `vigil.slos:` (parseSloSpecs): listed, never changed through the API. */
  configSlos?: readonly SloSpec[];
  /** Where `slos.json` lives (the data directory); absent keeps API SLOs in memory only. */
  dir?: string;
  /** Most SLOs the API may declare (each adds a rule group evaluated every interval); default 200. */
  maxApiSlos?: number;
  /** After every change, with all SLOs (config ones first): reload the rule manager's groups here. */
  onChange?: (slos: readonly SloSpec[]) => void;
  /** Told about stored SLOs skipped at load (invalid now, or shadowed by the config). */
  log?: (line: string) => void;
}

export const SLO_STORE_FILE = 'slos.json';
const STORE_VERSION = 1;
const DEFAULT_MAX_API_SLOS = 200;

/**
 * @example
 * const slos = await SloRegistry.open({
 *   configSlos: parseSloSpecs(rawConfig.vigil?.slos, ['vigil', 'slos']),
 *   dir: config.dataDir,
 *   onChange: (specs) => ruleManager.setGroups([...fileGroups, ...generateSloRuleGroups(specs)]),
 * });
 */
export class SloRegistry {
  private readonly apiSlos = new Map<string, SloSpec>();
  /** Changes run one at a time, so the file is written in the order the API answered. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly configSlos: ReadonlyMap<string, SloSpec>,
    private readonly options: SloRegistryOptions,
  ) {}

  static async open(options: SloRegistryOptions = {}): Promise<SloRegistry> {
    const configSlos = new Map((options.configSlos ?? []).map((spec) => [spec.name, spec]));
    const registry = new SloRegistry(configSlos, options);
    for (const spec of await registry.load()) registry.apiSlos.set(spec.name, spec);
    return registry;
  }

  /** Config SLOs first, then API ones in declaration order. */
  entries(): SloEntry[] {
    return [
      ...[...this.configSlos.values()].map((spec) => ({ spec, source: 'config' as const })),
      ...[...this.apiSlos.values()].map((spec) => ({ spec, source: 'api' as const })),
    ];
  }

  specs(): SloSpec[] {
    return this.entries().map((entry) => entry.spec);
  }

  get(name: string): SloEntry | undefined {
    const config = this.configSlos.get(name);
    if (config) return { spec: config, source: 'config' };
    const api = this.apiSlos.get(name);
    return api ? { spec: api, source: 'api' } : undefined;
  }

  /** The rule groups of every SLO (generateSloRuleGroups). */
  ruleGroups(): RuleGroupSpec[] {
    return generateSloRuleGroups(this.specs());
  }

  /** Declares or replaces an API SLO; `created` is false when one of that name was replaced. */
  put(spec: SloSpec): Promise<{ created: boolean }> {
    return this.change(() => {
      if (this.configSlos.has(spec.name))
        throw new SloRegistryError('conflict', 'an SLO of this name is declared in the config file');
      const created = !this.apiSlos.has(spec.name);
      const limit = this.options.maxApiSlos ?? DEFAULT_MAX_API_SLOS;
      if (created && this.apiSlos.size >= limit)
        throw new SloRegistryError('limit', `at most ${limit} SLOs can be declared through the API`);
      const next = new Map(this.apiSlos);
      next.set(spec.name, spec);
      return { next, result: { created } };
    });
  }

  delete(name: string): Promise<void> {
    return this.change(() => {
      if (this.configSlos.has(name))
        throw new SloRegistryError('conflict', 'this SLO is declared in the config file; remove it there');
      if (!this.apiSlos.has(name)) throw new SloRegistryError('not_found', 'no such SLO');
      const next = new Map(this.apiSlos);
      next.delete(name);
      return { next, result: undefined };
    });
  }

  /** Persists first, then swaps the in-memory set and notifies: a failed write changes nothing. */
  private change<T>(plan: () => { next: Map<string, SloSpec>; result: T }): Promise<T> {
    const run = this.queue.then(async () => {
      const { next, result } = plan();
      await this.save([...next.values()]);
      this.apiSlos.clear();
      for (const [name, spec] of next) this.apiSlos.set(name, spec);
      this.options.onChange?.(this.specs());
      return result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async save(specs: readonly SloSpec[]): Promise<void> {
    const { dir } = this.options;
    if (dir === undefined) return;
    await mkdir(dir, { recursive: true });
    const path = join(dir, SLO_STORE_FILE);
    const text = JSON.stringify({ version: STORE_VERSION, slos: specs.map(sloDeclaration) }, null, 2);
    // Write-then-rename: a crash mid-write leaves the old file, never half of a new one.
    await writeFile(`${path}.tmp`, `${text}\n`);
    await rename(`${path}.tmp`, path);
  }

  private async load(): Promise<SloSpec[]> {
    const { dir } = this.options;
    if (dir === undefined) return [];
    const path = join(dir, SLO_STORE_FILE);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error: unknown) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return this.validStored(storedDeclarations(text, path));
  }

  /** Stored declarations that still validate, are not shadowed by the config, and fit the limit. */
  private validStored(declarations: readonly unknown[]): SloSpec[] {
    const log = this.options.log ?? (() => undefined);
    const limit = this.options.maxApiSlos ?? DEFAULT_MAX_API_SLOS;
    const specs = new Map<string, SloSpec>();
    declarations.forEach((declaration, index) => {
      try {
        const spec = parseSloSpec(declaration, ['slos', String(index)]);
        if (this.configSlos.has(spec.name))
          log(`slo: stored SLO ${spec.name} skipped: the config declares it`);
        else if (specs.size >= limit) log(`slo: stored SLO ${spec.name} skipped: over the limit of ${limit}`);
        else specs.set(spec.name, spec);
      } catch (error: unknown) {
        if (!(error instanceof SloSpecError)) throw error;
        log(`slo: stored SLO skipped: ${SLO_STORE_FILE}: ${error.message}`);
      }
    });
    return [...specs.values()];
  }
}

function storedDeclarations(text: string, path: string): unknown[] {
  let stored: unknown;
  try {
    stored = JSON.parse(text);
  } catch {
    throw new Error(`${path}: not valid JSON; fix or remove the file`);
  }
  const slos = (stored as { slos?: unknown } | null)?.slos;
  if (!Array.isArray(slos)) throw new Error(`${path}: expected {"version": 1, "slos": [...]}`);
  return slos as unknown[];
}
