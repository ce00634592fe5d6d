import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NotificationConfigError, parseNotificationConfig } from './parse-notify-config.ts';

const FULL = `
global:
  resolve_timeout: 2m
  slack_api_url: https://hooks.slack.example/services/T0/B0/secret
route:
  receiver: default
  group_by: [alertname, service]
  group_wait: 10s
  routes:
    - matchers: ['severity="page"', 'team=~"ml|infra"']
      receiver: pager
      continue: true
      repeat_interval: 1h
    - match: { team: ml }
      match_re: { env: "prod|staging" }
      receiver: ml-slack
      group_by: ['...']
      mute_time_intervals: [weekends]
inhibit_rules:
  - source_matchers: [severity="critical"]
    target_matchers: [severity="warning"]
    equal: [service]
receivers:
  - name: default
    webhook_configs:
      - url: http://127.0.0.1:9/hook
        max_alerts: 5
  - name: pager
    pagerduty_configs:
      - routing_key: R0UT1NG
        severity: critical
  - name: ml-slack
    slack_configs:
      - channel: '#ml'
        send_resolved: true
    alertmanager_configs:
      - url: http://alertmanager:9093
time_intervals:
  - name: weekends
    time_intervals:
      - weekdays: [saturday, sunday]
`;

test('a full alertmanager.yml parses with Alertmanager defaults', () => {
  const config = parseNotificationConfig(FULL, 'am.yml');
  assert.equal(config.global.resolveTimeoutMs, 120_000);
  assert.equal(config.global.pagerdutyUrl, 'https://events.pagerduty.com/v2/enqueue');
  assert.equal(config.route.receiver, 'default');
  assert.deepEqual(config.route.groupBy, ['alertname', 'service']);
  assert.equal(config.route.groupWaitMs, 10_000);
  assert.equal(config.route.groupIntervalMs, undefined, 'unset: inherits the default later');
  const [pager, ml] = config.route.routes;
  assert.deepEqual(
    pager?.matchers.map((m) => [m.name, m.type, m.value]),
    [
      ['severity', '=', 'page'],
      ['team', '=~', 'ml|infra'],
    ],
  );
  assert.equal(pager?.continue, true);
  assert.equal(pager?.repeatIntervalMs, 3_600_000);
  assert.deepEqual(
    ml?.matchers.map((m) => `${m.name}${m.type}${m.value}`),
    ['env=~prod|staging', 'team=ml'],
  );
  assert.equal(ml?.groupByAll, true);
  assert.deepEqual(ml?.muteTimeIntervals, ['weekends']);
  assert.equal(config.inhibitRules[0]?.equal[0], 'service');
  const [webhook, pd, slack] = config.receivers;
  assert.deepEqual(webhook?.webhookConfigs, [
    { url: 'http://127.0.0.1:9/hook', sendResolved: true, maxAlerts: 5 },
  ]);
  assert.equal(pd?.pagerdutyConfigs[0]?.url, 'https://events.pagerduty.com/v2/enqueue');
  assert.equal(pd?.pagerdutyConfigs[0]?.sendResolved, true);
  assert.equal(slack?.slackConfigs[0]?.apiUrl, 'https://hooks.slack.example/services/T0/B0/secret');
  assert.equal(slack?.slackConfigs[0]?.sendResolved, true);
  assert.equal(slack?.alertmanagerConfigs[0]?.url, 'http://alertmanager:9093');
  assert.deepEqual(config.timeIntervals.get('weekends'), [
    {
      weekdays: [
        { begin: 6, end: 6 },
        { begin: 0, end: 0 },
      ],
    },
  ]);
});

const MINIMAL = (extra: string): string => `route:\n  receiver: r\nreceivers:\n  - name: r\n${extra}`;

// Each case: config text, expected `file:line:` prefix and message fragment.
const ERROR_CASES: { name: string; text: string; line: number; message: RegExp }[] = [
  {
    name: 'unknown top-level field',
    text: `${MINIMAL('')}\nroutes: []\n`,
    line: 6,
    message: /unknown field "routes"/,
  },
  {
    name: 'unknown route field',
    text: 'route:\n  receiver: r\n  matcher: [a="b"]\nreceivers:\n  - name: r\n',
    line: 3,
    message: /route\.matcher: unknown field "matcher"/,
  },
  {
    name: 'unknown webhook field',
    text: MINIMAL('    webhook_configs:\n      - url: http://x\n        urls: []\n'),
    line: 7,
    message: /unknown field "urls"/,
  },
  {
    name: 'unsupported integration',
    text: MINIMAL('    email_configs:\n      - to: a@b\n'),
    line: 5,
    message: /email_configs" is an Alertmanager feature Vigil does not support/,
  },
  {
    name: 'undefined receiver',
    text: 'route:\n  receiver: r\n  routes:\n    - receiver: nope\nreceivers:\n  - name: r\n',
    line: 4,
    message: /undefined receiver "nope"/,
  },
  {
    name: 'root matchers',
    text: 'route:\n  receiver: r\n  matchers: [a="b"]\nreceivers:\n  - name: r\n',
    line: 2,
    message: /root route must not have any matchers/,
  },
  {
    name: 'no receiver on root',
    text: 'route:\n  group_wait: 1s\nreceivers:\n  - name: r\n',
    line: 2,
    message: /must specify a default receiver/,
  },
  { name: 'duplicate receiver', text: MINIMAL('  - name: r\n'), line: 5, message: /name "r" is not unique/ },
  {
    name: 'bad duration',
    text: 'route:\n  receiver: r\n  group_wait: soon\nreceivers:\n  - name: r\n',
    line: 3,
    message: /not a duration/,
  },
  {
    name: 'zero group_interval',
    text: 'route:\n  receiver: r\n  group_interval: 0s\nreceivers:\n  - name: r\n',
    line: 3,
    message: /group_interval cannot be zero/,
  },
  {
    name: 'wildcard with labels',
    text: 'route:\n  receiver: r\n  group_by: ["...", a]\nreceivers:\n  - name: r\n',
    line: 3,
    message: /wildcard group_by/,
  },
  {
    name: 'bad matcher',
    text: 'route:\n  receiver: r\n  routes:\n    - matchers: [\'a=~"("\']\nreceivers:\n  - name: r\n',
    line: 4,
    message: /invalid regular expression/,
  },
  {
    name: 'slack without url',
    text: MINIMAL('    slack_configs:\n      - channel: x\n'),
    line: 6,
    message: /no global Slack API URL/,
  },
  {
    name: 'pagerduty without key',
    text: MINIMAL('    pagerduty_configs:\n      - severity: x\n'),
    line: 6,
    message: /missing service or routing key/,
  },
  {
    name: 'undefined time interval',
    text: 'route:\n  receiver: r\n  routes:\n    - receiver: r\n      mute_time_intervals: [nights]\nreceivers:\n  - name: r\n',
    line: 4,
    message: /undefined time interval "nights"/,
  },
  { name: 'invalid YAML', text: 'route: [\n', line: 2, message: /invalid YAML/ },
  { name: 'no route', text: 'receivers:\n  - name: r\n', line: 1, message: /no route provided/ },
];

test('config errors name the file, the line and the problem', () => {
  for (const { name, text, line, message } of ERROR_CASES) {
    assert.throws(
      () => parseNotificationConfig(text, 'alertmanager.yml'),
      (error: unknown) => {
        assert.ok(error instanceof NotificationConfigError, name);
        assert.match(error.message, new RegExp(`^alertmanager\\.yml:${line}:`), `${name}: ${error.message}`);
        assert.match(error.message, message, name);
        return true;
      },
    );
  }
});

test('URL errors never echo the URL (it may hold a secret)', () => {
  const text = MINIMAL('    webhook_configs:\n      - url: "ftp://user:hunter2@example"\n');
  assert.throws(
    () => parseNotificationConfig(text, 'f.yml'),
    (error: Error) => !error.message.includes('hunter2'),
  );
});
