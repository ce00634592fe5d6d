import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AttributeValue } from '../../../model/attributes.ts';
import type { Span } from '../../../model/span.ts';
import {
  attrs,
  makeLog,
  makeSpan,
  resource,
  seedMetricPoints,
  SCOPE,
} from '../../../storage/contract-fixtures.ts';
import { SettingsError } from '../../graph/component.ts';
import { filterFactory } from './filter-factory.ts';
import { RecordingConsumer, runFilter, testContext } from './filter-test-support.ts';

function span(
  n: number,
  service: string,
  name: string,
  attributes: Record<string, AttributeValue> = {},
): Span {
  return makeSpan({
    trace: n,
    span: n,
    name,
    attributes: attrs(attributes),
    resource: resource(service, { 'container.host': 'localhost' }),
  });
}

describe('legacy spans include/exclude (README "Filter Spans from Traces")', () => {
  const spans = [
    span(1, 'app_3', 'hello_world', { 'container.name': 'app_container_1' }),
    span(2, 'app_3', 'other'),
    span(3, 'app_1', 'hello_world'),
  ];

  it('include keeps only matching services', async () => {
    const { kept } = await runFilter(
      'traces',
      { spans: { include: { match_type: 'strict', services: ['app_3'] } } },
      spans,
    );
    assert.deepEqual(
      kept.map((s) => s.spanId),
      [spans[0]?.spanId, spans[1]?.spanId],
    );
  });

  it('exclude with several criteria drops spans matching all of them (regexp is unanchored RE2)', async () => {
    const settings = {
      spans: {
        include: { match_type: 'strict', services: ['app_3'] },
        exclude: {
          match_type: 'regexp',
          services: ['app_1', 'app_'],
          span_names: ['hello_world', 'hello/world'],
          attributes: [{ key: 'container.name', value: '(app_container_1|app_container_2)' }],
          // The fixtures' scope is vigil.test 1.2.3.
          libraries: [{ name: `^${SCOPE.name}$`, version: '1\\.2' }],
          resources: [{ key: 'container.host', value: '(localhost|127.0.0.1)' }],
        },
      },
    };
    const { kept } = await runFilter('traces', settings, spans);
    assert.deepEqual(
      kept.map((s) => s.name),
      ['other'],
    );
  });

  const strictAttributes: { name: string; value: unknown; attribute: AttributeValue; dropped: boolean }[] = [
    { name: 'string equal', value: 'a', attribute: 'a', dropped: true },
    { name: 'int equal', value: 200, attribute: 200n, dropped: true },
    { name: 'int vs string', value: 200, attribute: '200', dropped: false },
    { name: 'double equal', value: 0.5, attribute: 0.5, dropped: true },
    { name: 'bool equal', value: true, attribute: true, dropped: true },
  ];
  for (const { name, value, attribute, dropped } of strictAttributes) {
    it(`strict attribute match: ${name}`, async () => {
      const settings = { spans: { exclude: { match_type: 'strict', attributes: [{ key: 'k', value }] } } };
      const { kept } = await runFilter('traces', settings, [span(1, 's', 'n', { k: attribute })]);
      assert.equal(kept.length === 0, dropped);
    });
  }

  it('an attribute without a value checks only that the key exists', async () => {
    const settings = { spans: { exclude: { match_type: 'strict', attributes: [{ key: 'debug' }] } } };
    const { kept } = await runFilter('traces', settings, [
      span(1, 's', 'a', { debug: false }),
      span(2, 's', 'b'),
    ]);
    assert.deepEqual(
      kept.map((s) => s.name),
      ['b'],
    );
  });

  const refused: { name: string; props: unknown; keyPath: (string | number)[]; message: RegExp }[] = [
    {
      name: 'no criteria',
      props: { match_type: 'strict' },
      keyPath: ['spans', 'exclude'],
      message: /at least one of "services"/,
    },
    {
      name: 'missing match_type',
      props: { services: ['a'] },
      keyPath: ['spans', 'exclude', 'match_type'],
      message: /unrecognized match_type: ''/,
    },
    {
      name: 'log keys on spans',
      props: { match_type: 'strict', log_bodies: ['x'] },
      keyPath: ['spans', 'exclude', 'log_bodies'],
      message: /unknown setting/,
    },
    {
      name: 'a bad regexp',
      props: { match_type: 'regexp', span_names: ['('] },
      keyPath: ['spans', 'exclude', 'span_names'],
      message: /error parsing regexp/,
    },
    {
      name: 'a non-string regexp attribute value',
      props: { match_type: 'regexp', attributes: [{ key: 'k', value: 1 }] },
      keyPath: ['spans', 'exclude', 'attributes', 0, 'value'],
      message: /only supports Str/,
    },
  ];
  for (const { name, props, keyPath, message } of refused) {
    it(`refuses ${name}`, () => {
      assert.throws(
        () =>
          filterFactory.create(
            'traces',
            { spans: { exclude: props } },
            new RecordingConsumer<'traces'>(),
            testContext(),
          ),
        (error: unknown) =>
          error instanceof SettingsError &&
          message.test(error.message) &&
          JSON.stringify(error.keyPath) === JSON.stringify(keyPath),
      );
    });
  }
});

describe('legacy logs include/exclude', () => {
  const logs = [
    makeLog(1, {
      severityNumber: 5,
      severityText: 'DEBUG',
      body: 'IMPORTANT RECORD 1',
      resource: resource('a', { 'host.name': 'just_this_one_hostname' }),
    }),
    makeLog(2, {
      severityNumber: 9,
      severityText: 'INFO2',
      body: 'routine',
      attributes: attrs({ record_attr: 'prefix_1' }),
    }),
    makeLog(3, { severityNumber: 0, severityText: '', body: 'no severity' }),
  ];
  const cases: { name: string; logs: unknown; kept: number[] }[] = [
    {
      name: 'resource_attributes strict',
      logs: {
        include: {
          match_type: 'strict',
          resource_attributes: [{ key: 'host.name', value: 'just_this_one_hostname' }],
        },
      },
      kept: [1],
    },
    {
      name: 'record_attributes regexp',
      logs: {
        include: { match_type: 'regexp', record_attributes: [{ key: 'record_attr', value: 'prefix_.*' }] },
      },
      kept: [2],
    },
    {
      name: 'severity_texts regexp',
      logs: { include: { match_type: 'regexp', severity_texts: ['INFO[2-4]?', 'WARN[2-4]?'] } },
      kept: [2],
    },
    {
      name: 'severity_number min INFO with match_undefined',
      logs: { include: { severity_number: { min: 'INFO', match_undefined: true } } },
      kept: [2, 3],
    },
    {
      name: 'severity_number min as a number',
      logs: { exclude: { severity_number: { min: 9 } } },
      kept: [1, 3],
    },
    {
      name: 'bodies regexp',
      logs: { include: { match_type: 'regexp', bodies: ['^IMPORTANT RECORD'] } },
      kept: [1],
    },
    { name: 'an empty include is ignored', logs: { include: { match_type: 'strict' } }, kept: [1, 2, 3] },
  ];
  for (const { name, logs: settings, kept: expected } of cases) {
    it(name, async () => {
      const { kept } = await runFilter('logs', { logs: settings }, logs);
      assert.deepEqual(
        kept.map((l) => logs.indexOf(l) + 1),
        expected,
      );
    });
  }

  it('refuses an unknown severity', () => {
    assert.throws(
      () =>
        filterFactory.create(
          'logs',
          { logs: { include: { severity_number: { min: 'LOUD' } } } },
          new RecordingConsumer<'logs'>(),
          testContext(),
        ),
      /'LOUD' is not a valid severity/,
    );
  });
});

describe('legacy metrics include/exclude', () => {
  const points = seedMetricPoints();
  const names = [...new Set(points.map((p) => p.metric.name))];

  it('exclude strict metric_names drops those metrics', async () => {
    const drop = names.slice(0, 2);
    const { kept } = await runFilter(
      'metrics',
      { metrics: { exclude: { match_type: 'strict', metric_names: drop } } },
      points,
    );
    assert.deepEqual(
      kept,
      points.filter((p) => !drop.includes(p.metric.name)),
    );
  });

  it('include regexp keeps only matching names from a matching resource', async () => {
    const first = names[0] ?? '';
    const settings = {
      metrics: {
        include: {
          match_type: 'regexp',
          metric_names: [`^${first}$`],
          resource_attributes: [{ key: 'service.name', value: 'fraud-.*' }],
        },
      },
    };
    const { kept } = await runFilter('metrics', settings, points);
    assert.ok(kept.length > 0);
    assert.ok(kept.every((p) => p.metric.name === first));
  });

  it('refuses match_type expr with a pointer to OTTL', () => {
    assert.throws(
      () =>
        filterFactory.create(
          'metrics',
          { metrics: { exclude: { match_type: 'expr', expressions: ['MetricName == "x"'] } } },
          new RecordingConsumer<'metrics'>(),
          testContext(),
        ),
      /match_type expr .* is not supported by Vigil; use OTTL conditions under "metrics.metric"/,
    );
  });
});
