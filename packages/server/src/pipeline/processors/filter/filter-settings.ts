/**
 * The filter processor's settings (processor/filterprocessor/config.go): `error_mode`, OTTL
 * conditions per signal and context, and the legacy include/exclude forms. Every condition is
 * parsed and compiled here, once, so a bad condition fails at startup with its key path.
 */
import type { LogRecord } from '../../../model/log-record.ts';
import type { MetricPoint } from '../../../model/metric-point.ts';
import type { Resource } from '../../../model/resource.ts';
import type { Span } from '../../../model/span.ts';
import { SettingsReader } from '../../graph/settings-reader.ts';
import type { ErrorMode, ErrorPolicy } from './condition-set.ts';
import { ConditionSet, ERROR_MODES } from './condition-set.ts';
import { legacyLogFilter, legacyMetricFilter, legacySpanFilter } from './legacy-filters.ts';
import type { OttlContext } from './ottl/context.ts';
import { LOG_CONTEXT } from './ottl/contexts/log-context.ts';
import type { MetricGroup } from './ottl/contexts/metric-context.ts';
import { DATAPOINT_CONTEXT, METRIC_CONTEXT } from './ottl/contexts/metric-context.ts';
import { RESOURCE_CONTEXT } from './ottl/contexts/resource-context.ts';
import type { SpanEventRecord } from './ottl/contexts/span-context.ts';
import { SPAN_CONTEXT, SPAN_EVENT_CONTEXT } from './ottl/contexts/span-context.ts';

export interface TraceConditions {
  resource: ConditionSet<Resource>;
  span: ConditionSet<Span>;
  spanevent: ConditionSet<SpanEventRecord>;
}

export interface MetricConditions {
  resource: ConditionSet<Resource>;
  metric: ConditionSet<MetricGroup>;
  datapoint: ConditionSet<MetricPoint>;
}

export interface LogConditions {
  resource: ConditionSet<Resource>;
  logRecord: ConditionSet<LogRecord>;
}

export interface FilterSettings {
  errorMode: ErrorMode;
  traces: TraceConditions;
  metrics: MetricConditions;
  logs: LogConditions;
}

/** Settings the Collector accepts that Vigil does not implement, with what to use instead. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  trace_conditions:
    'context-inferred "trace_conditions" are not supported by Vigil; use "traces.span" / "traces.spanevent"',
  metric_conditions:
    'context-inferred "metric_conditions" are not supported by Vigil; use "metrics.metric" / "metrics.datapoint"',
  log_conditions: 'context-inferred "log_conditions" are not supported by Vigil; use "logs.log_record"',
  profile_conditions: 'Vigil has no profiles pipeline for the filter processor',
  profiles: 'Vigil has no profiles pipeline for the filter processor',
};

/**
 * Parses and validates the settings; throws SettingsError with the key path of the first problem.
 *
 * @example
 * parseFilterSettings({ traces: { span: ['attributes["http.route"] == "/health"'] } }, policyLog);
 */
export function parseFilterSettings(settings: unknown, log: (line: string) => void): FilterSettings {
  const root = SettingsReader.of(settings);
  for (const key of Object.keys(UNSUPPORTED)) {
    if (root.has(key)) throw root.error(UNSUPPORTED[key] ?? '', key);
  }
  root.allowOnly(['error_mode', 'traces', 'metrics', 'logs', 'spans']);
  const errorMode = root.string('error_mode', 'propagate');
  if (!(ERROR_MODES as readonly string[]).includes(errorMode)) {
    throw root.error(`unknown error mode ${errorMode}`, 'error_mode');
  }
  const policy: ErrorPolicy = { mode: errorMode as ErrorMode, log };
  return {
    errorMode: errorMode as ErrorMode,
    traces: parseTraces(root, policy),
    metrics: parseMetrics(root, policy),
    logs: parseLogs(root, policy),
  };
}

function conditions<T>(
  reader: SettingsReader | undefined,
  key: string,
  context: OttlContext<T>,
  policy: ErrorPolicy,
): ConditionSet<T> {
  const sources = reader?.strings(key) ?? [];
  return ConditionSet.compile(sources, context, reader?.at(key) ?? [key], policy);
}

function parseTraces(root: SettingsReader, policy: ErrorPolicy): TraceConditions {
  const traces = root.child('traces');
  traces?.allowOnly(['resource', 'span', 'spanevent']);
  const legacy = root.child('spans');
  const usesOttl = traces !== undefined && ['resource', 'span', 'spanevent'].some((k) => traces.has(k));
  if (usesOttl && legacy !== undefined) {
    throw root.error(
      'cannot use "traces.resource", "traces.span", "traces.spanevent" and the span settings "spans.include", "spans.exclude" at the same time',
      'spans',
    );
  }
  const legacyDrop = legacy === undefined ? undefined : legacySpanFilter(legacy);
  return {
    resource: conditions(traces, 'resource', RESOURCE_CONTEXT, policy),
    span: legacyDrop
      ? ConditionSet.ofPredicates([legacyDrop], policy)
      : conditions(traces, 'span', SPAN_CONTEXT, policy),
    spanevent: conditions(traces, 'spanevent', SPAN_EVENT_CONTEXT, policy),
  };
}

function parseMetrics(root: SettingsReader, policy: ErrorPolicy): MetricConditions {
  const metrics = root.child('metrics');
  metrics?.allowOnly(['resource', 'metric', 'datapoint', 'include', 'exclude', 'regexp']);
  metrics?.child('regexp')?.allowOnly(['cacheenabled', 'cachemaxnumentries']);
  const usesOttl = metrics !== undefined && ['resource', 'metric', 'datapoint'].some((k) => metrics.has(k));
  const usesLegacy = metrics !== undefined && (metrics.has('include') || metrics.has('exclude'));
  if (usesOttl && usesLegacy) {
    throw root.error(
      'cannot use "metrics.resource", "metrics.metric", "metrics.datapoint" and the settings "metrics.include", "metrics.exclude" at the same time',
      'metrics',
    );
  }
  const legacyDrop = usesLegacy && metrics !== undefined ? legacyMetricFilter(metrics) : undefined;
  return {
    resource: conditions(metrics, 'resource', RESOURCE_CONTEXT, policy),
    metric: conditions(metrics, 'metric', METRIC_CONTEXT, policy),
    datapoint: legacyDrop
      ? ConditionSet.ofPredicates([legacyDrop], policy)
      : conditions(metrics, 'datapoint', DATAPOINT_CONTEXT, policy),
  };
}

function parseLogs(root: SettingsReader, policy: ErrorPolicy): LogConditions {
  const logs = root.child('logs');
  logs?.allowOnly(['resource', 'log_record', 'include', 'exclude']);
  const usesOttl = logs !== undefined && (logs.has('resource') || logs.has('log_record'));
  const usesLegacy = logs !== undefined && (logs.has('include') || logs.has('exclude'));
  if (usesOttl && usesLegacy) {
    throw root.error(
      'cannot use "logs.resource", "logs.log_record" and the settings "logs.include", "logs.exclude" at the same time',
      'logs',
    );
  }
  const legacyDrop = usesLegacy && logs !== undefined ? legacyLogFilter(logs) : undefined;
  return {
    resource: conditions(logs, 'resource', RESOURCE_CONTEXT, policy),
    logRecord: legacyDrop
      ? ConditionSet.ofPredicates([legacyDrop], policy)
      : conditions(logs, 'log_record', LOG_CONTEXT, policy),
  };
}
