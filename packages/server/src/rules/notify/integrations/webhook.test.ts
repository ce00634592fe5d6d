import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fingerprint } from '../label-set.ts';
import { ruleAlert, SECOND, startNotifierFixture, T0 } from '../notifier-fixture.ts';

const CONFIG = `
route:
  receiver: team-ml.hooks
  group_by: [alertname]
  group_wait: 10s
  routes:
    - matchers: [truncate="yes"]
      receiver: capped
receivers:
  - name: team-ml.hooks
    webhook_configs: [{ url: "{{hook}}/alerts" }]
  - name: capped
    webhook_configs: [{ url: "{{capped}}", max_alerts: 2 }]
`;

test('webhook payload is Alertmanager version 4, field by field', async () => {
  const f = await startNotifierFixture(['hook', 'capped'], CONFIG);
  try {
    const labelsA = {
      alertname: 'InferenceLatencyHigh',
      instance: 'a:9090',
      severity: 'page',
      job: 'model-server',
    };
    const labelsB = { ...labelsA, instance: 'b:9090' };
    const common = { summary: 'p99 latency over 500ms', runbook_url: 'https://runbooks.example/latency' };
    f.send(T0, [
      ruleAlert(labelsA, T0 + 123, {
        annotations: { ...common, description: 'a is slow' },
        generatorURL: 'http://vigil/graph?a',
      }),
      ruleAlert(labelsB, T0 + 2 * SECOND, {
        annotations: { ...common, description: 'b is slow' },
        generatorURL: 'http://vigil/graph?b',
      }),
    ]);
    await f.tick(T0 + 10 * SECOND);
    const [request] = f.servers['hook']?.requests ?? [];
    assert.equal(request?.path, '/alerts');
    assert.equal(request?.headers['content-type'], 'application/json');
    assert.deepEqual(request?.body, {
      receiver: 'team-ml\\.hooks', // regexp.QuoteMeta, as Alertmanager writes it
      status: 'firing',
      alerts: [
        {
          status: 'firing',
          labels: {
            alertname: 'InferenceLatencyHigh',
            instance: 'a:9090',
            job: 'model-server',
            severity: 'page',
          },
          annotations: {
            description: 'a is slow',
            runbook_url: 'https://runbooks.example/latency',
            summary: 'p99 latency over 500ms',
          },
          startsAt: '2024-05-01T12:00:00.123Z',
          endsAt: '0001-01-01T00:00:00Z',
          generatorURL: 'http://vigil/graph?a',
          fingerprint: fingerprint(labelsA),
        },
        {
          status: 'firing',
          labels: {
            alertname: 'InferenceLatencyHigh',
            instance: 'b:9090',
            job: 'model-server',
            severity: 'page',
          },
          annotations: {
            description: 'b is slow',
            runbook_url: 'https://runbooks.example/latency',
            summary: 'p99 latency over 500ms',
          },
          startsAt: '2024-05-01T12:00:02Z',
          endsAt: '0001-01-01T00:00:00Z',
          generatorURL: 'http://vigil/graph?b',
          fingerprint: fingerprint(labelsB),
        },
      ],
      groupLabels: { alertname: 'InferenceLatencyHigh' },
      commonLabels: { alertname: 'InferenceLatencyHigh', job: 'model-server', severity: 'page' },
      commonAnnotations: {
        runbook_url: 'https://runbooks.example/latency',
        summary: 'p99 latency over 500ms',
      },
      externalURL: 'http://vigil.example:16700',
      version: '4',
      groupKey: '{}:{alertname="InferenceLatencyHigh"}',
      truncatedAlerts: 0,
    });
    assert.equal(fingerprint(labelsA).length, 16);
  } finally {
    await f.close();
  }
});

test('max_alerts truncates the alert list and counts the rest', async () => {
  const f = await startNotifierFixture(['hook', 'capped'], CONFIG);
  try {
    f.send(
      T0,
      ['a', 'b', 'c'].map((instance) => ruleAlert({ alertname: 'Many', instance, truncate: 'yes' }, T0)),
    );
    await f.tick(T0 + 10 * SECOND);
    const body = f.servers['capped']?.requests[0]?.body as {
      alerts: unknown[];
      truncatedAlerts: number;
      groupKey: string;
    };
    assert.equal(body.alerts.length, 2);
    assert.equal(body.truncatedAlerts, 1);
    assert.equal(body.groupKey, '{}/{truncate="yes"}:{alertname="Many"}');
  } finally {
    await f.close();
  }
});
