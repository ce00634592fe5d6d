/**
 * The `receivers:` list: webhook, Slack and PagerDuty integrations with Alertmanager's defaults
 * (config/notifiers.go), and Vigil's `alertmanager_configs` forwarder. Text fields left unset get
 * Alertmanager's default templates, so they render exactly as Alertmanager's do.
 */
import type { ConfigNode } from './config-reader.ts';
import type {
  AlertmanagerForwardConfig,
  GlobalConfig,
  PagerdutyConfig,
  ReceiverConfig,
  SlackConfig,
  WebhookConfig,
} from './notify-config.ts';
import {
  PAGERDUTY_DEFAULT_DETAILS,
  PAGERDUTY_DEFAULTS,
  SLACK_DEFAULTS,
} from './templates/default-templates.ts';

const RECEIVER = ['name', 'webhook_configs', 'slack_configs', 'pagerduty_configs', 'alertmanager_configs'];
const WEBHOOK = ['url', 'send_resolved', 'max_alerts'];
const SLACK = [
  'api_url',
  'send_resolved',
  'channel',
  'username',
  'icon_emoji',
  'icon_url',
  'color',
  'title',
  'title_link',
  'pretext',
  'text',
  'fallback',
  'callback_id',
  'footer',
];
const PAGERDUTY = [
  'routing_key',
  'url',
  'send_resolved',
  'severity',
  'client',
  'client_url',
  'description',
  'source',
  'class',
  'component',
  'group',
  'details',
  'links',
];
const ALERTMANAGER = ['url'];

/** Parses the receivers list; names must be present and unique (config.go). */
export function parseReceivers(
  node: ConfigNode | undefined,
  global: GlobalConfig,
  root: ConfigNode,
): ReceiverConfig[] {
  const items = node?.items() ?? [];
  if (items.length === 0) throw (node ?? root).error('at least one receiver is required');
  const names = new Set<string>();
  return items.map((item) => {
    const fields = item.fields(RECEIVER);
    const name = (fields.get('name') ?? item).string();
    if (name === undefined || name === '') throw item.error('missing name in receiver');
    if (names.has(name)) throw item.error(`notification config name "${name}" is not unique`);
    names.add(name);
    const list = <T>(key: string, parse: (n: ConfigNode) => T): T[] =>
      (fields.get(key)?.items() ?? []).map(parse);
    return {
      name,
      webhookConfigs: list('webhook_configs', parseWebhook),
      slackConfigs: list('slack_configs', (n) => parseSlack(n, global)),
      pagerdutyConfigs: list('pagerduty_configs', (n) => parsePagerduty(n, global)),
      alertmanagerConfigs: list('alertmanager_configs', parseAlertmanager),
    };
  });
}

function parseWebhook(node: ConfigNode): WebhookConfig {
  const fields = node.fields(WEBHOOK);
  const url = fields.get('url')?.httpUrl();
  if (url === undefined) throw node.error('one of url or url_file must be configured');
  return {
    url,
    sendResolved: fields.get('send_resolved')?.bool() ?? true,
    maxAlerts: fields.get('max_alerts')?.nonNegativeInt() ?? 0,
  };
}

/** The string fields of a config (property → YAML key), each with its default when unset. */
function stringFields<K extends string>(
  fields: Map<string, ConfigNode>,
  keys: Readonly<Record<K, string>>,
  defaults: Readonly<Record<K, string>>,
): Record<K, string> {
  const result: Record<K, string> = { ...defaults };
  for (const property of Object.keys(keys) as K[]) {
    const value = fields.get(keys[property])?.string();
    // Alertmanager's UnmarshalYAML starts from the defaults; an empty string overrides them.
    if (value !== undefined) result[property] = value;
  }
  return result;
}

const SLACK_KEYS = {
  channel: 'channel',
  username: 'username',
  iconEmoji: 'icon_emoji',
  iconUrl: 'icon_url',
  color: 'color',
  title: 'title',
  titleLink: 'title_link',
  pretext: 'pretext',
  text: 'text',
  fallback: 'fallback',
  callbackId: 'callback_id',
  footer: 'footer',
} as const;

function parseSlack(node: ConfigNode, global: GlobalConfig): SlackConfig {
  const fields = node.fields(SLACK);
  const apiUrl = fields.get('api_url')?.httpUrl() ?? global.slackApiUrl;
  if (apiUrl === undefined) throw node.error('no global Slack API URL set either inline or in a file');
  return {
    apiUrl,
    sendResolved: fields.get('send_resolved')?.bool() ?? false,
    ...stringFields(fields, SLACK_KEYS, { channel: '', ...SLACK_DEFAULTS }),
  };
}

const PAGERDUTY_KEYS = {
  severity: 'severity',
  client: 'client',
  clientUrl: 'client_url',
  description: 'description',
  source: 'source',
  class: 'class',
  component: 'component',
  group: 'group',
} as const;

function parsePagerduty(node: ConfigNode, global: GlobalConfig): PagerdutyConfig {
  const fields = node.fields(PAGERDUTY);
  const routingKey = fields.get('routing_key')?.string();
  if (routingKey === undefined || routingKey === '')
    throw node.error('missing service or routing key in PagerDuty config');
  const text = stringFields(fields, PAGERDUTY_KEYS, {
    ...PAGERDUTY_DEFAULTS,
    severity: '',
    source: '',
    class: '',
    component: '',
    group: '',
  });
  return {
    routingKey,
    url: fields.get('url')?.httpUrl() ?? global.pagerdutyUrl,
    sendResolved: fields.get('send_resolved')?.bool() ?? true,
    ...text,
    // notifyV2 sends "error" for an empty severity; an empty source is the client's template.
    severity: text.severity === '' ? 'error' : text.severity,
    source: text.source === '' ? text.client : text.source,
    details: { ...PAGERDUTY_DEFAULT_DETAILS, ...fields.get('details')?.stringMap() },
    links: (fields.get('links')?.items() ?? []).map((link) => {
      const linkFields = link.fields(['href', 'text']);
      return {
        href: (linkFields.get('href') ?? link).requiredString(),
        text: linkFields.get('text')?.string() ?? '',
      };
    }),
  };
}

function parseAlertmanager(node: ConfigNode): AlertmanagerForwardConfig {
  const fields = node.fields(ALERTMANAGER);
  const url = fields.get('url')?.httpUrl();
  if (url === undefined) throw node.error('url is required');
  return { url, sendResolved: true };
}
