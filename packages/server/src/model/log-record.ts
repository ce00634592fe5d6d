import type { AttributeValue, Attributes } from './attributes.ts';
import type { Resource, Scope } from './resource.ts';
import type { UnixNano } from './units.ts';

/** One OTLP LogRecord. `traceId`/`spanId` are lowercase hex or empty. */
export interface LogRecord {
  timeUnixNano: UnixNano;
  observedTimeUnixNano: UnixNano;
  severityNumber: number;
  severityText: string;
  body: AttributeValue;
  attributes: Attributes;
  droppedAttributesCount: number;
  flags: number;
  traceId: string;
  spanId: string;
  eventName: string;
  resource: Resource;
  scope: Scope;
}
