/** Test support: the one fake ComponentContext that pipeline tests build components with. */
import { SettingsError, type ComponentContext, type Scheduler } from './component.ts';
import { ManualScheduler } from './manual-scheduler.ts';

/** What a test may fix about its context; everything left out gets an inert default. */
export interface TestContextOptions {
  /** The component id; defaults to `test`. */
  id?: string;
  /** Defaults to a ManualScheduler at 0, so nothing periodic runs until the test advances it. */
  scheduler?: Scheduler;
  /** Defaults to the scheduler's clock when it is a ManualScheduler, else a fixed 0. */
  nowMs?: () => number;
  /** Defaults to `/nonexistent`: a component that touches the disk must be given a real one. */
  dataDir?: string;
  /** Defaults to refusing every extension, as the runtime does for one that is not configured. */
  storageDirectory?: (extensionId: string) => string;
  /** Also called with every log line (e.g. to print it); lines are kept in `lines` either way. */
  log?: (line: string) => void;
}

/**
 * A ComponentContext for tests, whose log lines are kept in `lines` for assertions.
 *
 * @example
 * const scheduler = new ManualScheduler(1_760_000_000_000);
 * const context = testComponentContext({ id: 'batch', scheduler });
 * await scheduler.advanceTo(scheduler.nowMs() + 1_000); // context.nowMs() follows
 */
export function testComponentContext(
  options: TestContextOptions = {},
): ComponentContext & { lines: string[] } {
  const scheduler = options.scheduler ?? new ManualScheduler(0);
  const lines: string[] = [];
  return {
    id: options.id ?? 'test',
    lines,
    log: (line) => {
      lines.push(line);
      options.log?.(line);
    },
    nowMs: options.nowMs ?? clockOf(scheduler),
    scheduler,
    dataDir: options.dataDir ?? '/nonexistent',
    storageDirectory: options.storageDirectory ?? refuseStorage,
  };
}

function clockOf(scheduler: Scheduler): () => number {
  if (scheduler instanceof ManualScheduler) return () => scheduler.nowMs();
  return () => 0;
}

/** The runtime's answer for an extension that is not a configured file_storage (runtime-context.ts). */
function refuseStorage(extensionId: string): never {
  throw new SettingsError(
    `storage "${extensionId}" is not a file_storage extension defined under extensions`,
    ['sending_queue', 'storage'],
  );
}
