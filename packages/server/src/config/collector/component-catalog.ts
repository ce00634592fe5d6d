/**
 * Which OpenTelemetry Collector components Vigil runs. Vigil is one process with an embedded store,
 * so it does not load Collector plugins: a component either has a Vigil implementation (in
 * pipeline/component-registry.ts) or is named in a start-up note so the user knows it has no effect.
 */
export type ComponentKind = 'receiver' | 'processor' | 'exporter' | 'connector' | 'extension';

export type ComponentStatus = 'implemented' | 'unsupported';

export interface ComponentSupport {
  status: ComponentStatus;
  /** For unsupported components: what happens to the data instead. */
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

const IMPLEMENTED: Record<ComponentKind, readonly string[]> = {
  receiver: ['otlp', 'prometheus', 'loki'],
  processor: ['batch', 'memory_limiter', 'attributes', 'resource', 'filter', 'tail_sampling'],
  // `vigil` is the embedded store; pipeline/graph/build-graph.ts adds it where no pipeline names it.
  exporter: ['vigil', 'otlp', 'otlphttp', 'prometheusremotewrite', 'loki'],
  connector: ['spanmetrics', 'servicegraph'],
  extension: ['file_storage'],
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
 * componentSupport('processor', 'k8sattributes');
 * // { status: 'unsupported', effect: 'data passes through unchanged' }
 */
export function componentSupport(kind: ComponentKind, type: string): ComponentSupport {
  if (IMPLEMENTED[kind].includes(type)) return { status: 'implemented' };
  return { status: 'unsupported', effect: UNSUPPORTED_EFFECT[kind] };
}

/** The start-up note for a component that is not implemented, or undefined when it runs. */
export function supportNote(kind: ComponentKind, id: string, type: string): string | undefined {
  const support = componentSupport(kind, type);
  if (support.status === 'implemented') return undefined;
  return `${kind} ${id}: not supported by Vigil — ${support.effect ?? 'ignored'}`;
}
