/**
 * Alertmanager's default notification templates (template/default.tmpl, Alertmanager 0.28), the
 * part Vigil's integrations use: the shared `__subject` / `__text_alert_list` helpers and the
 * `slack.default.*` and `pagerduty.default.*` templates the receiver defaults refer to. Copied
 * verbatim (whitespace matters: `__subject` ends in a space when no extra common labels exist),
 * so a default message reads exactly as Alertmanager's: "[FIRING:2] HighLatency (api page)".
 * Two differences: `__alertmanager` says "Vigil" (the sender users see in Slack and PagerDuty)
 * and `__alertmanagerURL` links Vigil's alert list instead of Alertmanager's UI page.
 * User template files may redefine any of them.
 */
export const DEFAULT_TEMPLATES = `{{ define "__alertmanager" }}Vigil{{ end }}
{{ define "__alertmanagerURL" }}{{ .ExternalURL }}/api/v2/alerts?receiver={{ .Receiver | urlquery }}{{ end }}

{{ define "__subject" }}[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .GroupLabels.SortedPairs.Values | join " " }} {{ if gt (len .CommonLabels) (len .GroupLabels) }}({{ with .CommonLabels.Remove .GroupLabels.Names }}{{ .Values | join " " }}{{ end }}){{ end }}{{ end }}
{{ define "__description" }}{{ end }}

{{ define "__text_alert_list" }}{{ range . }}Labels:
{{ range .Labels.SortedPairs }} - {{ .Name }} = {{ .Value }}
{{ end }}Annotations:
{{ range .Annotations.SortedPairs }} - {{ .Name }} = {{ .Value }}
{{ end }}Source: {{ .GeneratorURL }}
{{ end }}{{ end }}

{{ define "slack.default.title" }}{{ template "__subject" . }}{{ end }}
{{ define "slack.default.username" }}{{ template "__alertmanager" . }}{{ end }}
{{ define "slack.default.fallback" }}{{ template "slack.default.title" . }} | {{ template "slack.default.titlelink" . }}{{ end }}
{{ define "slack.default.callbackid" }}{{ end }}
{{ define "slack.default.pretext" }}{{ end }}
{{ define "slack.default.titlelink" }}{{ template "__alertmanagerURL" . }}{{ end }}
{{ define "slack.default.iconemoji" }}{{ end }}
{{ define "slack.default.iconurl" }}{{ end }}
{{ define "slack.default.text" }}{{ end }}
{{ define "slack.default.footer" }}{{ end }}


{{ define "pagerduty.default.description" }}{{ template "__subject" . }}{{ end }}
{{ define "pagerduty.default.client" }}{{ template "__alertmanager" . }}{{ end }}
{{ define "pagerduty.default.clientURL" }}{{ template "__alertmanagerURL" . }}{{ end }}
{{ define "pagerduty.default.instances" }}{{ template "__text_alert_list" . }}{{ end }}
`;

/**
 * The receiver field defaults of Alertmanager's config/notifiers.go (DefaultSlackConfig,
 * DefaultPagerdutyConfig, DefaultPagerdutyDetails): each unset field renders its default template.
 */
export const SLACK_DEFAULTS = {
  color: '{{ if eq .Status "firing" }}danger{{ else }}good{{ end }}',
  username: '{{ template "slack.default.username" . }}',
  title: '{{ template "slack.default.title" . }}',
  titleLink: '{{ template "slack.default.titlelink" . }}',
  iconEmoji: '{{ template "slack.default.iconemoji" . }}',
  iconUrl: '{{ template "slack.default.iconurl" . }}',
  pretext: '{{ template "slack.default.pretext" . }}',
  text: '{{ template "slack.default.text" . }}',
  fallback: '{{ template "slack.default.fallback" . }}',
  callbackId: '{{ template "slack.default.callbackid" . }}',
  footer: '{{ template "slack.default.footer" . }}',
} as const;

export const PAGERDUTY_DEFAULTS = {
  description: '{{ template "pagerduty.default.description" .}}',
  client: '{{ template "pagerduty.default.client" . }}',
  clientUrl: '{{ template "pagerduty.default.clientURL" . }}',
} as const;

/** Merged under the user's `details` (keys the user set win), as PagerdutyConfig.UnmarshalYAML does. */
export const PAGERDUTY_DEFAULT_DETAILS: Readonly<Record<string, string>> = {
  firing: '{{ template "pagerduty.default.instances" .Alerts.Firing }}',
  resolved: '{{ template "pagerduty.default.instances" .Alerts.Resolved }}',
  num_firing: '{{ .Alerts.Firing | len }}',
  num_resolved: '{{ .Alerts.Resolved | len }}',
};
