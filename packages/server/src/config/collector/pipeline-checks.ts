import { isSignal, parseComponentId, SIGNALS } from './component-id.ts';
import type { ComponentSection } from './component-catalog.ts';
import type { KeySegment, ProblemCollector } from './problem.ts';
import { isNullNode, mapEntries, scalarValue, seqItems } from './yaml-nodes.ts';

/** The components each section defines: id → the YAML key node (where notes about it point). */
export type DefinedComponents = Record<ComponentSection, Map<string, unknown>>;

/** Which defined components the service uses, per section, and on which side connectors are used. */
export interface ComponentUsage {
  used: Record<ComponentSection, Set<string>>;
  connectorsAsReceiver: Set<string>;
  connectorsAsExporter: Set<string>;
}

type Role = 'receivers' | 'processors' | 'exporters';
const ROLES: readonly Role[] = ['receivers', 'processors', 'exporters'];
const ROLE_NOUN: Record<Role, string> = {
  receivers: 'receiver',
  processors: 'processor',
  exporters: 'exporter',
};
const SERVICE_KEYS = new Set(['pipelines', 'extensions', 'telemetry']);

/**
 * Checks `service:` as the Collector's otelcol Config.Validate and service/pipelines do: every
 * pipeline is keyed `traces|metrics|logs[/name]`, has at least one receiver and one exporter, and
 * references only components defined in their sections (a connector counts as a receiver and an
 * exporter); each connector is used on both sides. Returns which components are used.
 */
export function checkService(
  service: unknown,
  defined: DefinedComponents,
  problems: ProblemCollector,
): ComponentUsage {
  const usage = emptyUsage();
  const entries = mapEntries(service);
  if (!entries) {
    problems.error(service, ['service'], 'expected a mapping with pipelines');
    return usage;
  }
  for (const entry of entries) {
    if (!SERVICE_KEYS.has(entry.key)) {
      problems.error(
        entry.keyNode,
        ['service', entry.key],
        'unknown key (expected pipelines, extensions or telemetry)',
      );
    }
  }
  const pipelines = entries.find((entry) => entry.key === 'pipelines');
  checkPipelines(pipelines?.value, pipelines?.keyNode ?? service, defined, usage, problems);
  const extensions = entries.find((entry) => entry.key === 'extensions');
  if (extensions && !isNullNode(extensions.value)) {
    checkReferences(extensions.value, ['service', 'extensions'], problems, (id) => {
      if (!defined.extensions.has(id)) return `references undefined extension "${id}"`;
      usage.used.extensions.add(id);
      return undefined;
    });
  }
  checkConnectorsBothSides(defined, usage, problems);
  return usage;
}

export function emptyUsage(): ComponentUsage {
  const used = { receivers: new Set<string>(), processors: new Set<string>(), exporters: new Set<string>() };
  return {
    used: { ...used, connectors: new Set(), extensions: new Set() },
    connectorsAsReceiver: new Set(),
    connectorsAsExporter: new Set(),
  };
}

function checkPipelines(
  pipelines: unknown,
  at: unknown,
  defined: DefinedComponents,
  usage: ComponentUsage,
  problems: ProblemCollector,
): void {
  const entries = mapEntries(pipelines);
  if (!entries || entries.length === 0) {
    problems.error(at, ['service', 'pipelines'], 'service must have at least one pipeline');
    return;
  }
  for (const entry of entries) {
    const keyPath = ['service', 'pipelines', entry.key];
    const id = parseComponentId(entry.key);
    if ('problem' in id) problems.error(entry.keyNode, keyPath, id.problem);
    else if (id.type === 'profiles')
      problems.note(entry.keyNode, keyPath, 'profiles pipelines are not supported by Vigil; ignored');
    else if (!isSignal(id.type))
      problems.error(entry.keyNode, keyPath, `unknown signal "${id.type}" (expected ${SIGNALS.join(', ')})`);
    else checkPipeline(entry.value, entry.keyNode, keyPath, defined, usage, problems);
  }
}

function checkPipeline(
  pipeline: unknown,
  keyNode: unknown,
  keyPath: string[],
  defined: DefinedComponents,
  usage: ComponentUsage,
  problems: ProblemCollector,
): void {
  const entries = mapEntries(pipeline) ?? [];
  if (!mapEntries(pipeline))
    problems.error(keyNode, keyPath, 'expected a mapping with receivers, processors and exporters');
  for (const entry of entries) {
    if (!(ROLES as readonly string[]).includes(entry.key)) {
      problems.error(
        entry.keyNode,
        [...keyPath, entry.key],
        'unknown key (expected receivers, processors or exporters)',
      );
    }
  }
  for (const role of ROLES) {
    const list = entries.find((entry) => entry.key === role)?.value;
    const count = list === undefined ? 0 : (seqItems(list)?.length ?? 0);
    if (count === 0 && role !== 'processors') {
      problems.error(keyNode, keyPath, `must have at least one ${ROLE_NOUN[role]}`);
    }
    if (list === undefined || isNullNode(list)) continue;
    if (role === 'receivers' && keyPath[2]?.startsWith('metrics'))
      notePrometheusInPipeline(entries, list, keyPath, problems);
    checkReferences(
      list,
      [...keyPath, role],
      problems,
      (id) => resolveReference(role, id, defined, usage),
      keyPath,
    );
  }
}

/**
 * Scraped and remote-written Prometheus samples go to the store as they are (like Prometheus's own
 * scrape loop appending to its TSDB); a metrics pipeline's processors and exporters act on OTLP
 * metrics. Said once per pipeline where that changes what the user wrote would do.
 */
function notePrometheusInPipeline(
  entries: { key: string; value: unknown }[],
  receivers: unknown,
  keyPath: string[],
  problems: ProblemCollector,
): void {
  const item = seqItems(receivers)?.find((node) => scalarValue(node) === 'prometheus');
  if (!item) return;
  const ids = (role: string): unknown[] =>
    (seqItems(entries.find((entry) => entry.key === role)?.value) ?? []).map(scalarValue);
  const acting = [...ids('processors'), ...ids('exporters').filter((id) => id !== 'vigil')];
  if (acting.length === 0) return;
  problems.note(
    item,
    keyPath,
    `receiver prometheus: scraped samples are stored as scraped; ${acting.join(', ')} act on the pipeline's OTLP metrics only`,
  );
}

/** Marks `id` used in `role`, or says what is wrong with the reference. */
function resolveReference(
  role: Role,
  id: string,
  defined: DefinedComponents,
  usage: ComponentUsage,
): string | undefined {
  if (role !== 'processors' && defined.connectors.has(id)) {
    usage.used.connectors.add(id);
    (role === 'receivers' ? usage.connectorsAsReceiver : usage.connectorsAsExporter).add(id);
    return undefined;
  }
  if (!defined[role].has(id)) return `references undefined ${ROLE_NOUN[role]} "${id}"`;
  usage.used[role].add(id);
  return undefined;
}

/**
 * Checks a list of ids: strings, each at most once (service/pipelines/config.go rejects
 * duplicates), each resolved by `resolve`. Problems point at the offending item; `reportAt` is
 * the key path the message names (the pipeline for pipeline references).
 */
function checkReferences(
  list: unknown,
  listPath: KeySegment[],
  problems: ProblemCollector,
  resolve: (id: string) => string | undefined,
  reportAt: KeySegment[] = listPath,
): void {
  const items = seqItems(list);
  if (!items) {
    problems.error(list, listPath, 'expected a list of component ids, e.g. [otlp]');
    return;
  }
  const seen = new Set<string>();
  for (const item of items) {
    const id = scalarValue(item);
    if (typeof id !== 'string') {
      problems.error(item, listPath, 'expected a component id');
      continue;
    }
    if (seen.has(id)) problems.error(item, reportAt, `references "${id}" more than once`);
    seen.add(id);
    const problem = resolve(id);
    if (problem !== undefined) problems.error(item, reportAt, problem);
  }
}

/** otelcol/config.go: "connectors::X: must be used as both receiver and exporter". */
function checkConnectorsBothSides(
  defined: DefinedComponents,
  usage: ComponentUsage,
  problems: ProblemCollector,
): void {
  const asReceiver = usage.connectorsAsReceiver;
  const asExporter = usage.connectorsAsExporter;
  for (const [id, keyNode] of defined.connectors) {
    if (asReceiver.has(id) === asExporter.has(id)) continue;
    const missing = asReceiver.has(id) ? 'exporter' : 'receiver';
    problems.error(
      keyNode,
      ['connectors', id],
      `must be used as both receiver and exporter but is not used as ${missing}`,
    );
  }
}
