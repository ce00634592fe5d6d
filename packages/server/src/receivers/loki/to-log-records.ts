import { newAttributes, type Attributes } from '../../model/attributes.ts';
import type { LogRecord } from '../../model/log-record.ts';
import { UNKNOWN_SERVICE, type Resource, type Scope } from '../../model/resource.ts';
import type { UnixNano } from '../../model/units.ts';
import type { LokiEntry, LokiLabelPairs, LokiStream } from './push-request.ts';

/**
 * Labels that name the service, in the order of Loki's service_name discovery (the default
 * `discover_service_name` list in pkg/validation/limits.go puts service_name, service, app before
 * job); Loki falls back to "unknown_service" as OTel does.
 */
const SERVICE_NAME_LABELS = ['service_name', 'service', 'app', 'job'] as const;

/** Where the level is found: structured metadata (per line) before stream labels, `level` first. */
const LEVEL_KEYS = ['level', 'detected_level'] as const;

/** Loki level words → OTel SeverityNumber (logs data model, "Field: SeverityNumber": the base of each range). */
const SEVERITY_BY_LEVEL: ReadonlyMap<string, number> = new Map([
  ['trace', 1],
  ['debug', 5],
  ['dbg', 5],
  ['info', 9],
  ['information', 9],
  ['notice', 10],
  ['warn', 13],
  ['warning', 13],
  ['error', 17],
  ['err', 17],
  ['critical', 21],
  ['crit', 21],
  ['fatal', 21],
  ['panic', 21],
]);

const TRACE_ID = /^[0-9a-fA-F]{32}$/;
const SPAN_ID = /^[0-9a-fA-F]{16}$/;

/**
 * Maps decoded Loki streams to OTel log records: the line is the body, every stream label is a
 * resource attribute (plus `service.name` from the first service label), structured metadata are
 * log attributes, the severity comes from a level label or metadata, and `trace_id`/`span_id`
 * metadata in hex give the trace context. All records of a stream share one Resource.
 *
 * @example
 * const logs = lokiStreamsToLogRecords(streams, nowUnixNano());
 */
export function lokiStreamsToLogRecords(
  streams: readonly LokiStream[],
  observedUnixNano: UnixNano,
): LogRecord[] {
  const scope: Scope = {
    name: '',
    version: '',
    attributes: newAttributes(),
    droppedAttributesCount: 0,
    schemaUrl: '',
  };
  const logs: LogRecord[] = [];
  for (const stream of streams) {
    const resource = streamResource(stream.labels);
    for (const entry of stream.entries)
      logs.push(entryRecord(entry, stream.labels, resource, scope, observedUnixNano));
  }
  return logs;
}

function streamResource(labels: LokiLabelPairs): Resource {
  const attributes = pairsToAttributes(labels);
  const serviceName =
    SERVICE_NAME_LABELS.map((name) => lookup(labels, name)).find((value) => value) ?? UNKNOWN_SERVICE;
  // An OTel-shaped resource always says its service; the label it came from stays as well.
  if (attributes['service.name'] === undefined) attributes['service.name'] = serviceName;
  return { attributes, droppedAttributesCount: 0, schemaUrl: '', serviceName };
}

function entryRecord(
  entry: LokiEntry,
  labels: LokiLabelPairs,
  resource: Resource,
  scope: Scope,
  observedUnixNano: UnixNano,
): LogRecord {
  const metadata = entry.structuredMetadata;
  const level = firstLevel(metadata) ?? firstLevel(labels) ?? '';
  const traceId = lookup(metadata, 'trace_id') ?? '';
  const spanId = lookup(metadata, 'span_id') ?? '';
  const hasTrace = TRACE_ID.test(traceId) && !/^0+$/.test(traceId);
  return {
    timeUnixNano: entry.timeUnixNano,
    observedTimeUnixNano: observedUnixNano,
    severityNumber: SEVERITY_BY_LEVEL.get(level.toLowerCase()) ?? 0,
    severityText: level,
    body: entry.line,
    attributes: pairsToAttributes(metadata),
    droppedAttributesCount: 0,
    flags: 0,
    traceId: hasTrace ? traceId.toLowerCase() : '',
    spanId: hasTrace && SPAN_ID.test(spanId) && !/^0+$/.test(spanId) ? spanId.toLowerCase() : '',
    eventName: '',
    resource,
    scope,
  };
}

function firstLevel(pairs: LokiLabelPairs): string | undefined {
  for (const key of LEVEL_KEYS) {
    const value = lookup(pairs, key);
    if (value) return value;
  }
  return undefined;
}

function lookup(pairs: LokiLabelPairs, name: string): string | undefined {
  return pairs.find(([pairName]) => pairName === name)?.[1];
}

function pairsToAttributes(pairs: LokiLabelPairs): Attributes {
  const attributes = newAttributes();
  for (const [name, value] of pairs) attributes[name] = value;
  return attributes;
}
