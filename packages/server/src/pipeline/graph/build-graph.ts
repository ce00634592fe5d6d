import type { Signal, SignalBatch } from '../../model/signal.ts';
import type { Pipeline } from '../pipeline.ts';
import { componentType, type CollectorGraphConfig, type PipelineConfig } from './collector-graph-config.ts';
import {
  SettingsError,
  type ComponentContext,
  type ConnectorFactory,
  type Consumer,
  type ExporterFactory,
  type ProcessorFactory,
  type Stoppable,
} from './component.ts';
import { FanoutConsumer } from './fanout.ts';

/** The component types Vigil implements, by type name. */
export interface ComponentRegistry {
  processors: ReadonlyMap<string, ProcessorFactory>;
  exporters: ReadonlyMap<string, ExporterFactory>;
  connectors: ReadonlyMap<string, ConnectorFactory>;
}

export type StoreConsumers = { [S in Signal]: Consumer<S> };

/** A connector Vigil runs on every received span unless the config has its own of that type. */
export interface ImplicitConnector {
  type: string;
  settings: unknown;
}

export interface GraphOptions {
  config: CollectorGraphConfig | undefined;
  registry: ComponentRegistry;
  /** The embedded store: exporter type `vigil`, and where data goes that no pipeline takes. */
  store: StoreConsumers;
  contextFor(id: string): ComponentContext;
  implicitConnectors: readonly ImplicitConnector[];
  /**
   * Consumers that see every span a receiver accepts — once the pipeline took it, but ahead of
   * sampling, whatever the config says (the ML analytics engine: canary and drift statistics must not
   * be skewed by tail sampling, nor counted twice when a refused batch is retried).
   */
  spanObservers?: readonly Consumer<'traces'>[];
}

/** The exporter type that writes to Vigil's embedded store. */
export const STORE_EXPORTER_TYPE = 'vigil';

/** A setting the Collector would refuse, placed in the file. */
export class GraphConfigError extends Error {
  override readonly name = 'GraphConfigError';
}

interface BuiltPipeline {
  config: PipelineConfig;
  head: Consumer<Signal>;
  processors: Partial<Stoppable>[];
  /** Connector ids this pipeline exports to (their shutdown follows the pipeline's). */
  connectorIds: string[];
}

/**
 * The running form of `service.pipelines`: receivers → processors → exporters, connectors joining
 * pipelines, as the Collector's service/internal/graph builds it. Vigil differences, all so that data
 * reaches the embedded store without ceremony:
 * - the store is an exporter (`vigil`); when no pipeline of a signal names it, it is added to every
 *   pipeline of that signal that exports somewhere other than a connector;
 * - data from a receiver that no pipeline of its signal lists goes straight to the store;
 * - unless the config has its own, Vigil's span metrics and service graph connectors see every span a
 *   receiver accepts, before any processor (so RED metrics stay exact under tail sampling).
 */
export class PipelineGraph {
  private readonly pipelines: BuiltPipeline[] = [];
  private readonly exporters = new Map<string, Consumer<Signal> & Stoppable>();
  private readonly connectors = new Map<string, Consumer<Signal> & Stoppable>();
  private readonly connectorTargets = new Map<string, FanoutConsumer<Signal>>();
  private readonly implicitTaps: (Consumer<'traces'> & Stoppable)[] = [];
  private readonly receiverPipelines = new Map<string, Pipeline>();

  constructor(private readonly options: GraphOptions) {
    const config = options.config;
    if (config) {
      this.createConnectors(config);
      for (const pipeline of topologicalOrder(config.pipelines, this.connectors))
        this.buildPipeline(pipeline);
    }
    this.createImplicitTaps();
  }

  /** What a receiver hands its records to (one per receiver id: `otlp`, `loki`, …). */
  receiver(receiverId: string): Pipeline {
    let pipeline = this.receiverPipelines.get(receiverId);
    if (!pipeline) {
      pipeline = this.routeFor(receiverId);
      this.receiverPipelines.set(receiverId, pipeline);
    }
    return pipeline;
  }

  /** One line per pipeline, for the start-up log. */
  describe(): string[] {
    return this.pipelines.map(({ config }) => {
      const exporters = this.exportersOf(config).join(', ');
      const processors = config.processors.filter((id) =>
        this.options.registry.processors.has(componentType(id)),
      );
      return `pipeline ${config.id}: [${config.receivers.join(', ')}] → [${processors.join(', ')}] → [${exporters}]`;
    });
  }

  /**
   * Flushes in data-flow order, as the Collector shuts down: implicit taps, then each pipeline's
   * processors front to back followed by the connectors it feeds, then the exporters.
   */
  async shutdown(): Promise<void> {
    for (const tap of this.implicitTaps) await tap.shutdown();
    const flushed = new Set<BuiltPipeline>();
    for (const pipeline of this.pipelines) {
      for (const processor of pipeline.processors) await processor.shutdown?.();
      flushed.add(pipeline);
      // A connector flushes once every pipeline feeding it has, before the pipelines it feeds.
      for (const id of pipeline.connectorIds) {
        const feeders = this.pipelines.filter((p) => p.connectorIds.includes(id));
        if (feeders.every((p) => flushed.has(p))) await this.connectors.get(id)?.shutdown();
      }
    }
    for (const exporter of this.exporters.values()) await exporter.shutdown();
  }

  private routeFor(receiverId: string): Pipeline {
    const bySignal = new Map<Signal, Consumer<Signal>>();
    for (const signal of ['traces', 'metrics', 'logs'] as const) {
      const heads = this.pipelines
        .filter((p) => p.config.signal === signal && p.config.receivers.includes(receiverId))
        .map((p) => p.head);
      const targets = heads.length > 0 ? heads : [this.options.store[signal] as Consumer<Signal>];
      if (signal === 'traces') targets.push(...(this.implicitTaps as Consumer<Signal>[]));
      const fanout = new FanoutConsumer(targets);
      const observers = signal === 'traces' ? (this.options.spanObservers ?? []) : [];
      bySignal.set(signal, observers.length === 0 ? fanout : new ObservedConsumer(fanout, observers));
    }
    return {
      consume: <S extends Signal>(signal: S, records: SignalBatch[S]) =>
        bySignal.get(signal)!.consume(records),
    };
  }

  private createConnectors(config: CollectorGraphConfig): void {
    for (const [id, settings] of Object.entries(config.connectors)) {
      const factory = this.options.registry.connectors.get(componentType(id));
      if (!factory) continue;
      const targets = new FanoutConsumer<Signal>();
      this.connectorTargets.set(id, targets);
      const connector = this.create(['connectors', id], () =>
        factory.create(settings, targets, this.options.contextFor(id)),
      );
      this.connectors.set(id, connector);
    }
  }

  private buildPipeline(config: PipelineConfig): void {
    const connectorFed = config.receivers.filter((id) => this.connectorTargets.has(id));
    const otherReceivers = config.receivers.filter((id) => !(id in (this.options.config?.connectors ?? {})));
    // A pipeline fed only by connectors Vigil does not run receives nothing.
    if (connectorFed.length === 0 && otherReceivers.length === 0) return;
    const exporterIds = this.exportersOf(config);
    let next: Consumer<Signal> = new FanoutConsumer(
      exporterIds.map((id) => this.exporter(config.signal, id)),
    );
    const processors: Partial<Stoppable>[] = [];
    for (const id of [...config.processors].reverse()) {
      const factory = this.options.registry.processors.get(componentType(id));
      if (!factory) continue;
      const settings = this.options.config?.processors[id];
      const downstream = next;
      const instance = this.create(['processors', id], () =>
        factory.create(config.signal, settings, downstream, this.options.contextFor(id)),
      );
      processors.unshift(instance);
      next = instance;
    }
    for (const id of connectorFed) this.connectorTargets.get(id)!.add(next);
    const connectorIds = exporterIds.filter((id) => this.connectors.has(id));
    this.pipelines.push({ config, head: next, processors, connectorIds });
  }

  /** The pipeline's exporters Vigil runs, with the store added by the rule in the class comment. */
  private exportersOf(config: PipelineConfig): string[] {
    const { registry } = this.options;
    const known = config.exporters.filter(
      (id) =>
        this.connectors.has(id) ||
        componentType(id) === STORE_EXPORTER_TYPE ||
        registry.exporters.has(componentType(id)),
    );
    const signalNamesStore = (this.options.config?.pipelines ?? []).some(
      (p) =>
        p.signal === config.signal && p.exporters.some((id) => componentType(id) === STORE_EXPORTER_TYPE),
    );
    const exportsOutside = config.exporters.some((id) => !(id in (this.options.config?.connectors ?? {})));
    if (!signalNamesStore && exportsOutside) known.push(STORE_EXPORTER_TYPE);
    return known;
  }

  private exporter(signal: Signal, id: string): Consumer<Signal> {
    if (componentType(id) === STORE_EXPORTER_TYPE) return this.options.store[signal];
    const connector = this.connectors.get(id);
    if (connector) return connector;
    const key = `${signal}\u0000${id}`;
    let exporter = this.exporters.get(key);
    if (!exporter) {
      const factory = this.options.registry.exporters.get(componentType(id))!;
      const settings = this.options.config?.exporters[id];
      exporter = this.create(['exporters', id], () =>
        factory.create(signal, settings, this.options.contextFor(id)),
      );
      this.exporters.set(key, exporter);
    }
    return exporter;
  }

  private createImplicitTaps(): void {
    const configured = new Set(Object.keys(this.options.config?.connectors ?? {}).map(componentType));
    for (const { type, settings } of this.options.implicitConnectors) {
      const factory = this.options.registry.connectors.get(type);
      if (!factory || configured.has(type)) continue;
      const tap = factory.create(settings, this.options.store.metrics, this.options.contextFor(type));
      this.implicitTaps.push(tap);
    }
  }

  /** Runs a factory, turning its SettingsError into an error that points at the config file. */
  private create<T>(at: [string, string], build: () => T): T {
    try {
      return build();
    } catch (error: unknown) {
      if (!(error instanceof SettingsError)) throw error;
      const keyPath = [...at, ...error.keyPath.map(String)];
      throw new GraphConfigError(`${this.where(keyPath)}${keyPath.join('.')}: ${error.message}`);
    }
  }

  private where(keyPath: string[]): string {
    const config = this.options.config;
    if (!config) return '';
    for (let n = keyPath.length; n > 0; n--) {
      const position = config.positions[keyPath.slice(0, n).join('.')];
      if (position) return `${config.file}:${position[0]}:${position[1]}: `;
    }
    return `${config.file}: `;
  }
}

/**
 * Pipelines fed by receivers first, then those fed by connectors whose feeding pipelines are placed,
 * so shutdown flushes upstream before downstream. The analysis refuses nothing here about cycles;
 * a cycle's pipelines keep config order at the end.
 */
function topologicalOrder(
  pipelines: readonly PipelineConfig[],
  connectors: ReadonlyMap<string, unknown>,
): PipelineConfig[] {
  const ordered: PipelineConfig[] = [];
  const placed = new Set<PipelineConfig>();
  const feeders = (connectorId: string): PipelineConfig[] =>
    pipelines.filter((p) => p.exporters.includes(connectorId));
  let progress = true;
  while (progress) {
    progress = false;
    for (const pipeline of pipelines) {
      if (placed.has(pipeline)) continue;
      const ready = pipeline.receivers
        .filter((id) => connectors.has(id))
        .every((id) => feeders(id).every((f) => placed.has(f) || f === pipeline));
      if (!ready) continue;
      ordered.push(pipeline);
      placed.add(pipeline);
      progress = true;
    }
  }
  return [...ordered, ...pipelines.filter((p) => !placed.has(p))];
}

/**
 * Hands records to the observers once the pipeline accepted them: a batch refused with 429 and
 * retried by the client is observed once, not once per attempt.
 */
class ObservedConsumer implements Consumer<Signal> {
  constructor(
    private readonly inner: Consumer<Signal>,
    private readonly observers: readonly Consumer<'traces'>[],
  ) {}

  async consume(records: SignalBatch[Signal]): Promise<void> {
    await this.inner.consume(records);
    await Promise.all(this.observers.map((observer) => observer.consume(records as SignalBatch['traces'])));
  }
}
