import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AttributeValue } from '../../../model/attributes.ts';
import type { MetricPoint } from '../../../model/metric-point.ts';
import type { Span } from '../../../model/span.ts';
import {
  attrs,
  makeLog,
  makeSpan,
  metricPointsOfEveryType,
  resource,
  seedMetricPoints,
} from '../../../storage/contract-fixtures.ts';
import { SettingsError } from '../../graph/component.ts';
import { FilterConditionError } from './condition-set.ts';
import { filterFactory } from './filter-factory.ts';
import { filterMetrics } from './filter-metrics.ts';
import { RecordingConsumer, runFilter, testContext } from './filter-test-support.ts';

function spanWith(
  n: number,
  name: string,
  attributes: Record<string, AttributeValue> = {},
  kind: Span['kind'] = 2,
): Span {
  return makeSpan({ trace: n, span: n, name, kind, attributes: attrs(attributes) });
}

function create(settings: unknown): void {
  filterFactory.create('traces', settings, new RecordingConsumer<'traces'>(), testContext());
}

describe('filter settings', () => {
  const refused: { name: string; settings: unknown; keyPath: (string | number)[]; message: RegExp }[] = [
    {
      name: 'a condition that does not parse names its index and column',
      settings: { traces: { span: ['name == "ok"', 'attributes["x" == 1'] } },
      keyPath: ['traces', 'span', 1],
      message: /unable to parse OTTL condition .*column 16: /,
    },
    {
      name: 'a path of another context',
      settings: { logs: { log_record: ['kind == SPAN_KIND_SERVER'] } },
      keyPath: ['logs', 'log_record', 0],
      message: /"kind" is not a valid path for the log context/,
    },
    {
      name: 'an unknown error_mode',
      settings: { error_mode: 'loud' },
      keyPath: ['error_mode'],
      message: /unknown error mode loud/,
    },
    {
      name: 'an unknown top-level key',
      settings: { trace: {} },
      keyPath: ['trace'],
      message: /unknown setting "trace"/,
    },
    {
      name: 'an unknown context',
      settings: { traces: { spans: [] } },
      keyPath: ['traces', 'spans'],
      message: /unknown setting/,
    },
    {
      name: 'conditions that are not strings',
      settings: { metrics: { metric: [{ name: 'x' }] } },
      keyPath: ['metrics', 'metric'],
      message: /expected a list of strings/,
    },
    {
      name: 'OTTL and legacy settings for one signal',
      settings: {
        traces: { span: ['name == "x"'] },
        spans: { exclude: { match_type: 'strict', span_names: ['x'] } },
      },
      keyPath: ['spans'],
      message: /cannot use "traces.resource", "traces.span", "traces.spanevent" and the span settings/,
    },
    {
      name: 'context-inferred conditions',
      settings: { trace_conditions: ['span.name == "x"'] },
      keyPath: ['trace_conditions'],
      message: /not supported by Vigil; use "traces.span"/,
    },
  ];
  for (const { name, settings, keyPath, message } of refused) {
    it(`refuses ${name}`, () => {
      assert.throws(
        () => create(settings),
        (error: unknown) => {
          assert.ok(error instanceof SettingsError, String(error));
          assert.match(error.message, message);
          assert.deepEqual(error.keyPath, keyPath);
          return true;
        },
      );
    });
  }

  it('accepts no settings (passes everything)', async () => {
    const spans = [spanWith(1, 'a')];
    assert.deepEqual((await runFilter('traces', undefined, spans)).kept, spans);
  });
});

describe('filter processor: README example (processor/filterprocessor/README.md)', () => {
  const settings = {
    error_mode: 'ignore',
    traces: {
      span: [
        'attributes["container.name"] == "app_container_1"',
        'resource.attributes["host.name"] == "localhost"',
        'name == "app_3"',
      ],
      spanevent: ['attributes["grpc"] == true', 'IsMatch(name, ".*grpc.*")'],
    },
    metrics: {
      metric: [
        'name == "my.metric" and resource.attributes["my_label"] == "abc123"',
        'type == METRIC_DATA_TYPE_HISTOGRAM',
      ],
      datapoint: [
        'metric.type == METRIC_DATA_TYPE_SUMMARY',
        'resource.attributes["service.name"] == "my_service_name"',
      ],
    },
    logs: { log_record: ['IsMatch(body, ".*password.*")', 'severity_number < SEVERITY_NUMBER_WARN'] },
  };

  it('drops matching spans and span events, copying only the spans it changes', async () => {
    const withEvents = spanWith(4, 'keep-with-events');
    withEvents.events = [
      { timeUnixNano: 1n, name: 'grpc.call', attributes: attrs({}), droppedAttributesCount: 0 },
      { timeUnixNano: 2n, name: 'db', attributes: attrs({ grpc: true }), droppedAttributesCount: 0 },
      { timeUnixNano: 3n, name: 'cache.miss', attributes: attrs({}), droppedAttributesCount: 0 },
    ];
    const originalEvents = withEvents.events;
    const untouched = spanWith(5, 'keep');
    const spans = [
      spanWith(1, 'x', { 'container.name': 'app_container_1' }),
      spanWith(2, 'app_3'),
      withEvents,
      untouched,
    ];
    const { kept } = await runFilter('traces', settings, spans);
    assert.deepEqual(
      kept.map((s) => s.name),
      ['keep-with-events', 'keep'],
    );
    assert.deepEqual(
      kept[0]?.events.map((e) => e.name),
      ['cache.miss'],
    );
    assert.notEqual(kept[0], withEvents, 'a span losing events is copied');
    assert.equal(withEvents.events, originalEvents, 'the input span is not mutated');
    assert.equal(originalEvents.length, 3);
    assert.equal(kept[1], untouched, 'an unchanged span is passed by reference');
  });

  it('drops whole metrics and single data points, keeping the other points of a metric', async () => {
    const points = metricPointsOfEveryType();
    const gauge = points.find((p) => p.metric.type === 'gauge') as MetricPoint;
    const otherService: MetricPoint = {
      ...gauge,
      resource: resource('my_service_name'),
      timeUnixNano: gauge.timeUnixNano + 1n,
    };
    const { kept } = await runFilter('metrics', settings, [...points, otherService]);
    assert.deepEqual(
      kept.map((p) => p.metric.type),
      ['gauge', 'sum', 'exponential_histogram'],
      'histogram (metric condition), summary and the my_service_name gauge point (datapoint conditions) are dropped',
    );
    assert.equal(kept[0], gauge);
  });

  it('drops logs with passwords and below WARN', async () => {
    const logs = [
      makeLog(1, { body: 'login password=x', severityNumber: 17 }),
      makeLog(2, { severityNumber: 9 }),
      makeLog(3, { severityNumber: 13, body: 'disk almost full' }),
    ];
    const { kept } = await runFilter('logs', settings, logs);
    assert.deepEqual(kept, [logs[2]]);
  });
});

describe('filter processor: seed-style ML pipeline', () => {
  it('drops health-check spans of the inference service and keeps predictions', async () => {
    const settings = {
      traces: {
        span: [
          'attributes["http.route"] == "/health" or attributes["http.route"] == "/ready"',
          'kind == SPAN_KIND_CLIENT and IsMatch(name, "^GET /metrics")',
        ],
      },
    };
    const spans = [
      spanWith(1, 'GET /health', { 'http.route': '/health' }),
      spanWith(2, 'POST /predict', { 'http.route': '/predict', 'ml.model.name': 'fraud-detector' }),
      spanWith(3, 'GET /ready', { 'http.route': '/ready' }),
      spanWith(4, 'GET /metrics', {}, 3),
      spanWith(5, 'inference.forward_pass', {}),
    ];
    const before = filterMetrics.dropped.get({ signal: 'traces' });
    const { kept } = await runFilter('traces', settings, spans);
    assert.deepEqual(
      kept.map((s) => s.name),
      ['POST /predict', 'inference.forward_pass'],
    );
    assert.equal(filterMetrics.dropped.get({ signal: 'traces' }) - before, 3);
  });

  it('drops debug logs of the trainer', async () => {
    const settings = {
      logs: {
        log_record: [
          'severity_number < SEVERITY_NUMBER_INFO and severity_number != SEVERITY_NUMBER_UNSPECIFIED',
        ],
      },
    };
    const logs = [
      makeLog(1, { severityNumber: 5, severityText: 'DEBUG', body: 'batch 17 loss=0.31' }),
      makeLog(2, { severityNumber: 9, severityText: 'INFO', body: 'epoch 3 finished' }),
      makeLog(3, { severityNumber: 0, severityText: '', body: 'print() output' }),
      makeLog(4, { severityNumber: 1, severityText: 'TRACE', body: 'tensor shapes' }),
    ];
    const before = filterMetrics.dropped.get({ signal: 'logs' });
    const { kept } = await runFilter('logs', settings, logs);
    assert.deepEqual(
      kept.map((l) => l.body),
      ['epoch 3 finished', 'print() output'],
    );
    assert.equal(filterMetrics.dropped.get({ signal: 'logs' }) - before, 2);
  });

  it('drops one metric of the seed by name and counts its points', async () => {
    const points = seedMetricPoints();
    const name = points[0]?.metric.name ?? '';
    const expected = points.filter((p) => p.metric.name !== name);
    const before = filterMetrics.dropped.get({ signal: 'metrics' });
    const { kept } = await runFilter('metrics', { metrics: { metric: [`name == "${name}"`] } }, points);
    assert.deepEqual(kept, expected);
    assert.equal(filterMetrics.dropped.get({ signal: 'metrics' }) - before, points.length - expected.length);
  });
});

describe('filter processor: resource conditions and empty batches', () => {
  it('drops every record of a matching resource and sends nothing downstream when all are dropped', async () => {
    const staging = resource('checkout', { 'deployment.environment': 'staging' });
    const spans = [
      makeSpan({ trace: 1, span: 1, resource: staging }),
      makeSpan({ trace: 1, span: 2, resource: staging }),
    ];
    const result = await runFilter(
      'traces',
      { traces: { resource: ['attributes["deployment.environment"] == "staging"'] } },
      spans,
    );
    assert.equal(result.kept.length, 0);
    assert.equal(result.downstreamCalls, 0);
  });
});

describe('filter processor: error_mode', () => {
  // Indexing a string attribute fails at evaluation time (ctxutil: "type Str does not support string indexing").
  const failing = 'attributes["http.route"]["x"] == "y"';
  const spans = (): Span[] => [
    spanWith(1, 'GET /health', { 'http.route': '/health' }),
    spanWith(2, 'drop-me'),
  ];

  it('propagate (the default) refuses the batch with the condition named', async () => {
    const next = new RecordingConsumer<'traces'>();
    const processor = filterFactory.create(
      'traces',
      { traces: { span: [failing, 'name == "drop-me"'] } },
      next,
      testContext(),
    );
    await assert.rejects(processor.consume(spans()), (error: unknown) => {
      assert.ok(error instanceof FilterConditionError);
      assert.match(error.message, /failed to eval condition: attributes\["http.route"\]\["x"\] == "y"/);
      return true;
    });
    assert.equal(next.batches.length, 0);
  });

  it('ignore counts the failing condition as false, goes on to the next, and logs once', async () => {
    const next = new RecordingConsumer<'traces'>();
    const context = testContext();
    const settings = { error_mode: 'ignore', traces: { span: [failing, 'name == "drop-me"'] } };
    const processor = filterFactory.create('traces', settings, next, context);
    await processor.consume(spans());
    await processor.consume(spans());
    assert.deepEqual(
      next.all().map((s) => s.name),
      ['GET /health', 'GET /health'],
    );
    assert.equal(context.lines.length, 1);
    assert.match(context.lines[0] ?? '', /^filter\/test: condition .* failed/);
  });

  it('silent behaves as ignore without logging', async () => {
    const { kept, lines } = await runFilter(
      'traces',
      { error_mode: 'silent', traces: { span: [failing, 'name == "drop-me"'] } },
      spans(),
    );
    assert.deepEqual(
      kept.map((s) => s.name),
      ['GET /health'],
    );
    assert.deepEqual(lines, []);
  });
});
