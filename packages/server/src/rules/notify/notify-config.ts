/**
 * The notification config: Alertmanager's alertmanager.yml (global, route, inhibit_rules,
 * receivers, time_intervals) after validation and defaults, plus Vigil's `alertmanager_configs`
 * receiver integration that forwards alerts to a real Alertmanager.
 */
import type { CompiledMatcher } from './matchers.ts';
import type { NotificationTemplates } from './templates/notification-templates.ts';
import type { TimeInterval } from './time-intervals.ts';

export interface GlobalConfig {
  /** `resolve_timeout`: endsAt given to API alerts that have none (Alertmanager default 5m). */
  resolveTimeoutMs: number;
  slackApiUrl?: string;
  /** `pagerduty_url`; Alertmanager's default is the Events API v2 endpoint. */
  pagerdutyUrl: string;
}

/** One `route:` node as written; unset options inherit from the parent (dispatch/route.go). */
export interface RouteConfig {
  receiver?: string;
  /** undefined: inherit. */
  groupBy?: string[];
  /** `group_by: ['...']`: group by all labels. */
  groupByAll: boolean;
  groupWaitMs?: number;
  groupIntervalMs?: number;
  repeatIntervalMs?: number;
  /** match + match_re + matchers, merged and sorted as NewRoute does. */
  matchers: CompiledMatcher[];
  continue: boolean;
  muteTimeIntervals: string[];
  activeTimeIntervals: string[];
  routes: RouteConfig[];
}

export interface InhibitRuleConfig {
  sourceMatchers: CompiledMatcher[];
  targetMatchers: CompiledMatcher[];
  equal: string[];
}

export interface WebhookConfig {
  url: string;
  /** Default true, as Alertmanager's DefaultWebhookConfig. */
  sendResolved: boolean;
  /** 0: no limit. */
  maxAlerts: number;
}

/**
 * A slack_config. The text fields are Go templates; unset ones hold Alertmanager's defaults
 * (DefaultSlackConfig: `{{ template "slack.default.title" . }}` and so on).
 */
export interface SlackConfig {
  apiUrl: string;
  /** Default false, as Alertmanager's DefaultSlackConfig. */
  sendResolved: boolean;
  channel: string;
  username: string;
  iconEmoji: string;
  iconUrl: string;
  color: string;
  title: string;
  titleLink: string;
  pretext: string;
  text: string;
  fallback: string;
  callbackId: string;
  footer: string;
}

export interface PagerdutyLinkConfig {
  href: string;
  text: string;
}

/** A pagerduty_config (Events API v2). Text fields are Go templates with Alertmanager's defaults. */
export interface PagerdutyConfig {
  routingKey: string;
  url: string;
  /** Default true. */
  sendResolved: boolean;
  /** Default "error" (notifyV2). */
  severity: string;
  client: string;
  clientUrl: string;
  description: string;
  /** Defaults to the client template, as PagerdutyConfig.UnmarshalYAML sets it. */
  source: string;
  class: string;
  component: string;
  group: string;
  /** The user's details over DefaultPagerdutyDetails (firing, resolved, num_firing, num_resolved). */
  details: Record<string, string>;
  links: PagerdutyLinkConfig[];
}

/** Vigil's own integration: POST the group's alerts to an Alertmanager's /api/v2/alerts. */
export interface AlertmanagerForwardConfig {
  /** Base URL, e.g. http://alertmanager:9093 (a path prefix is kept). */
  url: string;
  /** Always true: an Alertmanager must learn when alerts resolve. */
  sendResolved: true;
}

export interface ReceiverConfig {
  name: string;
  webhookConfigs: WebhookConfig[];
  slackConfigs: SlackConfig[];
  pagerdutyConfigs: PagerdutyConfig[];
  alertmanagerConfigs: AlertmanagerForwardConfig[];
}

export interface NotificationConfig {
  global: GlobalConfig;
  route: RouteConfig;
  inhibitRules: InhibitRuleConfig[];
  receivers: ReceiverConfig[];
  /** `time_intervals` and the deprecated `mute_time_intervals`, by name. */
  timeIntervals: Map<string, TimeInterval[]>;
  /** Alertmanager's default templates plus the files of `templates:`. */
  templates: NotificationTemplates;
}

export const DEFAULT_RESOLVE_TIMEOUT_MS = 5 * 60_000;
export const DEFAULT_PAGERDUTY_URL = 'https://events.pagerduty.com/v2/enqueue';
