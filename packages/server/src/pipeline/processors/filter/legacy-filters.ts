/**
 * The legacy (pre-OTTL) settings `spans`, `logs.include|exclude` and `metrics.include|exclude` of
 * the filter processor (internal/filter/filterconfig, filterspan, filterlog, filtermetric). Each
 * returns a drop predicate; keys Vigil does not implement are refused by name.
 */
import type { LogRecord } from '../../../model/log-record.ts';
import type { MetricPoint } from '../../../model/metric-point.ts';
import type { Span } from '../../../model/span.ts';
import type { SettingsReader } from '../../graph/settings-reader.ts';
import type { MatchType } from './legacy-matchers.ts';
import {
  allCriteria,
  attributesMatcher,
  includeExclude,
  readMatchType,
  stringMatcher,
} from './legacy-matchers.ts';

type Matcher<T> = (record: T) => boolean;

const KIND_SYMBOLS = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'].map(
  (k) => `SPAN_KIND_${k}`,
);
const SPAN_KEYS = [
  'match_type',
  'regexp',
  'services',
  'span_names',
  'span_kinds',
  'attributes',
  'resources',
  'libraries',
];
const LOG_KEYS = [
  'match_type',
  'regexp',
  'resource_attributes',
  'record_attributes',
  'severity_texts',
  'severity_number',
  'bodies',
];
const METRIC_KEYS = ['match_type', 'regexp', 'metric_names', 'resource_attributes', 'expressions'];
const SEVERITY_NAMES = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

/** `spans: {include, exclude}` → drop predicate. */
export function legacySpanFilter(spans: SettingsReader): Matcher<Span> | undefined {
  spans.allowOnly(['include', 'exclude']);
  return includeExclude(
    optional(spans, 'include', spanProperties),
    optional(spans, 'exclude', spanProperties),
  );
}

/** `logs: {include, exclude}` → drop predicate. */
export function legacyLogFilter(logs: SettingsReader): Matcher<LogRecord> | undefined {
  return includeExclude(optional(logs, 'include', logProperties), optional(logs, 'exclude', logProperties));
}

/** `metrics: {include, exclude}` → drop predicate (per point; name and resource are per metric). */
export function legacyMetricFilter(metrics: SettingsReader): Matcher<MetricPoint> | undefined {
  return includeExclude(
    optional(metrics, 'include', metricProperties),
    optional(metrics, 'exclude', metricProperties),
  );
}

function optional<T>(
  reader: SettingsReader,
  key: string,
  build: (r: SettingsReader) => Matcher<T> | undefined,
): Matcher<T> | undefined {
  const child = reader.child(key);
  return child === undefined ? undefined : build(child);
}

function checkRegexpOptions(reader: SettingsReader): void {
  // The regexp result cache (cacheenabled, cachemaxnumentries) changes speed, not results.
  reader.child('regexp')?.allowOnly(['cacheenabled', 'cachemaxnumentries']);
}

function spanProperties(props: SettingsReader): Matcher<Span> | undefined {
  props.allowOnly(SPAN_KEYS);
  checkRegexpOptions(props);
  const matchType = readMatchType(props) as MatchType;
  const names = (key: string): Matcher<string> | undefined => {
    const list = props.strings(key);
    return list.length === 0 ? undefined : stringMatcher(matchType, list, props, key);
  };
  const services = names('services');
  const spanNames = names('span_names');
  const kinds = names('span_kinds');
  const attributes = attributesMatcher(matchType, props, 'attributes');
  const resources = attributesMatcher(matchType, props, 'resources');
  const libraries = libraryMatcher(matchType, props);
  if ([services, spanNames, kinds, attributes, resources, libraries].every((m) => m === undefined)) {
    throw props.error(
      'at least one of "services", "span_names", "span_kinds", "attributes", "libraries" or "resources" field must be specified',
    );
  }
  return allCriteria<Span>([
    services && ((s) => services(serviceName(s))),
    spanNames && ((s) => spanNames(s.name)),
    kinds && ((s) => kinds(KIND_SYMBOLS[s.kind] ?? '')),
    attributes && ((s) => attributes(s.attributes)),
    resources && ((s) => resources(s.resource.attributes)),
    libraries,
  ]);
}

function serviceName(span: Span): string {
  const value = span.resource.attributes['service.name'];
  return typeof value === 'string' ? value : '';
}

function libraryMatcher(matchType: MatchType, props: SettingsReader): Matcher<Span> | undefined {
  const libraries = props.list('libraries').map((entry) => {
    entry.allowOnly(['name', 'version']);
    const name = stringMatcher(matchType, [entry.string('name', '')], entry, 'name');
    const version = entry.has('version')
      ? stringMatcher(matchType, [entry.string('version', '')], entry, 'version')
      : undefined;
    return (span: Span) => name(span.scope.name) && (version === undefined || version(span.scope.version));
  });
  return libraries.length === 0 ? undefined : (span) => libraries.some((library) => library(span));
}

function logProperties(props: SettingsReader): Matcher<LogRecord> | undefined {
  props.allowOnly(LOG_KEYS);
  checkRegexpOptions(props);
  const onlySeverityNumber = !['resource_attributes', 'record_attributes', 'severity_texts', 'bodies'].some(
    (k) => props.has(k),
  );
  // severity_number alone needs no match_type (the README's filter/severity_number example).
  const matchType = (
    onlySeverityNumber && !props.has('match_type') ? 'strict' : readMatchType(props)
  ) as MatchType;
  const texts = props.strings('severity_texts');
  const bodies = props.strings('bodies');
  const severityTexts =
    texts.length === 0 ? undefined : stringMatcher(matchType, texts, props, 'severity_texts');
  const bodyMatcher = bodies.length === 0 ? undefined : stringMatcher(matchType, bodies, props, 'bodies');
  const resource = attributesMatcher(matchType, props, 'resource_attributes');
  const record = attributesMatcher(matchType, props, 'record_attributes');
  // An include/exclude with no criteria is ignored (LogMatchProperties.isEmpty).
  return allCriteria<LogRecord>([
    resource && ((l) => resource(l.resource.attributes)),
    record && ((l) => record(l.attributes)),
    severityTexts && ((l) => severityTexts(l.severityText)),
    bodyMatcher && ((l) => typeof l.body === 'string' && bodyMatcher(l.body)),
    severityNumberMatcher(props),
  ]);
}

function severityNumberMatcher(props: SettingsReader): Matcher<LogRecord> | undefined {
  const severity = props.child('severity_number');
  if (severity === undefined) return undefined;
  severity.allowOnly(['min', 'match_undefined']);
  const min = parseSeverity(severity);
  const matchUndefined = severity.boolean('match_undefined', false);
  // An unspecified severity (0) matches only with match_undefined (filterlog severityNumberMatcher).
  return (log) => (log.severityNumber === 0 ? matchUndefined : log.severityNumber >= min);
}

/** `min`: a number 1–24 or a short name ("INFO", "warn2"), case-insensitive, as config.go's severityToNumber. */
function parseSeverity(severity: SettingsReader): number {
  const raw = severity.raw('min');
  const given = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : '';
  const text = given.toUpperCase();
  const asNumber = Number(text);
  if (/^\d+$/.test(text) && asNumber >= 1 && asNumber <= 24) return asNumber;
  const match = /^([A-Z]+)([2-4])?$/.exec(text);
  const group = match ? SEVERITY_NAMES.indexOf(match[1] ?? '') : -1;
  if (group < 0) throw severity.error(`'${given}' is not a valid severity: not a valid severity`, 'min');
  return group * 4 + 1 + (match?.[2] ? Number(match[2]) - 1 : 0);
}

function metricProperties(props: SettingsReader): Matcher<MetricPoint> | undefined {
  props.allowOnly(METRIC_KEYS);
  checkRegexpOptions(props);
  const matchType = readMatchType(props, ['strict', 'regexp', 'expr']);
  if (matchType === 'expr' || props.has('expressions')) {
    throw props.error(
      'match_type expr (the antonmedv/expr language) is not supported by Vigil; use OTTL conditions under "metrics.metric"',
      'match_type',
    );
  }
  const names = props.strings('metric_names');
  // With no metric_names the filter works at resource level only (README).
  const nameMatcher =
    names.length === 0 ? undefined : stringMatcher(matchType as MatchType, names, props, 'metric_names');
  const resource = attributesMatcher(matchType as MatchType, props, 'resource_attributes');
  return allCriteria<MetricPoint>([
    nameMatcher && ((p) => nameMatcher(p.metric.name)),
    resource && ((p) => resource(p.resource.attributes)),
  ]);
}
