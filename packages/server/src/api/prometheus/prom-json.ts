import type { PromErrorType } from '../../query/promql/errors.ts';
import { formatGoFloat } from '../../query/promql/go-format.ts';
import { sortedLabelNames, type Labels } from '../../query/promql/labels.ts';
import type { PromValue, RangeSeries, Sample } from '../../query/promql/values.ts';
import type { ApiError } from '../api-error.ts';

/**
 * The Prometheus HTTP API's JSON (web/api/v1/api.go, json_codec.go). Query results are written as
 * text directly: timestamps as Unix seconds with millisecond decimals (`1700000000.5` is written
 * `1700000000.500`, marshalTimestamp), values as strings in Go's float format (`"+Inf"`, `"NaN"`,
 * never an exponent), labels in sorted order. Building the text is also cheaper than building an
 * object tree for JSON.stringify on 11,000-point matrices.
 */

/** Prometheus caps annotations per response (AsStrings(query, 10, 10)). */
const MAX_ANNOTATIONS = 10;

/** `{"status":"success","data":…,"warnings":[…],"infos":[…]}`; empty lists are left out. */
export function successBody(
  dataJson: string,
  warnings: readonly string[] = [],
  infos: readonly string[] = [],
): string {
  let body = `{"status":"success","data":${dataJson}`;
  const cappedWarnings = capAnnotations(warnings, 'warning');
  const cappedInfos = capAnnotations(infos, 'info');
  if (cappedWarnings.length > 0) body += `,"warnings":${JSON.stringify(cappedWarnings)}`;
  if (cappedInfos.length > 0) body += `,"infos":${JSON.stringify(cappedInfos)}`;
  return `${body}}`;
}

function capAnnotations(annotations: readonly string[], kind: 'warning' | 'info'): string[] {
  if (annotations.length <= MAX_ANNOTATIONS) return [...annotations];
  const omitted = annotations.length - MAX_ANNOTATIONS;
  return [...annotations.slice(0, MAX_ANNOTATIONS), `${omitted} more ${kind} annotations omitted`];
}

/** `{"status":"error","errorType":…,"error":…}` (respondError). */
export function errorBody(error: ApiError): Record<string, string> {
  return {
    status: 'error',
    errorType: error.errorType ?? errorTypeOfStatus(error.status),
    error: error.message,
  };
}

/** For errors raised outside the Prometheus routes (404 route, 405, 414, storage overload). */
function errorTypeOfStatus(status: number): PromErrorType {
  if (status === 404) return 'not_found';
  if (status === 406) return 'not_acceptable';
  if (status === 422) return 'execution';
  if (status === 499) return 'canceled';
  if (status === 429 || status === 503) return 'unavailable';
  if (status >= 400 && status < 500) return 'bad_data';
  return 'internal';
}

/** `{"resultType":"vector","result":[…]}` (queryData). */
export function queryDataJson(value: PromValue): string {
  return `{"resultType":"${value.type}","result":${resultJson(value)}}`;
}

function resultJson(value: PromValue): string {
  switch (value.type) {
    case 'scalar':
      return pointJson(value.timestampMs, formatGoFloat(value.value));
    case 'string':
      return pointJson(value.timestampMs, value.value);
    case 'vector':
      return `[${value.samples.map(sampleJson).join(',')}]`;
    case 'matrix':
      return `[${value.series.map(seriesJson).join(',')}]`;
  }
}

function sampleJson(sample: Sample): string {
  return `{"metric":${labelsJson(sample.labels)},"value":${pointJson(sample.timestampMs, formatGoFloat(sample.value))}}`;
}

function seriesJson(series: RangeSeries): string {
  const points: string[] = [];
  for (let i = 0; i < series.timestampsMs.length; i++)
    points.push(pointJson(series.timestampsMs[i] ?? 0, formatGoFloat(series.values[i] ?? NaN)));
  return `{"metric":${labelsJson(series.labels)},"values":[${points.join(',')}]}`;
}

/** `[1700000000.500,"1"]`: a timestamp and a value as a string. */
function pointJson(timestampMs: number, valueText: string): string {
  return `[${timestampJson(timestampMs)},${JSON.stringify(valueText)}]`;
}

/** Unix seconds with the milliseconds as three decimals when not zero (marshalTimestamp). */
export function timestampJson(timestampMs: number): string {
  const wholeMs = Math.round(timestampMs);
  const sign = wholeMs < 0 ? '-' : '';
  const absoluteMs = Math.abs(wholeMs);
  const millis = absoluteMs % 1000;
  const seconds = (absoluteMs - millis) / 1000;
  return millis === 0 ? `${sign}${seconds}` : `${sign}${seconds}.${String(millis).padStart(3, '0')}`;
}

/** A label set as a JSON object with its names in sorted order (labels.Labels.MarshalJSON). */
export function labelsJson(labels: Labels): string {
  const fields = sortedLabelNames(labels).map(
    (name) => `${JSON.stringify(name)}:${JSON.stringify(labels.get(name) ?? '')}`,
  );
  return `{${fields.join(',')}}`;
}
