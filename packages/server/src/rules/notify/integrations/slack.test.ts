import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ruleAlert, SECOND, startNotifierFixture, T0 } from '../notifier-fixture.ts';
import { notifyMetrics } from '../notify-metrics.ts';

const CONFIG = `
global:
  slack_api_url: "{{slack}}/services/T000/B000/XXXX"
route:
  receiver: slack
  group_by: [alertname]
  group_wait: 10s
  group_interval: 1m
  routes:
    - matchers: [custom="yes"]
      receiver: custom
receivers:
  - name: slack
    slack_configs:
      - channel: '#ml-alerts'
        send_resolved: true
  - name: custom
    slack_configs:
      - api_url: "{{slack}}/custom"
        title: '{{ .CommonLabels.alertname }} is {{ .Status | toUpper }} for {{ .GroupLabels.alertname }}'
        text: '{{ .CommonAnnotations.summary }} ({{ .Alerts.Firing | len }} firing) {{ range .Alerts }}x{{ end }}'
`;

test("Slack message: Alertmanager's default fields, firing then resolved", async () => {
  const f = await startNotifierFixture(['slack'], CONFIG);
  try {
    const annotations = { summary: 'Latency > 500ms <p99>', runbook_url: 'https://runbooks.example/latency' };
    f.send(T0, [
      ruleAlert({ alertname: 'LatencyHigh', service: 'api', severity: 'page' }, T0, {
        annotations,
        generatorURL: 'http://vigil/g',
      }),
      ruleAlert({ alertname: 'LatencyHigh', service: 'web', severity: 'page' }, T0, { annotations }),
    ]);
    await f.tick(T0 + 10 * SECOND);
    const [request] = f.servers['slack']?.requests ?? [];
    assert.equal(request?.path, '/services/T000/B000/XXXX');
    // DefaultSlackConfig's templates over default.tmpl: the subject as title, the Alertmanager
    // alerts link as title_link, empty text/footer/callback_id (sent: not omitempty), no pretext.
    assert.deepEqual(request?.body, {
      channel: '#ml-alerts',
      username: 'Vigil',
      attachments: [
        {
          title: '[FIRING:2] LatencyHigh (page)',
          title_link: 'http://vigil.example:16700/api/v2/alerts?receiver=slack',
          text: '',
          fallback: '[FIRING:2] LatencyHigh (page) | http://vigil.example:16700/api/v2/alerts?receiver=slack',
          callback_id: '',
          footer: '',
          color: 'danger',
          mrkdwn_in: ['fallback', 'pretext', 'text'],
        },
      ],
    });
    f.send(T0 + 20 * SECOND, [
      ruleAlert({ alertname: 'LatencyHigh', service: 'api', severity: 'page' }, T0, {
        annotations,
        endsAtMs: T0 + 20 * SECOND,
      }),
      ruleAlert({ alertname: 'LatencyHigh', service: 'web', severity: 'page' }, T0, {
        annotations,
        endsAtMs: T0 + 20 * SECOND,
      }),
    ]);
    await f.tick(T0 + 70 * SECOND);
    const resolved = (f.servers['slack']?.requests[1]?.body as { attachments: Record<string, unknown>[] })
      .attachments[0];
    assert.equal(resolved?.['title'], '[RESOLVED] LatencyHigh (page)');
    assert.equal(resolved?.['color'], 'good');
  } finally {
    await f.close();
  }
});

test('Slack title/text are Go templates: fields, functions and range', async () => {
  const f = await startNotifierFixture(['slack'], CONFIG);
  try {
    f.send(T0, [
      ruleAlert({ alertname: 'Drift', custom: 'yes' }, T0, { annotations: { summary: 'feature drift' } }),
    ]);
    await f.tick(T0 + 10 * SECOND);
    const [request] = f.servers['slack']?.requests ?? [];
    assert.equal(request?.path, '/custom');
    const [attachment] = (request?.body as { attachments: Record<string, unknown>[] }).attachments;
    assert.equal(attachment?.['title'], 'Drift is FIRING for Drift');
    assert.equal(attachment?.['text'], 'feature drift (1 firing) x');
  } finally {
    await f.close();
  }
});

test('templates: files define and override templates for every field', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-slack-'));
  writeFileSync(
    join(dir, 'slack.tmpl'),
    [
      '{{ define "__alertmanager" }}Vigil{{ end }}',
      '{{ define "slack.ml.text" }}{{ range .Alerts.Firing }}*{{ .Labels.alertname }}* {{ .Annotations.summary }}',
      '{{ end }}{{ end }}',
    ].join('\n'),
  );
  const config = `
templates: ['${join(dir, '*.tmpl')}']
route: { receiver: ml, group_by: [alertname], group_wait: 10s }
receivers:
  - name: ml
    slack_configs:
      - api_url: "{{slack}}/ml"
        text: '{{ template "slack.ml.text" . }}'
`;
  const f = await startNotifierFixture(['slack'], config);
  try {
    f.send(T0, [
      ruleAlert({ alertname: 'GPUMemoryPressure', gpu: '0' }, T0, {
        annotations: { summary: 'GPU 0 at 95%' },
      }),
      ruleAlert({ alertname: 'GPUMemoryPressure', gpu: '1' }, T0, {
        annotations: { summary: 'GPU 1 at 97%' },
      }),
    ]);
    await f.tick(T0 + 10 * SECOND);
    const body = f.servers['slack']?.requests[0]?.body as {
      username: string;
      attachments: Record<string, unknown>[];
    };
    assert.equal(body.username, 'Vigil', 'slack.default.username uses the redefined __alertmanager');
    assert.equal(body.attachments[0]?.['title'], '[FIRING:2] GPUMemoryPressure ');
    assert.equal(
      body.attachments[0]?.['text'],
      '*GPUMemoryPressure* GPU 0 at 95%\n*GPUMemoryPressure* GPU 1 at 97%\n',
    );
  } finally {
    await f.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a template that fails to render fails the notification, with reason "template" and no payload in the log', async () => {
  const config = `
route: { receiver: broken, group_wait: 10s }
receivers:
  - name: broken
    slack_configs:
      - api_url: "{{slack}}/broken"
        title: '{{ .CommonLabels.secret_label }} {{ template "nope" . }}'
`;
  const f = await startNotifierFixture(['slack'], config);
  try {
    f.send(T0, [ruleAlert({ alertname: 'X', secret_label: 'hunter2' }, T0)]);
    await f.tick(T0 + 10 * SECOND);
    assert.equal(f.servers['slack']?.requests.length, 0, 'nothing is posted');
    assert.deepEqual(
      f.notifier.notifications().map((r) => [r.outcome, r.attempts, r.errorClass]),
      [['failed', 0, 'template']],
    );
    assert.equal(
      notifyMetrics.failed.get({ receiver: 'broken', integration: 'slack', reason: 'template' }),
      1,
    );
    assert.deepEqual(f.logLines, ['notify: receiver "broken" slack[0] failed after 0 attempt(s): template']);
  } finally {
    await f.close();
  }
});
