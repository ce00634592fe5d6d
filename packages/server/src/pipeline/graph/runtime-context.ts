import { join } from 'node:path';
import { componentType } from './collector-graph-config.ts';
import { SettingsError, type ComponentContext, type Scheduler } from './component.ts';

export interface RuntimeContextOptions {
  dataDir: string;
  log(line: string): void;
  scheduler: Scheduler;
  nowMs(): number;
  /** `extensions:` of the config: id → settings. */
  extensions: Readonly<Record<string, unknown>>;
}

/**
 * Builds each component's context. `storageDirectory` resolves a `file_storage` extension
 * (extension/storage/filestorage): its `directory`, or one below Vigil's data dir named after the
 * extension, so persistent queues survive restarts without extra set-up.
 */
export function runtimeContextFactory(options: RuntimeContextOptions): (id: string) => ComponentContext {
  return (id) => ({
    id,
    log: (line) => options.log(`${id}: ${line}`),
    nowMs: () => options.nowMs(),
    scheduler: options.scheduler,
    dataDir: options.dataDir,
    storageDirectory: (extensionId) => storageDirectory(options, extensionId),
  });
}

function storageDirectory(options: RuntimeContextOptions, extensionId: string): string {
  if (!(extensionId in options.extensions) || componentType(extensionId) !== 'file_storage') {
    throw new SettingsError(
      `storage "${extensionId}" is not a file_storage extension defined under extensions`,
      ['sending_queue', 'storage'],
    );
  }
  const settings = options.extensions[extensionId];
  const directory =
    settings !== null && typeof settings === 'object'
      ? (settings as Record<string, unknown>)['directory']
      : undefined;
  if (typeof directory === 'string' && directory !== '') return directory;
  return join(options.dataDir, 'file_storage', extensionId.replace(/[^A-Za-z0-9_.-]/g, '_'));
}
