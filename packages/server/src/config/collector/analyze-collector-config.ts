import { LineCounter, parseDocument, type Document } from 'yaml';
import { parseComponentId } from './component-id.ts';
import { COMPONENT_SECTIONS, supportNote, type ComponentSection } from './component-catalog.ts';
import { checkComponentSettings } from './component-settings.ts';
import { expandEnvInDocument } from './env-substitution.ts';
import { checkService, type ComponentUsage, type DefinedComponents } from './pipeline-checks.ts';
import { ProblemCollector, type ConfigAnalysis } from './problem.ts';
import { checkPrometheusReceiver } from './prometheus-receiver-checks.ts';
import { isNullNode, mapEntries, type MapEntry } from './yaml-nodes.ts';

export type Env = Readonly<Record<string, string | undefined>>;

const SECTIONS = Object.keys(COMPONENT_SECTIONS) as ComponentSection[];
const TOP_LEVEL_KEYS = new Set<string>([...SECTIONS, 'service', 'vigil']);
/** The receiver ids whose settings load-config.ts reads; other ids of these types do not run. */
const RECEIVERS_VIGIL_READS = new Set(['otlp', 'prometheus']);

/** A parsed config with `${env:...}` expanded, and the problems found on the way. */
export interface ParsedCollectorYaml {
  doc: Document;
  lineCounter: LineCounter;
  problems: ProblemCollector;
  /** False when the YAML itself is broken: the tree is then not worth checking further. */
  wellFormed: boolean;
}

/**
 * Parses the YAML (with line numbers) and expands environment references in its values, as the
 * Collector's confmap does before any component sees the config.
 */
export function parseCollectorYaml(text: string, env: Env): ParsedCollectorYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const problems = new ProblemCollector(lineCounter);
  for (const error of doc.errors) {
    problems.errorAtOffset(error.pos[0], [], `invalid YAML: ${yamlReason(error.message)}`);
  }
  if (doc.errors.length === 0) expandEnvInDocument(doc, env, problems);
  return { doc, lineCounter, problems, wellFormed: doc.errors.length === 0 };
}

/** yaml's messages end with "at line L, column C:" and a source excerpt; the position is ours. */
function yamlReason(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

/**
 * Validates an OpenTelemetry-Collector-shaped config as Vigil runs it: YAML and env references,
 * the sections and component ids, service pipelines and their references, cheap settings rules;
 * plus notes for what Vigil will not do (planned or unsupported components, unused components,
 * discovery this host cannot run).
 *
 * @example
 * const { errors, notes } = analyzeCollectorConfig(readFileSync('vigil.yaml', 'utf8'), process.env);
 * for (const problem of errors) console.error(formatProblem(problem, 'vigil.yaml'));
 */
export function analyzeCollectorConfig(text: string, env: Env): ConfigAnalysis {
  const { doc, problems, wellFormed } = parseCollectorYaml(text, env);
  if (!wellFormed) return problems.result();
  const root = mapEntries(doc.contents);
  if (isNullNode(doc.contents)) {
    problems.note(doc.contents, [], 'the config is empty: Vigil runs with its defaults');
    return problems.result();
  }
  if (!root) {
    problems.error(doc.contents, [], 'expected a mapping with receivers, processors, exporters, service');
    return problems.result();
  }
  for (const entry of root) {
    if (TOP_LEVEL_KEYS.has(entry.key)) continue;
    const expected = [...TOP_LEVEL_KEYS].join(', ');
    problems.error(entry.keyNode, [entry.key], `unknown top-level key (expected one of ${expected})`);
  }
  const sections = new Map(root.map((entry) => [entry.key, entry]));
  const defined = defineComponents(sections, problems);
  const service = sections.get('service');
  const usage = service ? checkService(service.value, defined, problems) : undefined;
  if (!service) {
    const note =
      'no service section: Vigil runs the receivers it implements (the Collector would require service.pipelines)';
    problems.note(doc.contents, [], note);
  }
  for (const section of SECTIONS) checkComponents(section, sections.get(section), usage, problems);
  return problems.result();
}

function defineComponents(sections: Map<string, MapEntry>, problems: ProblemCollector): DefinedComponents {
  const result: DefinedComponents = {
    receivers: new Map(),
    processors: new Map(),
    exporters: new Map(),
    connectors: new Map(),
    extensions: new Map(),
  };
  for (const section of SECTIONS) {
    const entry = sections.get(section);
    if (!entry || isNullNode(entry.value)) continue;
    const components = mapEntries(entry.value);
    if (!components) {
      problems.error(entry.value, [section], 'expected a mapping of component ids to their settings');
      continue;
    }
    for (const component of components) result[section].set(component.key, component.keyNode);
  }
  return result;
}

/** Id syntax, settings, support and usage notes for every component of one section. */
function checkComponents(
  section: ComponentSection,
  entry: MapEntry | undefined,
  usage: ComponentUsage | undefined,
  problems: ProblemCollector,
): void {
  const kind = COMPONENT_SECTIONS[section];
  for (const component of mapEntries(entry?.value) ?? []) {
    const keyPath = [section, component.key];
    const id = parseComponentId(component.key);
    if ('problem' in id) {
      problems.error(component.keyNode, keyPath, id.problem);
      continue;
    }
    if (!isNullNode(component.value) && !mapEntries(component.value)) {
      problems.error(
        component.value,
        keyPath,
        'expected a mapping of settings (or nothing, for the defaults)',
      );
      continue;
    }
    checkComponentSettings(
      kind,
      id.type,
      { keyPath, keyNode: component.keyNode, config: component.value },
      problems,
    );
    const used = usage === undefined || usage.used[section].has(component.key);
    if (!used) {
      problems.note(component.keyNode, keyPath, unusedNote(kind, component.key));
      continue;
    }
    const note = supportNote(kind, component.key, id.type);
    if (note !== undefined) problems.note(component.keyNode, keyPath, note);
    else if (kind === 'receiver' && !RECEIVERS_VIGIL_READS.has(component.key)) {
      problems.note(
        component.keyNode,
        keyPath,
        `receiver ${component.key}: Vigil runs one ${id.type} receiver, configured under receivers.${id.type}; this one is ignored`,
      );
    }
    if (kind === 'receiver' && id.type === 'prometheus')
      checkPrometheusReceiver(component.value, keyPath, problems);
  }
}

function unusedNote(kind: string, id: string): string {
  const unused = `${kind} ${id}: defined but not used in any pipeline`;
  // load-config.ts reads receivers.otlp and receivers.prometheus whatever service says.
  if (kind === 'receiver' && RECEIVERS_VIGIL_READS.has(id))
    return `${unused} (the Collector would not start it; Vigil does)`;
  return `${unused}; ignored, as the Collector ignores it`;
}
