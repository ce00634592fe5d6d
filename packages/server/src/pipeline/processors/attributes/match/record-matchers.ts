import type { Attributes } from '../../../../model/attributes.ts';
import type { LogRecord } from '../../../../model/log-record.ts';
import type { MetricDescriptor } from '../../../../model/metric-point.ts';
import type { Resource, Scope } from '../../../../model/resource.ts';
import type { Span, SpanKind } from '../../../../model/span.ts';
import { attributeAsString } from '../value-text.ts';
import { matchAttributes, parseAttributeConditions, type AttributeCondition } from './attribute-matcher.ts';
import type { MatchProperties } from './match-properties.ts';
import { createStringFilter, type StringFilter } from './string-filter.ts';

/** The proto enum names the Collector matches `span_kinds` against (coreinternal/traceutil SpanKindStr). */
const SPAN_KIND_NAMES: Readonly<Record<SpanKind, string>> = {
  0: 'SPAN_KIND_UNSPECIFIED', 1: 'SPAN_KIND_INTERNAL', 2: 'SPAN_KIND_SERVER',
  3: 'SPAN_KIND_CLIENT', 4: 'SPAN_KIND_PRODUCER', 5: 'SPAN_KIND_CONSUMER',
};
const STRICT_SPAN_KINDS = Object.values(SPAN_KIND_NAMES).filter((name) => name !== 'SPAN_KIND_UNSPECIFIED').sort();

/** What libraries/resources/attributes match on, for spans and logs (filtermatcher.PropertiesMatcher). */
type CommonMatcher = (attributes: Attributes, resource: Resource, scope: Scope) => boolean;

/**
 * A span matcher for one `include`/`exclude` block, after filterconfig's ValidateForSpans and
 * filterspan's propertiesMatcher (internal/filter/filterspan/filterspan.go): every given field must match.
 */
export function spanMatcher(props: MatchProperties): (span: Span) => boolean {
  const { reader } = props;
  if (props.logBodies.length > 0) throw reader.error('log_bodies should not be specified for trace spans', 'log_bodies');
  if (props.logSeverityTexts.length > 0)
    throw reader.error('log_severity_texts should not be specified for trace spans', 'log_severity_texts');
  if (props.logSeverityNumber)
    throw reader.error('log_severity_number should not be specified for trace spans', 'log_severity_number');
  const used = [props.services, props.spanNames, props.attributes, props.libraries, props.resources, props.spanKinds];
  if (used.every((list) => list.length === 0))
    throw reader.error('at least one of "attributes", "libraries",  or "resources" field must be specified');
  if (props.config.matchType === 'strict' && props.spanKinds.some((kind) => !STRICT_SPAN_KINDS.includes(kind)))
    throw reader.error(
      `span_kinds string must match one of the standard span kinds when match_type=strict: [${STRICT_SPAN_KINDS.join(' ')}]`,
      'span_kinds',
    );
  const common = commonMatcher(props);
  const services = optionalFilter(props, props.services, 'services');
  const names = optionalFilter(props, props.spanNames, 'span_names');
  const kinds = optionalFilter(props, props.spanKinds, 'span_kinds');
  return (span) =>
    (!services || services.matches(serviceNameOf(span.resource))) &&
    (!names || names.matches(span.name)) &&
    (!kinds || kinds.matches(SPAN_KIND_NAMES[span.kind] ?? '')) &&
    common(span.attributes, span.resource, span.scope);
}

/** A log matcher, after ValidateForLogs and filterlog's propertiesMatcher (internal/filter/filterlog/filterlog.go). */
export function logMatcher(props: MatchProperties): (log: LogRecord) => boolean {
  const { reader } = props;
  if (props.spanNames.length > 0 || props.services.length > 0 || props.spanKinds.length > 0)
    throw reader.error('services, span_names, and span_kinds are not valid for log records');
  const used = [props.attributes, props.libraries, props.resources, props.logBodies, props.logSeverityTexts];
  if (used.every((list) => list.length === 0) && !props.logSeverityNumber)
    throw reader.error(
      'at least one of "attributes", "libraries", "span_kinds", "resources", "log_bodies", "log_severity_texts" or "log_severity_number" field must be specified',
    );
  const common = commonMatcher(props);
  const bodies = optionalFilter(props, props.logBodies, 'log_bodies');
  const severityTexts = optionalFilter(props, props.logSeverityTexts, 'log_severity_texts');
  const severity = props.logSeverityNumber;
  return (log) =>
    (!bodies || bodies.matches(attributeAsString(log.body))) &&
    (!severityTexts || severityTexts.matches(log.severityText)) &&
    // severity_matcher.go: an unspecified (0) severity matches only with match_undefined.
    (!severity || (log.severityNumber === 0 ? severity.matchUndefined : log.severityNumber >= severity.min)) &&
    common(log.attributes, log.resource, log.scope);
}

/**
 * A metric matcher as filtermetric builds it from these properties
 * (internal/filter/filtermetric/filtermetric.go): only `metric_names` selects metrics; with none
 * there is no matcher at all, and `resources` is not consulted (upstream passes it on but its name
 * matcher never reads it).
 */
export function metricMatcher(props: MatchProperties): ((metric: MetricDescriptor) => boolean) | undefined {
  if (props.metricNames.length === 0) return undefined;
  const names = createStringFilter(props.metricNames, props.config, props.reader.at('metric_names'));
  return (metric) => names.matches(metric.name);
}

/** Metric fields that upstream reads but never uses, so an operator can be told. */
export function ignoredMetricFields(props: MatchProperties): string[] {
  const fields: [string, boolean][] = [
    ['resources', props.resources.length > 0 && props.metricNames.length > 0],
    ['services', props.services.length > 0], ['span_names', props.spanNames.length > 0],
    ['span_kinds', props.spanKinds.length > 0], ['attributes', props.attributes.length > 0],
    ['libraries', props.libraries.length > 0], ['log_bodies', props.logBodies.length > 0],
    ['log_severity_texts', props.logSeverityTexts.length > 0], ['log_severity_number', props.logSeverityNumber !== undefined],
  ];
  return fields.filter(([, present]) => present).map(([name]) => name);
}

function commonMatcher(props: MatchProperties): CommonMatcher {
  const libraries = props.libraries.map((library, index) => ({
    name: createStringFilter([library.name], props.config, [...props.reader.at('libraries'), index, 'name']),
    version:
      library.version === undefined
        ? undefined
        : createStringFilter([library.version], props.config, [...props.reader.at('libraries'), index, 'version']),
  }));
  const attributes: AttributeCondition[] = parseAttributeConditions(props.attributes, props.config);
  const resources: AttributeCondition[] = parseAttributeConditions(props.resources, props.config);
  return (recordAttributes, resource, scope) =>
    // Every listed library must match (upstream's loop returns false on the first miss).
    libraries.every((library) => library.name.matches(scope.name) && (!library.version || library.version.matches(scope.version))) &&
    matchAttributes(resources, resource.attributes) &&
    matchAttributes(attributes, recordAttributes);
}

function optionalFilter(props: MatchProperties, patterns: readonly string[], key: string): StringFilter | undefined {
  return patterns.length === 0 ? undefined : createStringFilter(patterns, props.config, props.reader.at(key));
}

/** filterspan's serviceNameForResource: the attribute as text, or a marker no real name equals. */
function serviceNameOf(resource: Resource): string {
  const value = resource.attributes['service.name'];
  return value === undefined ? '<nil-service-name>' : attributeAsString(value);
}
