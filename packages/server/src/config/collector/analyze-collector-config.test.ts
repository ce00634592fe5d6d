import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { analyzeCollectorConfig } from './analyze-collector-config.ts';
import { formatProblem, type Problem } from './problem.ts';

const SEED = readFileSync(new URL('testdata/seed-collector.yaml', import.meta.url), 'utf8');

/** `LINE:keyPath: message` per problem: short enough to compare whole in a table. */
const brief = (problems: Problem[]): string[] => problems.map((p) => `${p.line}:${p.keyPath}: ${p.message}`);

/** The seed with `from` replaced by `to`; fails loudly if the edit no longer applies. */
function edited(from: string, to: string): string {
  assert.ok(SEED.includes(from), `seed has no ${JSON.stringify(from)}`);
  return SEED.replace(from, to);
}

describe('the seed Collector config', () => {
  const { errors, notes } = analyzeCollectorConfig(SEED, {});

  test('has no errors', () => assert.deepEqual(errors, []));

  test('notes kubernetes discovery, and that scraped samples skip the metrics processors', () => {
    assert.deepEqual(
      notes.map((n) => [n.line, n.keyPath, n.message.split(':')[0]]),
      [
        [14, 'receivers.prometheus.config.scrape_configs[0].kubernetes_sd_configs', 'job dcgm-exporter'],
        [67, 'service.pipelines.metrics', 'receiver prometheus'],
      ],
    );
    assert.match(
      notes[0]?.message ?? '',
      /kubernetes_sd_configs cannot discover targets.*use static_configs or file_sd_configs/,
    );
    assert.match(
      notes[1]?.message ?? '',
      /memory_limiter, batch, attributes, prometheusremotewrite act on the pipeline's OTLP metrics only/,
    );
  });

  test('formats as FILE:LINE:COL: keyPath: message', () => {
    const first = notes[0];
    assert.ok(first);
    assert.match(
      formatProblem(first, 'seed.yaml'),
      /^seed\.yaml:14:11: receivers\.prometheus\.config\.scrape_configs\[0\]\.kubernetes_sd_configs: job dcgm-exporter: /,
    );
  });
});

describe('broken configs report the right line', () => {
  const cases: { name: string; text: string; errors: string[] }[] = [
    {
      name: 'undefined processor in a pipeline',
      text: edited('[memory_limiter, tail_sampling, batch]', '[memory_limiter, tail_samplingx, batch]'),
      errors: ['64:service.pipelines.traces: references undefined processor "tail_samplingx"'],
    },
    {
      name: 'bad indentation',
      text: edited('    timeout: 5s\n  memory_limiter', '   timeout: 5s\n  memory_limiter'),
      errors: ['24:: invalid YAML: All mapping items must start at the same column'],
    },
    {
      name: 'pipeline without receivers or exporters',
      text: edited(
        '      receivers: [otlp]\n      processors: [memory_limiter, batch]\n      exporters: [loki]',
        '      processors: [batch]',
      ),
      errors: [
        '70:service.pipelines.logs: must have at least one receiver',
        '70:service.pipelines.logs: must have at least one exporter',
      ],
    },
    {
      name: 'undefined exporter, duplicate receiver',
      text: edited('receivers: [otlp, prometheus]', 'receivers: [otlp, otlp]').replace(
        '[prometheusremotewrite]',
        '[mimir]',
      ),
      errors: [
        '67:service.pipelines.metrics: references "otlp" more than once',
        '69:service.pipelines.metrics: references undefined exporter "mimir"',
      ],
    },
    {
      name: 'unknown signal and unknown top-level key',
      text: edited('    logs:\n', '    events:\n').replace('service:\n', 'servce: {}\nservice:\n'),
      errors: [
        '60:servce: unknown top-level key (expected one of receivers, processors, exporters, connectors, extensions, service, vigil)',
        '71:service.pipelines.events: unknown signal "events" (expected traces, metrics, logs)',
      ],
    },
    {
      name: 'settings Validate() would reject',
      text: edited('timeout: 5s', 'timeout: 5 seconds')
        .replace('spike_limit_mib: 128', 'spike_limit_mib: 512')
        .replace('type: latency', 'type: slow'),
      errors: [
        '24:processors.batch.timeout: expected a duration such as 5s, 500ms or 1m30s',
        '28:processors.memory_limiter.spike_limit_mib: must be smaller than limit_mib',
        '42:processors.tail_sampling.policies[1].type: unknown policy type "slow" (expected one of always_sample, drop, latency, status_code, probabilistic, string_attribute, numeric_attribute, boolean_attribute, rate_limiting, span_count, trace_state, and, not, composite, ottl_condition)',
      ],
    },
  ];
  for (const { name, text, errors } of cases) {
    test(name, () => assert.deepEqual(brief(analyzeCollectorConfig(text, {}).errors), errors));
  }
});

describe('connectors and unused components', () => {
  const config = (tracesExporters: string, metricsReceivers: string): string => `receivers:
  otlp:
  jaeger:
connectors:
  spanmetrics:
exporters:
  debug:
service:
  pipelines:
    traces:
      receivers: [otlp]
      exporters: [${tracesExporters}]
    metrics:
      receivers: [${metricsReceivers}]
      exporters: [debug]
`;

  test('a connector used on both sides is fine', () => {
    const { errors, notes } = analyzeCollectorConfig(config('spanmetrics', 'spanmetrics'), {});
    assert.deepEqual(errors, []);
    assert.deepEqual(brief(notes), [
      '3:receivers.jaeger: receiver jaeger: defined but not used in any pipeline; ignored, as the Collector ignores it',
      "7:exporters.debug: exporter debug: not supported by Vigil — data is kept in Vigil's embedded store and not sent anywhere",
    ]);
  });

  const sides: { name: string; exporters: string; receivers: string; error: string }[] = [
    { name: 'only as exporter', exporters: 'spanmetrics', receivers: 'otlp', error: 'not used as receiver' },
    { name: 'only as receiver', exporters: 'debug', receivers: 'spanmetrics', error: 'not used as exporter' },
  ];
  for (const { name, exporters, receivers, error } of sides) {
    test(`a connector used ${name} is an error at its definition`, () => {
      const { errors } = analyzeCollectorConfig(config(exporters, receivers), {});
      assert.deepEqual(brief(errors), [
        `5:connectors.spanmetrics: must be used as both receiver and exporter but is ${error}`,
      ]);
    });
  }

  test('a Vigil-only config without service is valid, with a note', () => {
    const { errors, notes } = analyzeCollectorConfig('receivers:\n  otlp:\nvigil:\n  data_dir: /tmp/v\n', {});
    assert.deepEqual(errors, []);
    assert.deepEqual(
      brief(notes).map((n) => n.split(':')[0]),
      ['1'],
    );
    assert.match(notes[0]?.message ?? '', /no service section/);
  });
});
