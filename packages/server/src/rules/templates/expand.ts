import { GO, goFloat, goString, goStringMap, goStruct, type GoType, type GoValue } from './go/go-values.ts';
import { expandTemplate, parseTemplateError } from './expander.ts';
import type { TemplateQueryFn } from './template-types.ts';

/**
 * Alert label and annotation templates, rendered as Prometheus renders them: Go's text/template
 * with Prometheus's functions (template/template.go), the alert's data as dot, and the variables
 * rules/alerting.go defines in front of every template.
 */

export { TemplateError } from './template-error.ts';
export type { TemplateQuerySample } from './template-types.ts';

/** Data exposed to a rule template, as Prometheus's rules/alerting.go provides it. */
export interface AlertTemplateData {
  labels: Readonly<Record<string, string>>;
  externalLabels: Readonly<Record<string, string>>;
  externalURL: string;
  value: number;
}

/** Options for {@link expandAlertTemplate}. */
export interface TemplateOptions {
  /** Template name for error messages, e.g. `__alert_InferenceP99LatencyHigh` as Prometheus names them. */
  name: string;
  /** Evaluation time (for `query` and `now`), Unix ms. */
  timeMs: number;
  /** Runs PromQL for the `query` function; absent → `query` errors. */
  query?: TemplateQueryFn;
  /** For `pathPrefix`; '' by default. */
  pathPrefix?: string;
}

/**
 * rules/alerting.go prepends these to each template, so `$labels`, `$value` & co. exist. They are
 * on the template's first line, so columns in error messages count them, as in Prometheus.
 */
const ALERT_VARIABLE_DEFS =
  '{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}';

/** Prometheus's template.AlertTemplateData struct (Value is interface{}: a float64 for float samples). */
const ALERT_DATA_TYPE: GoType = {
  name: 'struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value interface {} }',
  kind: 'struct',
  fields: [
    ['Labels', GO.mapStringString],
    ['ExternalLabels', GO.mapStringString],
    ['ExternalURL', GO.string],
    ['Value', GO.any],
  ],
};

function alertDataValue(data: AlertTemplateData): GoValue {
  return goStruct(
    ALERT_DATA_TYPE,
    new Map<string, GoValue>([
      ['Labels', goStringMap(data.labels)],
      ['ExternalLabels', goStringMap(data.externalLabels)],
      ['ExternalURL', goString(data.externalURL)],
      ['Value', goFloat(data.value)],
    ]),
  );
}

/**
 * Renders a rule label/annotation template; throws TemplateError (message as Prometheus words it).
 * @example
 * await expandAlertTemplate('{{ $value | humanizePercentage }}', { labels: {}, externalLabels: {},
 *   externalURL: '', value: 0.0123 }, { name: '__alert_ErrorRate', timeMs: Date.now() }) // "1.23%"
 */
export async function expandAlertTemplate(
  text: string,
  data: AlertTemplateData,
  options: TemplateOptions,
): Promise<string> {
  return expandTemplate(ALERT_VARIABLE_DEFS + text, alertDataValue(data), {
    name: options.name,
    timeMs: options.timeMs,
    externalURL: data.externalURL,
    pathPrefix: options.pathPrefix ?? '',
    ...(options.query === undefined ? {} : { query: options.query }),
  });
}

/**
 * Parse check only (for `vigil check-rules`): undefined when the template parses, else the error
 * message as rulefmt's testTemplateParsing reports it ("template: __alert_X:1: function "foo" not defined").
 * @example checkTemplate('{{ $labels.job }}', '__alert_Down') // undefined
 */
export function checkTemplate(text: string, name: string): string | undefined {
  return parseTemplateError(ALERT_VARIABLE_DEFS + text, name);
}
