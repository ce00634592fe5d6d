import type { Signal, SignalBatch } from '../../model/signal.ts';

/**
 * The calling convention of every pipeline component (processors, connectors, exporters), modelled
 * on the OpenTelemetry Collector's consumer.Traces/Metrics/Logs.
 *
 * `consume` resolves once the records are accepted downstream. For a chain that ends in the store,
 * "accepted" means durable, unless a component buffers on purpose (tail_sampling holds spans for
 * decision_wait; a queued exporter holds them in its sending queue): such a component resolves once
 * it holds the records and owns delivering them. It rejects with OverloadedError / UnavailableError
 * (pipeline/errors.ts) when it refuses them, in which case none of the records were kept.
 *
 * Components never mutate the records or attribute objects they are given: the same span can reach
 * several pipelines (fan-out). A component that changes records copies what it changes
 * (copy-on-write: a new span object with a new attributes object; resources are shared by
 * reference between records, so copy each distinct resource once per batch).
 */
export interface Consumer<S extends Signal> {
  consume(records: SignalBatch[S]): Promise<void>;
}

/** Something that holds data or timers and must hand everything on before the process stops. */
export interface Stoppable {
  /** Flushes what is buffered downstream (batches, pending traces, queued exports), then stops timers. */
  shutdown(): Promise<void>;
}

/** A processor instance: a consumer that forwards to `next`, maybe buffering. */
export type ProcessorInstance<S extends Signal> = Consumer<S> & Partial<Stoppable>;

/** What a component gets from the runtime. Tests pass a ManualScheduler and a fixed clock. */
export interface ComponentContext {
  /** The component id as written in the config, e.g. `tail_sampling` or `otlp/tempo`. */
  id: string;
  /** One line for the operator's log; never include payload contents or secrets. */
  log(line: string): void;
  /** Wall clock in Unix milliseconds (injected so tests drive time). */
  nowMs(): number;
  /** Periodic work (batch timeout, decision ticks, flushes, memory checks). */
  scheduler: Scheduler;
  /** Vigil's data directory: persistent queues and state files go below it. */
  dataDir: string;
  /**
   * The directory of a `file_storage` extension named in a component's settings (an exporter's
   * `sending_queue.storage: file_storage/queues`); throws SettingsError when no such extension is
   * configured.
   */
  storageDirectory(extensionId: string): string;
}

/**
 * Runs callbacks periodically. Production uses real timers (unref'd, so they never keep the process
 * alive); tests use ManualScheduler and call `advanceTo(nowMs)`.
 */
export interface Scheduler {
  /** Calls `task(nowMs)` every `intervalMs`; a task still running when the next is due is skipped. */
  every(intervalMs: number, task: (nowMs: number) => void | Promise<void>): Cancel;
}

export type Cancel = () => void;

/**
 * A settings problem, with the key path inside the component's own settings, e.g.
 * `['policies', 2, 'latency', 'threshold_ms']`. The graph builder prefixes the component's place
 * (`processors.tail_sampling`) and turns it into `file:line:col`.
 */
export class SettingsError extends Error {
  override readonly name = 'SettingsError';
  constructor(
    message: string,
    readonly keyPath: readonly (string | number)[] = [],
  ) {
    super(message);
  }
}

/**
 * A processor type. `create` validates `settings` (the parsed YAML value: a plain object, or
 * undefined/null for "all defaults"), throwing SettingsError for anything the Collector's
 * Config.Validate would refuse, and returns an instance for one pipeline.
 */
export interface ProcessorFactory {
  type: string;
  signals: readonly Signal[];
  create<S extends Signal>(
    signal: S,
    settings: unknown,
    next: Consumer<S>,
    context: ComponentContext,
  ): ProcessorInstance<S>;
}

/**
 * An exporter type. One instance per exporter id and signal; `consume` resolves once the records
 * are in the exporter's sending queue (or sent, with the queue disabled).
 */
export interface ExporterFactory {
  type: string;
  signals: readonly Signal[];
  create<S extends Signal>(signal: S, settings: unknown, context: ComponentContext): Consumer<S> & Stoppable;
}

/**
 * A connector: the exporter of one pipeline and the receiver of another (spanmetrics: traces in,
 * metrics out). `create` is called once per connector id; `emit` fans out to every pipeline that
 * lists the connector as a receiver.
 */
export interface ConnectorFactory<From extends Signal = Signal, To extends Signal = Signal> {
  type: string;
  from: From;
  to: To;
  create(settings: unknown, emit: Consumer<To>, context: ComponentContext): Consumer<From> & Stoppable;
}
