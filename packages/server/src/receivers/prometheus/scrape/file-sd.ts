/**
 * file_sd_configs, as Prometheus's discovery/file: JSON or YAML files holding lists of
 * `{targets, labels}` groups, re-read when a watched directory changes and every
 * refresh_interval. Every target gets `__meta_filepath`. A file that fails to read or parse keeps
 * its previous groups (and is logged), so a half-written file never empties a job.
 */
import { watch, type FSWatcher } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { targetGroup, type FileSdConfig, type TargetGroup } from './scrape-config.ts';

/** Reads and watches the files of one file_sd_configs entry. */
export class FileSd {
  private readonly groupsByFile = new Map<string, TargetGroup[]>();
  private readonly watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly config: FileSdConfig,
    private readonly onChange: (groups: TargetGroup[]) => void,
    private readonly log: (line: string) => void,
  ) {}

  /** Reads the files once, then keeps watching them. */
  async start(): Promise<TargetGroup[]> {
    await this.refresh();
    for (const dir of new Set(this.config.files.map((pattern) => dirname(pattern)))) {
      try {
        const watcher = watch(dir, () => this.scheduleRefresh());
        watcher.on('error', () => watcher.close());
        this.watchers.push(watcher);
      } catch {
        // The directory may appear later; the periodic refresh covers it.
      }
    }
    this.timer = setInterval(() => void this.refreshAndNotify(), this.config.refreshIntervalMs);
    this.timer.unref();
    return this.groups();
  }

  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    clearTimeout(this.debounce);
    for (const watcher of this.watchers) watcher.close();
  }

  groups(): TargetGroup[] {
    return [...this.groupsByFile.values()].flat();
  }

  private scheduleRefresh(): void {
    clearTimeout(this.debounce);
    // Editors write files in several steps; one read after they settle.
    this.debounce = setTimeout(() => void this.refreshAndNotify(), 100);
  }

  private async refreshAndNotify(): Promise<void> {
    const before = JSON.stringify(this.groups());
    await this.refresh();
    if (!this.closed && JSON.stringify(this.groups()) !== before) this.onChange(this.groups());
  }

  private async refresh(): Promise<void> {
    const files = (await Promise.all(this.config.files.map(expandPattern))).flat();
    for (const file of this.groupsByFile.keys()) if (!files.includes(file)) this.groupsByFile.delete(file);
    for (const file of files) {
      try {
        this.groupsByFile.set(file, parseTargetFile(await readFile(file, 'utf8'), file));
      } catch (error: unknown) {
        this.log(`file_sd: cannot use ${file}: ${(error as Error).message}`);
      }
    }
  }
}

/** Parses one file_sd file: a list of target groups, JSON or YAML by extension. */
export function parseTargetFile(text: string, path: string): TargetGroup[] {
  let raw: unknown;
  try {
    raw = extname(path) === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch {
    throw new Error(extname(path) === '.json' ? 'invalid JSON' : 'invalid YAML');
  }
  raw ??= [];
  if (!Array.isArray(raw)) throw new Error('expected a list of target groups');
  return raw.map((entry, index) => {
    try {
      const group = targetGroup(entry, [String(index)], path);
      return { ...group, labels: { ...group.labels, __meta_filepath: path } };
    } catch (error: unknown) {
      throw new Error(`group ${index + 1}: ${(error as Error).message}`);
    }
  });
}

/** Expands `*` and `?` in the file name part, as filepath.Glob for Prometheus's patterns. */
async function expandPattern(pattern: string): Promise<string[]> {
  const name = basename(pattern);
  if (!/[*?]/.test(name)) return [pattern];
  const regex = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
  try {
    const entries = await readdir(dirname(pattern));
    return entries.filter((entry) => regex.test(entry)).sort().map((entry) => join(dirname(pattern), entry));
  } catch {
    return [];
  }
}
