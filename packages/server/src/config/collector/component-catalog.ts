/**
 * Which OpenTelemetry Collector components Vigil runs. Vigil is one process with an embedded store,
 * so it does not load Collector plugins: a component either has a Vigil implementation, is planned
 * (issue 3), or is named in a start-up note so the user knows it has no effect.
 */
export type ComponentKind = 'receiver' | 'processor' | 'exporter' | 'connector' | 'extension';

export type ComponentStatus = 'implemented' | 'planned' | 'unsupported';

export interface ComponentSupport {
  status: ComponentStatus;
  /** For planned and unsupported components: what happens to the data instead. */
  effect?: string;
}

/** The config sections, keyed the way they are in YAML. */
export const COMPONENT_SECTIONS = {
  receivers: 'receiver',
  processors: 'processor',
  exporters: 'exporter',
  connectors: 'connector',
  extensions: 'extension',
} as const satisfies Record<string, ComponentKind>;

export type ComponentSection = keyof typeof COMPONENT_SECTIONS;

const NOT_FORWARDED = "data is kept in Vigil's embedded store and not sent anywhere";

const PLANNED: Record<ComponentKind, Record<string, string>> = {
  receiver: {},
  processor: {
    batch: 'received data is written to the store without this batching',
    memory_limiter: 'no memory limit is enforced (vigil.max_pending_records bounds queued writes)',
    attributes: 'attributes are stored unchanged',
    resource: 'resource attributes are stored unchanged',
    filter: 'nothing is filtered out',
    tail_sampling: 'spans are stored unsampled',
  },
  exporter: {
    otlp: NOT_FORWARDED,
    otlphttp: NOT_FORWARDED,
    prometheusremotewrite: NOT_FORWARDED,
    loki: NOT_FORWARDED,
  },
  connector: {
    spanmetrics: 'no metrics are derived from spans',
    servicegraph: 'no service graph metrics are derived from spans',
  },
  extension: {},
};

const IMPLEMENTED: Record<ComponentKind, readonly string[]> = {
  receiver: ['otlp', 'prometheus'],
  processor: [],
  // Vigil's store is the destination of every pipeline, so no exporter is needed for data to land.
  exporter: [],
  connector: [],
  extension: [],
};

const UNSUPPORTED_EFFECT: Record<ComponentKind, string> = {
  receiver: 'this receiver does not run, so nothing arrives through it',
  processor: 'data passes through unchanged',
  exporter: NOT_FORWARDED,
  connector: 'nothing flows through it',
  extension: 'it does not run',
};

/**
 * How Vigil supports a component type (the part of the id before `/`).
 *
 * @example
 * componentSupport('processor', 'tail_sampling');
 * // { status: 'planned', effect: 'spans are stored unsampled' }
 */
export function componentSupport(kind: ComponentKind, type: string): ComponentSupport {
  if (IMPLEMENTED[kind].includes(type)) return { status: 'implemented' };
  const planned = PLANNED[kind][type];
  if (planned !== undefined) return { status: 'planned', effect: planned };
  return { status: 'unsupported', effect: UNSUPPORTED_EFFECT[kind] };
}

/** The start-up note for a component that is not implemented, or undefined when it runs. */
export function supportNote(kind: ComponentKind, id: string, type: string): string | undefined {
  const support = componentSupport(kind, type);
  if (support.status === 'implemented') return undefined;
  const state = support.status === 'planned' ? 'not implemented yet' : 'not supported by Vigil';
  return `${kind} ${id}: ${state} — ${support.effect ?? 'ignored'}`;
}
