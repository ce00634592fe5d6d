import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AttributeValue } from '../../../../model/attributes.ts';
import type { MetricPoint } from '../../../../model/metric-point.ts';
import {
  attrs,
  makeLog,
  makeSpan,
  metricPointsOfEveryType,
  resource,
} from '../../../../storage/contract-fixtures.ts';
import { compileCondition } from './compile.ts';
import type { OttlContext } from './context.ts';
import { LOG_CONTEXT } from './contexts/log-context.ts';
import type { MetricGroup } from './contexts/metric-context.ts';
import { DATAPOINT_CONTEXT, METRIC_CONTEXT } from './contexts/metric-context.ts';
import { RESOURCE_CONTEXT } from './contexts/resource-context.ts';
import { SPAN_CONTEXT, SPAN_EVENT_CONTEXT } from './contexts/span-context.ts';
import { OttlParseError, OttlRuntimeError } from './parse-error.ts';

function check<T>(context: OttlContext<T>, record: T, rows: [condition: string, expected: boolean][]): void {
  for (const [condition, expected] of rows) {
    it(`${condition} → ${expected}`, () =>
      assert.equal(compileCondition(condition, context)(record), expected));
  }
}

const span = makeSpan({
  trace: 0xabc,
  span: 0x2,
  name: 'GET /health',
  kind: 2,
  status: 2,
  durationNanos: 2_000_000n,
  attributes: attrs({
    'http.route': '/health',
    'http.status_code': 200n,
    ratio: 0.25,
    ok: true,
    tags: ['a', 'b'],
    nested: new Map<string, AttributeValue>([['inner', new Map<string, AttributeValue>([['leaf', 'x']])]]),
    empty: null,
  }),
  resource: resource('checkout', { 'host.name': 'localhost' }),
});

describe('span context', () => {
  check(SPAN_CONTEXT, span, [
    ['attributes["http.route"] == "/health"', true],
    ['attributes["http.route"] != "/health"', false],
    ['attributes["http.status_code"] == 200', true],
    ['attributes["http.status_code"] == 200.0', true],
    ['attributes["http.status_code"] == "200"', false],
    ['attributes["http.status_code"] >= 200 and attributes["http.status_code"] < 300', true],
    ['attributes["ratio"] < 0.5', true],
    ['attributes["ok"] == true', true],
    ['attributes["tags"][1] == "b"', true],
    ['attributes["nested"]["inner"]["leaf"] == "x"', true],
    ['attributes["nested"]["missing"]["leaf"] == nil', true],
    ['attributes["missing"] == nil', true],
    ['attributes["missing"] != nil', false],
    ['attributes["missing"] == "x"', false],
    ['attributes["missing"] != "x"', true],
    ['attributes["missing"] > 1', false],
    ['attributes["empty"] == nil', true],
    ['name == "GET /health"', true],
    ['span.name == "GET /health"', true],
    ['IsMatch(name, "health")', true],
    ['IsMatch(name, "^health")', false],
    ['IsMatch(attributes["missing"], ".*")', false],
    ['IsMatch(attributes["http.status_code"], "^2\\\\d\\\\d$")', true],
    ['kind == SPAN_KIND_SERVER', true],
    ['kind == 2', true],
    ['kind.string == "Server"', true],
    ['kind.deprecated_string == "SPAN_KIND_SERVER"', true],
    ['status.code == STATUS_CODE_ERROR', true],
    ['status.message == ""', true],
    ['trace_id.string == "00000000000000000000000000000abc"', true],
    ['span_id.string == "0000000000000002"', true],
    ['parent_span_id.string == "0000000000000000"', true],
    ['trace_id == TraceID(0x00000000000000000000000000000abc)', true],
    ['span_id == SpanID(0x0000000000000002)', true],
    ['end_time_unix_nano - start_time_unix_nano > 1000000', true],
    ['(end_time_unix_nano - start_time_unix_nano) / 1000000 == 2', true],
    ['start_time_unix_nano > 0', true],
    ['resource.attributes["service.name"] == "checkout"', true],
    ['resource.attributes["host.name"] == "localhost"', true],
    ['instrumentation_scope.name == "vigil.test"', true],
    ['instrumentation_scope.version == "1.2.3"', true],
    ['not name == "x"', true],
    ['name == "x" or (kind == SPAN_KIND_SERVER and not IsString(attributes["ok"]))', true],
    [
      'IsInt(attributes["http.status_code"]) and IsDouble(attributes["ratio"]) and IsBool(attributes["ok"])',
      true,
    ],
    ['IsList(attributes["tags"]) and IsMap(attributes["nested"]) and IsMap(attributes)', true],
    ['Len(attributes["tags"]) == 2 and Len(name) == 11', true],
    ['HasPrefix(name, "GET ") and HasSuffix(name, "health")', true],
    ['ToLowerCase(name) == "get /health"', true],
    ['false', false],
  ]);

  it('refuses paths, enums and converters the context does not have, with the column', () => {
    const cases: [string, RegExp, number][] = [
      ['severity_number == 1', /"severity_number" is not a valid path for the span context/, 1],
      ['name == SEVERITY_NUMBER_INFO', /enum symbol, SEVERITY_NUMBER_INFO, not found/, 9],
      ['kind.bogus == 1', /"kind.bogus" is not a valid path/, 1],
      ['Nope(name)', /undefined function "Nope"/, 1],
      ['IsMatch(name)', /incorrect number of arguments/, 1],
      ['IsMatch(name, "(")', /not a valid regexp pattern/, 1],
      ['Len(name)', /does not return a boolean/, 1],
      ['name == "x" and attributes[0] == 1', /must be indexed by a string/, 17],
    ];
    for (const [condition, message, column] of cases) {
      assert.throws(
        () => compileCondition(condition, SPAN_CONTEXT),
        (error: unknown) =>
          error instanceof OttlParseError && message.test(error.message) && error.column === column,
        condition,
      );
    }
  });

  it('raises OttlRuntimeError for conditions that cannot be evaluated on a record', () => {
    for (const condition of [
      'attributes["http.route"]["x"] == 1',
      'attributes["tags"][5] == "a"',
      'attributes["http.status_code"] / 0 == 1',
      'ToLowerCase(attributes["ok"]) == "true"',
    ]) {
      assert.throws(() => compileCondition(condition, SPAN_CONTEXT)(span), OttlRuntimeError, condition);
    }
  });
});

describe('spanevent context', () => {
  const event = {
    timeUnixNano: 5n,
    name: 'grpc.message',
    attributes: attrs({ grpc: true }),
    droppedAttributesCount: 0,
  };
  check(SPAN_EVENT_CONTEXT, { span, event }, [
    ['attributes["grpc"] == true', true],
    ['IsMatch(name, ".*grpc.*")', true],
    ['span.name == "GET /health"', true],
    ['span.kind == SPAN_KIND_SERVER', true],
    ['resource.attributes["service.name"] == "checkout"', true],
    ['time_unix_nano == 5', true],
  ]);
});

describe('log context', () => {
  const log = makeLog(1, {
    body: 'user password=hunter2',
    severityNumber: 5,
    severityText: 'DEBUG',
    attributes: attrs({ 'log.file': 'app.log' }),
    resource: resource('trainer'),
  });
  check(LOG_CONTEXT, log, [
    ['IsMatch(body, ".*password.*")', true],
    ['severity_number < SEVERITY_NUMBER_WARN', true],
    ['severity_number == SEVERITY_NUMBER_DEBUG', true],
    ['severity_number >= SEVERITY_NUMBER_INFO', false],
    ['severity_text == "DEBUG"', true],
    ['body.string == "user password=hunter2"', true],
    ['attributes["log.file"] == "app.log"', true],
    ['resource.attributes["service.name"] == "trainer"', true],
    ['time_unix_nano > 0', true],
  ]);

  it('reads a map body by key', () => {
    const mapLog = makeLog(2, { body: new Map<string, AttributeValue>([['level', 'debug']]) });
    assert.equal(compileCondition('body["level"] == "debug"', LOG_CONTEXT)(mapLog), true);
  });
});

describe('metric and datapoint contexts', () => {
  const points = metricPointsOfEveryType();
  const byType = (type: string): MetricPoint => {
    const point = points.find((p) => p.metric.type === type);
    assert.ok(point, type);
    return point;
  };
  const group = (point: MetricPoint): MetricGroup => ({
    metric: point.metric,
    resource: point.resource,
    scope: point.scope,
    points: [point],
  });

  it('reads metric fields and METRIC_DATA_TYPE enums', () => {
    const histogram = group(byType('histogram'));
    assert.equal(compileCondition('type == METRIC_DATA_TYPE_HISTOGRAM', METRIC_CONTEXT)(histogram), true);
    assert.equal(compileCondition('type == METRIC_DATA_TYPE_SUM', METRIC_CONTEXT)(histogram), false);
    assert.equal(compileCondition(`name == "${histogram.metric.name}"`, METRIC_CONTEXT)(histogram), true);
    const sum = group(byType('sum'));
    assert.equal(
      compileCondition('is_monotonic == true or is_monotonic == false', METRIC_CONTEXT)(sum),
      true,
    );
    assert.equal(compileCondition('is_monotonic == nil', METRIC_CONTEXT)(group(byType('gauge'))), true);
  });

  it('evaluates HasAttrKeyOnDatapoint and HasAttrOnDatapoint over the metric points', () => {
    const point = byType('gauge');
    const withAttr: MetricGroup = {
      ...group(point),
      points: [point, { ...point, attributes: attrs({ 'http.method': 'GET' }) }],
    };
    assert.equal(compileCondition('HasAttrKeyOnDatapoint("http.method")', METRIC_CONTEXT)(withAttr), true);
    assert.equal(
      compileCondition('HasAttrOnDatapoint("http.method", "GET")', METRIC_CONTEXT)(withAttr),
      true,
    );
    assert.equal(
      compileCondition('HasAttrOnDatapoint("http.method", "POST")', METRIC_CONTEXT)(withAttr),
      false,
    );
    assert.throws(() => compileCondition('HasAttrKeyOnDatapoint("x")', DATAPOINT_CONTEXT), OttlParseError);
  });

  it('reads datapoint values with pdata rules (value_int of a double point is 0)', () => {
    const gauge = { ...byType('gauge'), value: 7.5, valueIsInt: false };
    const intGauge = { ...gauge, value: 7, valueIsInt: true };
    assert.equal(compileCondition('value_double == 7.5', DATAPOINT_CONTEXT)(gauge), true);
    assert.equal(compileCondition('value_int == 0', DATAPOINT_CONTEXT)(gauge), true);
    assert.equal(compileCondition('value_int == 7 and value_double == 0', DATAPOINT_CONTEXT)(intGauge), true);
    assert.equal(compileCondition('value_double == nil', DATAPOINT_CONTEXT)(byType('histogram')), true);
    assert.equal(
      compileCondition('metric.type == METRIC_DATA_TYPE_SUMMARY', DATAPOINT_CONTEXT)(byType('summary')),
      true,
    );
    assert.equal(compileCondition('count >= 0 and sum >= 0', DATAPOINT_CONTEXT)(byType('histogram')), true);
  });
});

describe('resource context', () => {
  check(RESOURCE_CONTEXT, resource('checkout', { env: 'prod' }), [
    ['attributes["env"] == "prod"', true],
    ['attributes["service.name"] == "other"', false],
    ['dropped_attributes_count == 0', true],
  ]);
});
