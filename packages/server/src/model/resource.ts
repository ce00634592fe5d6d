import type { Attributes } from './attributes.ts';

/** The entity producing telemetry (OTLP Resource). Shared by reference by every record of one batch. */
export interface Resource {
  attributes: Attributes;
  droppedAttributesCount: number;
  schemaUrl: string;
  /** `service.name` attribute, or `unknown_service` as the OTel spec defaults it. */
  serviceName: string;
}

/** The library that produced the telemetry (OTLP InstrumentationScope). */
export interface Scope {
  name: string;
  version: string;
  attributes: Attributes;
  droppedAttributesCount: number;
  schemaUrl: string;
}

export const UNKNOWN_SERVICE = 'unknown_service';
