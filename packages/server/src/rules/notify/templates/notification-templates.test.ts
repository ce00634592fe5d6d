import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TemplateExecError, TemplateParseError } from '../../templates/text-template/errors.ts';
import type { LabelSet } from '../label-set.ts';
import { templateData, type AlertStatus, type FlushedAlert } from '../template-data.ts';
import { templateDataValue } from './am-data.ts';
import { NotificationTemplates } from './notification-templates.ts';

/**
 * Renders compared with what Alertmanager produces for the same data. Expectations are derived by
 * hand from template/default.tmpl and template.go (KV.SortedPairs puts alertname first, Remove,
 * Alerts.Firing…), e.g. `__subject` = "[STATUS(:firing count)] <group values> (<other common values>)".
 */

const T0 = Date.parse('2024-05-01T12:00:00Z');

function alert(labels: LabelSet, status: AlertStatus = 'firing', annotations: LabelSet = {}): FlushedAlert {
  return {
    fingerprint: Object.values(labels).join('-'),
    labels,
    annotations,
    startsAtMs: T0,
    endsAtMs: status === 'firing' ? 0 : T0 + 300_000,
    generatorURL: `http://vigil/graph?g0.expr=${labels['alertname'] ?? ''}`,
    status,
    activeUntilMs: T0 + 3_600_000,
  };
}

const GPU = (gpu: string, status: AlertStatus = 'firing'): FlushedAlert =>
  alert({ alertname: 'GPUMemoryPressure', severity: 'warning', job: 'dcgm', gpu }, status, {
    summary: `GPU ${gpu} memory high`,
  });

function render(
  text: string,
  group: LabelSet,
  alerts: FlushedAlert[],
  receiver = 'team-ml',
  nowMs = T0 + 90_000,
): string {
  const dot = templateDataValue(templateData(receiver, group, alerts, 'http://vigil:16700'));
  return NotificationTemplates.defaults().render(text, dot, nowMs);
}

const SUBJECT = '{{ template "__subject" . }}';

describe('default templates render as Alertmanager renders them', () => {
  const cases: {
    name: string;
    text: string;
    group: LabelSet;
    alerts: FlushedAlert[];
    want: string;
    receiver?: string;
  }[] = [
    {
      name: '[FIRING:1], other common labels in parentheses',
      text: SUBJECT,
      group: { alertname: 'ModelServerDown', service: 'ranker' },
      alerts: [alert({ alertname: 'ModelServerDown', service: 'ranker', instance: 'r1' })],
      want: '[FIRING:1] ModelServerDown ranker (r1)',
    },
    {
      name: '[FIRING:2]: CommonLabels minus GroupLabels, values in name order',
      text: '{{ template "slack.default.title" . }}',
      group: { alertname: 'GPUMemoryPressure' },
      alerts: [GPU('0'), GPU('1')],
      want: '[FIRING:2] GPUMemoryPressure (dcgm warning)',
    },
    {
      name: 'resolved: no count; common labels equal group labels leave a trailing space',
      text: SUBJECT,
      group: { alertname: 'GPUMemoryPressure', gpu: '0', job: 'dcgm', severity: 'warning' },
      alerts: [GPU('0', 'resolved')],
      want: '[RESOLVED] GPUMemoryPressure 0 dcgm warning ',
    },
    {
      name: 'firing count only counts firing alerts of a mixed group',
      text: SUBJECT,
      group: { alertname: 'GPUMemoryPressure' },
      alerts: [GPU('0'), GPU('1', 'resolved'), GPU('2')],
      want: '[FIRING:2] GPUMemoryPressure (dcgm warning)',
    },
    {
      name: 'no group labels: two spaces before the common values',
      text: SUBJECT,
      group: {},
      alerts: [GPU('0'), GPU('1')],
      want: '[FIRING:2]  (GPUMemoryPressure dcgm warning)',
    },
    {
      name: 'fallback: title | title link, the receiver QuoteMeta-ed then query-escaped',
      text: '{{ template "slack.default.fallback" . }}',
      group: { alertname: 'A' },
      alerts: [alert({ alertname: 'A' })],
      receiver: 'team a+b',
      want: '[FIRING:1] A  | http://vigil:16700/api/v2/alerts?receiver=team+a%5C%2Bb',
    },
    {
      name: 'username and client are "Vigil"; empty defaults render empty',
      text: '{{ template "slack.default.username" . }}|{{ template "pagerduty.default.client" . }}|{{ template "slack.default.text" . }}|{{ template "slack.default.pretext" . }}|',
      group: {},
      alerts: [alert({ alertname: 'A' })],
      want: 'Vigil|Vigil|||',
    },
    {
      name: '__text_alert_list over .Alerts.Firing (pagerduty.default.instances)',
      text: '{{ template "pagerduty.default.instances" .Alerts.Firing }}',
      group: { alertname: 'GPUMemoryPressure' },
      alerts: [GPU('0'), GPU('1', 'resolved')],
      want:
        'Labels:\n - alertname = GPUMemoryPressure\n - gpu = 0\n - job = dcgm\n - severity = warning\n' +
        'Annotations:\n - summary = GPU 0 memory high\nSource: http://vigil/graph?g0.expr=GPUMemoryPressure\n',
    },
    {
      name: 'range over .Alerts.Firing and .Alerts.Resolved | len',
      text: '{{ range .Alerts.Firing }}*{{ .Labels.gpu }}* {{ .Annotations.summary }}\n{{ end }}resolved: {{ .Alerts.Resolved | len }}',
      group: { alertname: 'GPUMemoryPressure' },
      alerts: [GPU('0'), GPU('1', 'resolved'), GPU('2')],
      want: '*0* GPU 0 memory high\n*2* GPU 2 memory high\nresolved: 1',
    },
    {
      name: 'SortedPairs: alertname first, then byte order',
      text: '{{ range (index .Alerts 0).Labels.SortedPairs }}{{ .Name }}={{ .Value }};{{ end }}',
      group: {},
      alerts: [alert({ zone: 'b', alertname: 'A', Zeta: 'z', app: 'x' })],
      want: 'alertname=A;Zeta=z;app=x;zone=b;',
    },
    {
      name: 'KV and Pairs print through String; Names, Values, Remove, join, stringSlice',
      text: '{{ .CommonLabels }} | {{ .GroupLabels.SortedPairs }} | {{ .CommonLabels.Names | join "," }} | {{ (.CommonLabels.Remove (stringSlice "job" "severity")).Values }}',
      group: { alertname: 'GPUMemoryPressure' },
      alerts: [GPU('0'), GPU('1')],
      want: 'alertname=GPUMemoryPressure, job=dcgm, severity=warning | alertname=GPUMemoryPressure | alertname,job,severity | [GPUMemoryPressure]',
    },
    {
      name: 'missingkey=zero: a missing label is empty, not <no value>',
      text: '[{{ .CommonLabels.cluster }}][{{ index .GroupLabels "nope" }}]',
      group: { alertname: 'A' },
      alerts: [alert({ alertname: 'A' })],
      want: '[][]',
    },
    {
      name: 'status, receiver, external URL and the alert fields',
      text: '{{ .Status }} {{ .Receiver }} {{ .ExternalURL }} {{ with index .Alerts 0 }}{{ .Status }} {{ .Fingerprint }} {{ .StartsAt }} {{ .EndsAt.IsZero }}{{ end }}',
      group: {},
      alerts: [alert({ alertname: 'A' })],
      want: 'firing team-ml http://vigil:16700 firing A 2024-05-01 12:00:00 +0000 UTC true',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(render(c.text, c.group, c.alerts, c.receiver), c.want);
    });
  }
});

describe('Alertmanager template functions', () => {
  const one = [alert({ alertname: 'Disk Full', path: '/data' })];
  const cases: [string, string][] = [
    ['{{ "hELLO wORLD-foo o\'neil" | title }}', "Hello World-Foo O'neil"],
    ['{{ .CommonLabels.alertname | toUpper }} {{ "ÀB" | toLower }}', 'DISK FULL àb'],
    ['[{{ "\\t x \\n" | trimSpace }}]', '[x]'],
    ['{{ reReplaceAll "(\\\\w+) (\\\\w+)" "$2-$1" .CommonLabels.alertname }}', 'Full-Disk'],
    ['{{ match "^/da" .CommonLabels.path }} {{ match "^x" .CommonLabels.path }}', 'true false'],
    ['{{ "<b>" | safeHtml }} {{ "a%2Fb+c" | urlUnescape }}', '<b> a/b c'],
    ['{{ (index .Alerts 0).StartsAt | date "2006-01-02 15:04 MST" }}', '2024-05-01 12:00 UTC'],
    ['{{ (index .Alerts 0).StartsAt | tz "Europe/Berlin" | date "15:04 MST -07:00" }}', '14:00 CEST +02:00'],
    ['{{ ((index .Alerts 0).StartsAt | tz "America/New_York").Hour }}', '8'],
    [
      '{{ since (index .Alerts 0).StartsAt }} {{ since (index .Alerts 0).StartsAt | humanizeDuration }}',
      '1m30s 1m 30s',
    ],
    ['{{ 0.25 | humanizeDuration }} {{ "3600" | humanizeDuration }}', '250ms 1h 0m 0s'],
    ['{{ .CommonLabels | toJson }}', '{"alertname":"Disk Full","path":"/data"}'],
    ['{{ "<&>" | toJson }}', '"\\u003c\\u0026\\u003e"'],
    [
      '{{ .Alerts | toJson }}',
      '[{"status":"firing","labels":{"alertname":"Disk Full","path":"/data"},"annotations":{},' +
        '"startsAt":"2024-05-01T12:00:00Z","endsAt":"0001-01-01T00:00:00Z",' +
        '"generatorURL":"http://vigil/graph?g0.expr=Disk Full","fingerprint":"Disk Full-/data"}]',
    ],
  ];
  for (const [text, want] of cases) {
    it(text, () => {
      assert.equal(render(text, {}, one), want);
    });
  }
});

describe("template errors carry Go's message", () => {
  const cases: {
    text: string;
    error: typeof TemplateParseError | typeof TemplateExecError;
    message: string;
  }[] = [
    {
      text: '{{ template "nope" . }}',
      error: TemplateExecError,
      message: 'template: :1:12: executing "" at <{{template "nope" .}}>: template "nope" not defined',
    },
    {
      text: '{{ .Labels }}',
      error: TemplateExecError,
      message:
        'template: :1:3: executing "" at <.Labels>: can\'t evaluate field Labels in type *template.Data',
    },
    {
      text: '{{ .Alerts.Firing.Firing }}',
      error: TemplateExecError,
      message:
        'template: :1:10: executing "" at <.Alerts.Firing.Firing>: can\'t evaluate field Firing in type []template.Alert',
    },
    { text: '{{ nope }}', error: TemplateParseError, message: 'template: :1: function "nope" not defined' },
    { text: '{{ range .Alerts }}', error: TemplateParseError, message: 'template: :1: unexpected EOF' },
    {
      text: '{{ tz "Mars/Base" (index .Alerts 0).StartsAt }}',
      error: TemplateExecError,
      message:
        'template: :1:3: executing "" at <tz "Mars/Base" (index .Alerts 0).StartsAt>: error calling tz: unknown time zone Mars/Base',
    },
  ];
  for (const c of cases) {
    it(c.text, () => {
      assert.throws(
        () => render(c.text, {}, [alert({ alertname: 'A' })]),
        (error: unknown) => {
          assert.ok(error instanceof c.error);
          assert.equal(error.message, c.message);
          return true;
        },
      );
    });
  }

  it('an empty text renders empty without parsing', () => {
    assert.equal(render('', {}, []), '');
  });
});

describe('user template files', () => {
  const dot = templateDataValue(
    templateData('r', { alertname: 'A' }, [alert({ alertname: 'A', team: 'ml' })], 'http://vigil'),
  );

  it('define new templates and replace defaults; an empty redefinition keeps the default', () => {
    const templates = NotificationTemplates.load([
      {
        name: 'team.tmpl',
        text: '{{ define "team.title" }}{{ .CommonLabels.team | toUpper }}: {{ template "__subject" . }}{{ end }}',
      },
      {
        name: 'override.tmpl',
        text: '{{ define "slack.default.title" }}custom {{ .Status }}{{ end }}{{ define "__alertmanager" }}{{ end }}',
      },
    ]);
    assert.deepEqual(templates.fileNames, ['team.tmpl', 'override.tmpl']);
    assert.equal(templates.render('{{ template "team.title" . }}', dot, T0), 'ML: [FIRING:1] A (ml)');
    assert.equal(templates.render('{{ template "slack.default.title" . }}', dot, T0), 'custom firing');
    assert.equal(templates.render('{{ template "slack.default.username" . }}', dot, T0), 'Vigil');
    assert.ok(
      templates.has('team.tmpl'),
      'each file is also a template named after it, as ParseGlob makes it',
    );
    assert.equal(
      NotificationTemplates.defaults().render('{{ template "slack.default.title" . }}', dot, T0),
      '[FIRING:1] A (ml)',
    );
  });

  it('a file that fails to parse names itself', () => {
    assert.throws(
      () =>
        NotificationTemplates.load([{ name: 'broken.tmpl', text: '{{ define "x" }}\n{{ if }}{{ end }}' }]),
      /^TemplateParseError: template: broken\.tmpl:2: missing value for if$/,
    );
  });

  it('two non-empty definitions in one file are an error', () => {
    assert.throws(
      () =>
        NotificationTemplates.load([
          { name: 'twice.tmpl', text: '{{ define "x" }}a{{ end }}{{ define "x" }}b{{ end }}' },
        ]),
      /template: twice\.tmpl:1: template: multiple definition of template "x"/,
    );
  });
});
