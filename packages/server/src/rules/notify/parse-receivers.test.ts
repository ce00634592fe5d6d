import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseNotificationConfig } from './parse-notify-config.ts';

const CONFIG = `
route: { receiver: r }
receivers:
  - name: r
    slack_configs:
      - api_url: http://127.0.0.1:9/slack
        title: 'custom {{ .Status }}'
        footer: ''
    pagerduty_configs:
      - routing_key: key
        client: Vigil
        details: { firing: 'overridden', team: ml }
`;

test("unset text fields get Alertmanager's default templates (config/notifiers.go)", () => {
  const [receiver] = parseNotificationConfig(CONFIG, 'am.yml').receivers;
  const slack = receiver?.slackConfigs[0];
  assert.equal(slack?.title, 'custom {{ .Status }}');
  assert.equal(slack?.footer, '', 'an empty string overrides the default');
  assert.equal(slack?.text, '{{ template "slack.default.text" . }}');
  assert.equal(slack?.fallback, '{{ template "slack.default.fallback" . }}');
  assert.equal(slack?.username, '{{ template "slack.default.username" . }}');
  assert.equal(slack?.color, '{{ if eq .Status "firing" }}danger{{ else }}good{{ end }}');
  assert.equal(slack?.channel, '');
  const pd = receiver?.pagerdutyConfigs[0];
  assert.equal(pd?.description, '{{ template "pagerduty.default.description" .}}');
  assert.equal(pd?.client, 'Vigil');
  assert.equal(pd?.source, 'Vigil', 'source defaults to the client');
  assert.equal(pd?.severity, 'error');
  assert.deepEqual(pd?.details, {
    firing: 'overridden',
    resolved: '{{ template "pagerduty.default.instances" .Alerts.Resolved }}',
    num_firing: '{{ .Alerts.Firing | len }}',
    num_resolved: '{{ .Alerts.Resolved | len }}',
    team: 'ml',
  });
});
