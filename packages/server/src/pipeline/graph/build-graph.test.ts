import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Signal, SignalBatch } from '../../model/signal.ts';
import { makeSpan } from '../../storage/contract-fixtures.ts';
import {
  GraphConfigError,
  PipelineGraph,
  type ComponentRegistry,
  type StoreConsumers,
} from './build-graph.ts';
import type { CollectorGraphConfig, PipelineConfig } from './collector-graph-config.ts';
import {
  SettingsError,
  type ComponentContext,
  type ConnectorFactory,
  type Consumer,
  type ExporterFactory,
  type ProcessorFactory,
} from './component.ts';
import { testComponentContext } from './test-context.ts';

/** Every component records what it saw and when it shut down, in one shared journal. */
function harness() {
  const journal: string[] = [];
  const seen = (who: string, records: unknown[]): void => {
    journal.push(`${who}:${records.length}`);
  };
  let refusing = false;
  const store: StoreConsumers = {
    traces: {
      consume: (r) =>
        refusing ? Promise.reject(new Error('refused')) : Promise.resolve(seen('store.traces', r)),
    },
    metrics: { consume: (r) => Promise.resolve(seen('store.metrics', r)) },
    logs: { consume: (r) => Promise.resolve(seen('store.logs', r)) },
  };
  // A processor that tags each record count with its id and keeps every other record (like sampling).
  const halve: ProcessorFactory = {
    type: 'halve',
    signals: ['traces', 'metrics', 'logs'],
    create: <S extends Signal>(_s: S, settings: unknown, next: Consumer<S>, context: ComponentContext) => {
      if (settings !== null && settings !== undefined && (settings as { bad?: boolean }).bad)
        throw new SettingsError('must not be bad', ['bad']);
      return {
        consume: (records: SignalBatch[S]) => {
          seen(context.id, records);
          return next.consume(records.filter((_, i) => i % 2 === 0) as SignalBatch[S]);
        },
        shutdown: () => Promise.resolve(void journal.push(`shutdown ${context.id}`)),
      };
    },
  };
  const forward: ExporterFactory = {
    type: 'forward',
    signals: ['traces', 'metrics', 'logs'],
    create: <S extends Signal>(signal: S, _settings: unknown, context: ComponentContext) => ({
      consume: (records: SignalBatch[S]) => Promise.resolve(seen(`${context.id}.${signal}`, records)),
      shutdown: () => Promise.resolve(void journal.push(`shutdown ${context.id}`)),
    }),
  };
  // A connector emitting one metric "point" per span batch it sees.
  const count: ConnectorFactory = {
    type: 'count',
    from: 'traces',
    to: 'metrics',
    create: (_settings, emit, context) => ({
      consume: (records) => {
        seen(context.id, records);
        return emit.consume(records.map(() => ({}) as never));
      },
      shutdown: () => Promise.resolve(void journal.push(`shutdown ${context.id}`)),
    }),
  };
  const registry: ComponentRegistry = {
    processors: new Map([['halve', halve]]),
    exporters: new Map([['forward', forward]]),
    connectors: new Map([['count', count]]),
  };
  const contextFor = (id: string): ComponentContext => testComponentContext({ id });
  const observer: Consumer<'traces'> = { consume: (r) => Promise.resolve(seen('observer', r)) };
  const build = (config: CollectorGraphConfig | undefined, implicit = false, observe = false) =>
    new PipelineGraph({
      config,
      registry,
      store,
      contextFor,
      implicitConnectors: implicit ? [{ type: 'count', settings: {} }] : [],
      ...(observe ? { spanObservers: [observer] } : {}),
    });
  return { journal, build, refuse: () => (refusing = true) };
}

function pipeline(
  id: string,
  receivers: string[],
  processors: string[],
  exporters: string[],
): PipelineConfig {
  return { id, signal: id.split('/')[0] as Signal, receivers, processors, exporters };
}

function graphConfig(
  pipelines: PipelineConfig[],
  extra: Partial<CollectorGraphConfig> = {},
): CollectorGraphConfig {
  return {
    processors: { halve: null, 'halve/2': null, memory_limiter: null },
    exporters: { 'forward/tempo': null, vigil: null },
    connectors: { count: null },
    extensions: {},
    pipelines,
    file: 'vigil.yaml',
    positions: { processors: [10, 1], 'processors.halve': [11, 3], 'processors.halve.bad': [12, 5] },
    ...extra,
  };
}

const spans = (n: number) => Array.from({ length: n }, (_, i) => makeSpan({ trace: i + 1, span: 1 }));

describe('PipelineGraph', () => {
  it('without pipelines, receivers write to the store, and implicit connectors see every span', async () => {
    const { journal, build } = harness();
    const graph = build(undefined, true);
    await graph.receiver('otlp').consume('traces', spans(4));
    await graph.receiver('loki').consume('logs', []);
    assert.deepEqual(journal, ['store.traces:4', 'count:4', 'store.metrics:4', 'store.logs:0']);
  });

  it('span observers see every received span before sampling, even when the config has connectors', async () => {
    const { journal, build } = harness();
    const config = graphConfig([pipeline('traces', ['otlp'], ['halve'], ['forward/tempo', 'count'])]);
    const graph = build(config, true, true);
    await graph.receiver('otlp').consume('traces', spans(8));
    assert.ok(journal.includes('observer:8'), journal.join(' '));
    assert.ok(journal.includes('forward/tempo.traces:4'));
    assert.ok(journal.indexOf('observer:8') > journal.indexOf('forward/tempo.traces:4'), 'after acceptance');
  });

  it('span observers do not see a batch the pipeline refused (the retry is observed once)', async () => {
    const { journal, build, refuse } = harness();
    const graph = build(undefined, false, true);
    refuse();
    await assert.rejects(graph.receiver('otlp').consume('traces', spans(4)), /refused/);
    assert.ok(!journal.some((line) => line.startsWith('observer')), journal.join(' '));
  });

  it('runs processors in order, then the exporters, adding the store when no pipeline names it', async () => {
    const { journal, build } = harness();
    const graph = build(
      graphConfig([pipeline('traces', ['otlp'], ['halve', 'memory_limiter', 'halve/2'], ['forward/tempo'])]),
    );
    await graph.receiver('otlp').consume('traces', spans(8));
    // memory_limiter is not in this registry: skipped (the config analysis notes it).
    assert.deepEqual(journal, ['halve:8', 'halve/2:4', 'forward/tempo.traces:2', 'store.traces:2']);
    assert.deepEqual(graph.describe(), [
      'pipeline traces: [otlp] → [halve, halve/2] → [forward/tempo, vigil]',
    ]);
  });

  it('an explicit vigil exporter in one pipeline keeps the store out of the others', async () => {
    const { journal, build } = harness();
    const graph = build(
      graphConfig([
        pipeline('traces/a', ['otlp'], [], ['forward/tempo']),
        pipeline('traces/b', ['otlp'], ['halve'], ['vigil']),
      ]),
    );
    await graph.receiver('otlp').consume('traces', spans(4));
    assert.deepEqual(journal.sort(), ['forward/tempo.traces:4', 'halve:4', 'store.traces:2'].sort());
  });

  it('connectors feed the pipelines that list them as receivers; a connector-only pipeline stores nothing itself', async () => {
    const { journal, build } = harness();
    const graph = build(
      graphConfig([
        pipeline('metrics', ['count'], ['halve'], ['forward/tempo']),
        pipeline('traces/all', ['otlp'], [], ['count']),
        pipeline('traces/sampled', ['otlp'], ['halve'], ['forward/tempo']),
      ]),
      true, // an implicit `count` must not run: the config has its own
    );
    await graph.receiver('otlp').consume('traces', spans(6));
    assert.deepEqual(journal.sort(), [
      'count:6',
      'forward/tempo.metrics:3',
      'forward/tempo.traces:3',
      'halve:6',
      'halve:6',
      'store.metrics:3',
      'store.traces:3',
    ]);
    journal.length = 0;
    await graph.shutdown();
    // Upstream pipelines flush first: traces pipelines (the connector right after the one feeding
    // it), then the metrics pipeline it feeds, then exporters.
    assert.deepEqual(journal, [
      'shutdown count',
      'shutdown halve',
      'shutdown halve',
      'shutdown forward/tempo',
      'shutdown forward/tempo',
    ]);
  });

  it('a receiver no pipeline of the signal lists writes to the store', async () => {
    const { journal, build } = harness();
    const graph = build(graphConfig([pipeline('traces', ['otlp'], ['halve'], ['vigil'])]));
    await graph.receiver('otlp').consume('logs', []);
    await graph.receiver('loki').consume('traces', spans(2));
    assert.deepEqual(journal, ['store.logs:0', 'store.traces:2']);
  });

  it('a component settings error points at the file, line and column', () => {
    const { build } = harness();
    const config = graphConfig([pipeline('traces', ['otlp'], ['halve'], ['vigil'])], {
      processors: { halve: { bad: true } },
    });
    assert.throws(
      () => build(config),
      (error: unknown) => {
        assert.ok(error instanceof GraphConfigError);
        assert.equal(error.message, 'vigil.yaml:12:5: processors.halve.bad: must not be bad');
        return true;
      },
    );
  });
});
