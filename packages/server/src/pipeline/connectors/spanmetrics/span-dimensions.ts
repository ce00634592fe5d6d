import type { AttributeValue, Attributes } from '../../../model/attributes.ts';
import { newAttributes } from '../../../model/attributes.ts';
import type { Span } from '../../../model/span.ts';
import { valueKeyText } from '../shared/metric-output.ts';
import type { DimensionSetting } from './spanmetrics-settings.ts';

/** traceutil.SpanKindStr, indexed by OTLP SpanKind. */
export const SPAN_KIND_TEXT = [
  'SPAN_KIND_UNSPECIFIED',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_SERVER',
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_CONSUMER',
] as const;
/** traceutil.StatusCodeStr, indexed by OTLP StatusCode. */
export const STATUS_CODE_TEXT = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'] as const;

/**
 * A dimension's value for a span: the span's attribute, else the resource's (or, for events, the
 * event's over the resource's), else the configured default, else undefined (dimension omitted).
 * Upstream pdatautil GetDimensionValue: "the span's attributes, being the most specific, take precedence".
 */
export function dimensionValue(
  dimension: DimensionSetting,
  spanAttributes: Attributes,
  ...fallbacks: Attributes[]
): AttributeValue | undefined {
  const own = spanAttributes[dimension.name];
  if (own !== undefined) return own;
  for (const attributes of fallbacks) {
    const value = attributes[dimension.name];
    if (value !== undefined) return value;
  }
  return dimension.defaultValue;
}

/** The key under which a dimension value is looked up (pdata Value.AsString; absent stays undefined). */
export function dimensionKey(value: AttributeValue | undefined): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : valueKeyText(value);
}

export interface BaseDimensions {
  serviceName: string;
  excluded: ReadonlySet<string>;
  includeScope: ReadonlySet<string>;
}

/**
 * The attributes of a new series, in upstream buildAttributes' order: service.name, span.name,
 * span.kind, status.code (each unless excluded), the dimensions with their original types, then
 * the instrumentation scope when listed in include_instrumentation_scope.
 */
export function seriesAttributes(
  span: Span,
  base: BaseDimensions,
  dimensions: readonly DimensionSetting[],
  values: readonly (AttributeValue | undefined)[],
): Attributes {
  const attributes = newAttributes();
  if (!base.excluded.has('service.name')) attributes['service.name'] = base.serviceName;
  if (!base.excluded.has('span.name')) attributes['span.name'] = span.name;
  if (!base.excluded.has('span.kind'))
    attributes['span.kind'] = SPAN_KIND_TEXT[span.kind] ?? SPAN_KIND_TEXT[0];
  if (!base.excluded.has('status.code'))
    attributes['status.code'] = STATUS_CODE_TEXT[span.statusCode] ?? STATUS_CODE_TEXT[0];
  dimensions.forEach((dimension, i) => {
    const value = values[i];
    if (value !== undefined) attributes[dimension.name] = value;
  });
  if (span.scope.name !== '' && base.includeScope.has(span.scope.name)) {
    attributes['span.instrumentation.scope.name'] = span.scope.name;
    if (span.scope.version !== '') attributes['span.instrumentation.scope.version'] = span.scope.version;
  }
  return attributes;
}
