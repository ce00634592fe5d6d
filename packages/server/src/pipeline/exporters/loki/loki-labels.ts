/**
 * Which Loki stream a log record goes to: the rules of the Collector's Loki exporter in its current
 * form (contrib pkg/translator/loki logs_to_loki.go LogToLokiEntry, convert.go
 * convertAttributesAndMerge; exporter/lokiexporter README "Configuration via attribute hints"):
 *
 * - default labels, each switchable with `default_labels_enabled`: `exporter="OTLP"`,
 *   `job` = service.namespace/service.name (service.name alone without a namespace; none without
 *   a service.name), `instance` = service.instance.id, and `level` from the severity number
 *   (`INFO`, `WARN2`, …) unless the record has a `level` attribute, whose value is then used;
 * - the attribute hints: `loki.resource.labels` (on the resource or the record) names resource
 *   attributes, `loki.attribute.labels` names record attributes, `loki.tenant` names the attribute
 *   holding the tenant; each a comma-separated string or a list, dotted names reaching into maps;
 * - names become Prometheus label names (`service.name` → `service_name`); the hints and the
 *   attributes made labels are left out of the line.
 */
import type { AttributeValue, Attributes } from '../../../model/attributes.ts';
import { newAttributes } from '../../../model/attributes.ts';
import type { LogRecord } from '../../../model/log-record.ts';
import { promLabelValue, resourceIdentityLabels } from '../../../model/prom-labels.ts';
import { promLabelName } from '../../../model/prom-naming.ts';

export const HINT_ATTRIBUTES = 'loki.attribute.labels';
export const HINT_RESOURCES = 'loki.resource.labels';
export const HINT_TENANT = 'loki.tenant';
export const HINT_FORMAT = 'loki.format';
const HINTS: ReadonlySet<string> = new Set([HINT_ATTRIBUTES, HINT_RESOURCES, HINT_TENANT, HINT_FORMAT]);

export type DefaultLabel = 'exporter' | 'job' | 'instance' | 'level';
export type DefaultLabelsEnabled = Readonly<Record<DefaultLabel, boolean>>;

/** plog SeverityNumber names as upstream's severityNumberToLevel spells them (1 = TRACE … 24 = FATAL4). */
const LEVEL_WORDS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;

export function severityLevel(severityNumber: number): string {
  if (severityNumber < 1 || severityNumber > 24) return 'UNSPECIFIED';
  const word = LEVEL_WORDS[Math.floor((severityNumber - 1) / 4)] ?? 'UNSPECIFIED';
  const step = (severityNumber - 1) % 4;
  return step === 0 ? word : `${word}${step + 1}`;
}

/** What a record becomes: its stream labels and the attributes left for the line. */
export interface LokiRecordLabels {
  /** Label name → value, names already Prometheus label names. */
  labels: Map<string, string>;
  /** The record's attributes without hints and promoted attributes (a copy when anything changed). */
  attributes: Attributes;
  resourceAttributes: Attributes;
  /** The `loki.format` hint (resource first, then record), or 'json'. */
  format: string;
}

/** Hint value → attribute names: a comma-separated string, a list, or anything else as text. */
function hintNames(hint: AttributeValue): string[] {
  if (typeof hint === 'string') return hint.split(',').map((name) => name.trim());
  if (Array.isArray(hint)) return hint.map((name) => promLabelValue(name).trim());
  return [promLabelValue(hint).trim()];
}

/** An attribute by its name, or through maps by a dotted path (upstream getNestedAttribute). */
function lookup(attributes: Attributes | Map<string, AttributeValue>, name: string): AttributeValue | undefined {
  const direct = attributes instanceof Map ? attributes.get(name) : Object.hasOwn(attributes, name) ? attributes[name] : undefined;
  if (direct !== undefined) return direct;
  const dot = name.indexOf('.');
  if (dot < 0) return undefined;
  const head = attributes instanceof Map ? attributes.get(name.slice(0, dot)) : attributes[name.slice(0, dot)];
  return head instanceof Map ? lookup(head, name.slice(dot + 1)) : undefined;
}

/** Adds `names` found in `attributes` to `out` under their raw names (normalised at the end). */
function promote(out: Map<string, string>, attributes: Attributes, hint: AttributeValue | undefined): void {
  if (hint === undefined) return;
  for (const name of hintNames(hint)) {
    const value = lookup(attributes, name);
    if (value !== undefined) out.set(name, promLabelValue(value));
  }
}

/** The record's attributes with the `level` attribute and hint upstream adds before labelling. */
function withLevel(record: LogRecord): Attributes {
  const attributes = newAttributes();
  Object.assign(attributes, record.attributes);
  const hint = attributes[HINT_ATTRIBUTES];
  attributes[HINT_ATTRIBUTES] = Array.isArray(hint) ? [...hint, 'level'] : typeof hint === 'string' ? `${hint},level` : 'level';
  if (!Object.hasOwn(attributes, 'level')) attributes['level'] = severityLevel(record.severityNumber);
  return attributes;
}

function without(attributes: Attributes, labels: ReadonlyMap<string, string>): Attributes {
  const kept = newAttributes();
  for (const [key, value] of Object.entries(attributes)) if (!HINTS.has(key) && !labels.has(key)) kept[key] = value;
  return kept;
}

/**
 * The stream labels of one record and the attributes its line keeps.
 *
 * @example
 * const { labels } = lokiRecordLabels(record, { exporter: true, job: true, instance: true, level: true });
 */
export function lokiRecordLabels(record: LogRecord, enabled: DefaultLabelsEnabled): LokiRecordLabels {
  const resourceAttributes = record.resource.attributes;
  const attributes = enabled.level && record.severityNumber !== 0 ? withLevel(record) : record.attributes;
  const raw = new Map<string, string>();
  if (enabled.exporter) raw.set('exporter', 'OTLP');
  const identity = resourceIdentityLabels(record.resource);
  for (const name of ['job', 'instance'] as const) {
    const value = identity.get(name);
    if (enabled[name] && value !== undefined) raw.set(name, value);
  }
  promote(raw, resourceAttributes, resourceAttributes[HINT_RESOURCES]);
  promote(raw, resourceAttributes, attributes[HINT_RESOURCES]);
  promote(raw, attributes, attributes[HINT_ATTRIBUTES]);
  // The tenant attribute is labelled too; the resource's hint wins over the record's.
  if (resourceAttributes[HINT_TENANT] !== undefined) promote(raw, resourceAttributes, resourceAttributes[HINT_TENANT]);
  else promote(raw, attributes, attributes[HINT_TENANT]);
  const labels = new Map<string, string>();
  for (const [name, value] of raw) {
    const labelName = promLabelName(name);
    // Loki keeps no label with an empty name or value (it would drop it on ingestion).
    if (labelName !== '' && value !== '') labels.set(labelName, value);
  }
  const format = promLabelValue(resourceAttributes[HINT_FORMAT] ?? attributes[HINT_FORMAT] ?? 'json');
  return { labels, attributes: without(attributes, raw), resourceAttributes: without(resourceAttributes, raw), format };
}
