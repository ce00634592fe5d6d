import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { ruleAlert, SECOND, startNotifierFixture, T0 } from '../notifier-fixture.ts';

const CONFIG = `
global:
  pagerduty_url: "{{pd}}/v2/enqueue"
route:
  receiver: oncall
  group_by: [alertname, service]
  group_wait: 10s
  group_interval: 1m
receivers:
  - name: oncall
    pagerduty_configs:
      - routing_key: 0123456789abcdef0123456789abcdef
        severity: critical
        links: [{ href: "https://dash.example/ml", text: Dashboard }]
`;

const CUSTOM = `
global:
  pagerduty_url: "{{pd}}/v2/enqueue"
route: { receiver: custom, group_by: [alertname], group_wait: 10s }
receivers:
  - name: custom
    pagerduty_configs:
      - routing_key: '{{ .CommonLabels.team }}-key'
        description: '{{ .CommonAnnotations.summary | title }} ({{ len .Alerts }})'
        client: Vigil
        source: '{{ .CommonLabels.instance | toUpper }}'
        severity: '{{ if eq .CommonLabels.severity "page" }}critical{{ else }}warning{{ end }}'
        component: '{{ .CommonLabels.component }}'
        details:
          num_firing: 'firing={{ .Alerts.Firing | len }}'
          team: '{{ .CommonLabels.team }}'
        links: [{ href: '{{ .CommonLabels.dashboard }}', text: unused }]
`;

test('PagerDuty Events API v2: trigger then resolve with one dedup_key', async () => {
  const f = await startNotifierFixture(['pd'], CONFIG);
  try {
    const labels = { alertname: 'ModelServerDown', service: 'ranker', instance: 'r1' };
    const annotations = { summary: 'ranker down', runbook_url: 'https://runbooks.example/ranker' };
    f.send(T0, [ruleAlert(labels, T0, { annotations, generatorURL: 'http://vigil/g' })]);
    await f.tick(T0 + 10 * SECOND);
    const [trigger] = f.servers['pd']?.requests ?? [];
    assert.equal(trigger?.path, '/v2/enqueue');
    const groupKey = '{}:{alertname="ModelServerDown", service="ranker"}';
    assert.deepEqual(trigger?.body, {
      routing_key: '0123456789abcdef0123456789abcdef',
      dedup_key: createHash('sha256').update(groupKey).digest('hex'),
      event_action: 'trigger',
      payload: {
        // pagerduty.default.description (__subject); source defaults to the client template.
        summary: '[FIRING:1] ModelServerDown ranker (r1)',
        source: 'Vigil',
        severity: 'critical',
        custom_details: {
          firing:
            'Labels:\n - alertname = ModelServerDown\n - instance = r1\n - service = ranker\n' +
            'Annotations:\n - runbook_url = https://runbooks.example/ranker\n - summary = ranker down\nSource: http://vigil/g\n',
          resolved: '',
          num_firing: '1',
          num_resolved: '0',
        },
      },
      client: 'Vigil',
      client_url: 'http://vigil.example:16700/api/v2/alerts?receiver=oncall',
      links: [
        { href: 'https://dash.example/ml', text: 'Dashboard' },
        { href: 'https://runbooks.example/ranker', text: 'Runbook: ModelServerDown' },
      ],
    });
    f.send(T0 + 30 * SECOND, [ruleAlert(labels, T0, { annotations, endsAtMs: T0 + 30 * SECOND })]);
    await f.tick(T0 + 70 * SECOND);
    const resolve = f.servers['pd']?.requests[1]?.body as {
      event_action: string;
      dedup_key: string;
      payload: { summary: string };
    };
    assert.equal(resolve.event_action, 'resolve');
    assert.equal(resolve.dedup_key, (trigger?.body as { dedup_key: string }).dedup_key);
    assert.equal(resolve.payload.summary, '[RESOLVED] ModelServerDown ranker (r1)');
  } finally {
    await f.close();
  }
});

test('PagerDuty 429 is retried; other 4xx are not', async () => {
  const f = await startNotifierFixture(['pd'], CONFIG);
  try {
    f.servers['pd']?.statuses.push(429, 429);
    f.send(T0, [ruleAlert({ alertname: 'A', service: 's' }, T0)]);
    await f.tick(T0 + 10 * SECOND);
    assert.deepEqual(
      f.notifier.notifications().map((r) => [r.outcome, r.attempts]),
      [['ok', 3]],
    );
  } finally {
    await f.close();
  }
});

test('PagerDuty fields are templates; user details merge over the defaults; empty links and fields drop', async () => {
  const f = await startNotifierFixture(['pd'], CUSTOM);
  try {
    const labels = { alertname: 'Lag', team: 'ml', instance: 'q1', severity: 'page' };
    f.send(T0, [
      ruleAlert(labels, T0, { annotations: { summary: 'queue lag high' }, generatorURL: 'http://vigil/g' }),
    ]);
    await f.tick(T0 + 10 * SECOND);
    const event = f.servers['pd']?.requests[0]?.body as Record<string, unknown> & {
      payload: Record<string, unknown> & { custom_details: Record<string, string> };
    };
    assert.equal(event['routing_key'], 'ml-key');
    assert.equal(event['client'], 'Vigil');
    assert.deepEqual(event['links'], []);
    assert.equal(event.payload['summary'], 'Queue Lag High (1)');
    assert.equal(event.payload['source'], 'Q1');
    assert.equal(event.payload['severity'], 'critical');
    assert.equal('component' in event.payload, false, 'rendered empty: omitted');
    assert.deepEqual(Object.keys(event.payload.custom_details), [
      'firing',
      'num_firing',
      'num_resolved',
      'resolved',
      'team',
    ]);
    assert.equal(event.payload.custom_details['num_firing'], 'firing=1');
    assert.equal(event.payload.custom_details['team'], 'ml');
    assert.match(event.payload.custom_details['firing'] ?? '', /^Labels:\n - alertname = Lag\n/);
  } finally {
    await f.close();
  }
});
