import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Signal } from '../../model/signal.ts';
import { defaultRegistry } from '../component-registry.ts';
import { GraphConfigError, PipelineGraph, type StoreConsumers } from './build-graph.ts';
import type { CollectorGraphConfig } from './collector-graph-config.ts';
import type { Consumer } from './component.ts';
import { ManualScheduler } from './manual-scheduler.ts';
import { runtimeContextFactory } from './runtime-context.ts';

/**
 * Creates every component the pipelines use, as `vigil serve` would, without receiving or sending
 * anything, so `vigil validate-config` reports the settings errors components find (a bad policy in
 * tail_sampling, an OTTL condition that does not parse) with their line. Returns that error, if any.
 */
export async function validateGraphSettings(config: CollectorGraphConfig): Promise<string | undefined> {
  const scratchDir = mkdtempSync(join(tmpdir(), 'vigil-validate-'));
  const discard = <S extends Signal>(): Consumer<S> => ({ consume: () => Promise.resolve() });
  const store: StoreConsumers = { traces: discard(), metrics: discard(), logs: discard() };
  const contextFor = runtimeContextFactory({
    dataDir: scratchDir,
    log: () => {},
    scheduler: new ManualScheduler(0),
    nowMs: () => 0,
    // Settings dropped: persistent queues of a dry run go below the scratch dir, not the user's.
    extensions: Object.fromEntries(Object.keys(config.extensions).map((id) => [id, null])),
  });
  try {
    const graph = new PipelineGraph({
      config,
      registry: defaultRegistry(),
      store,
      contextFor,
      implicitConnectors: [],
    });
    await graph.shutdown();
    return undefined;
  } catch (error: unknown) {
    if (error instanceof GraphConfigError) return error.message;
    throw error;
  } finally {
    rmSync(scratchDir, { recursive: true, force: true });
  }
}
