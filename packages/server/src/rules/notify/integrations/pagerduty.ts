/**
 * The PagerDuty integration: an Events API v2 event (notify/pagerduty/pagerduty.go notifyV2).
 * dedup_key is the SHA-256 of the group key (notify.Key.Hash), so a group's trigger and resolve
 * events address one incident. Text fields and details are Go templates with Alertmanager's
 * defaults (summary `[FIRING:1] …`, client "Alertmanager", details listing the alerts). Alerts'
 * runbook_url annotations become links (Vigil's addition).
 */
import { createHash } from 'node:crypto';
import { compareGoStrings } from '../../templates/go/go-values.ts';
import { fieldRenderer, truncateRunes, type FieldRenderer } from '../notification-text.ts';
import type { PagerdutyConfig } from '../notify-config.ts';
import { templateData } from '../template-data.ts';
import type { NotificationTemplates } from '../templates/notification-templates.ts';
import type { IntegrationRequest, NotificationContext } from './integration.ts';

/** PagerDuty answers 429 when rate limiting; worth a retry (pagerduty.go's Retrier). */
const RETRY_STATUSES = [429];
/** notify.TruncateInRunes(summary, 1024) in pagerduty.go. */
const MAX_SUMMARY_CHARS = 1024;

export interface PagerdutyLink {
  href: string;
  text: string;
}

export interface PagerdutyEvent {
  routing_key: string;
  dedup_key: string;
  event_action: 'trigger' | 'resolve';
  payload: {
    summary: string;
    source: string;
    severity: string;
    class?: string;
    component?: string;
    group?: string;
    custom_details: Record<string, string>;
  };
  client: string;
  client_url: string;
  links: PagerdutyLink[];
}

/** notify.Key.Hash(): hex SHA-256 of the group key. */
export function groupKeyHash(groupKey: string): string {
  return createHash('sha256').update(groupKey).digest('hex');
}

/** The details, rendered; keys sorted, as Go marshals a map. */
function renderDetails(
  details: Readonly<Record<string, string>>,
  render: FieldRenderer,
): Record<string, string> {
  const keys = Object.keys(details).sort(compareGoStrings);
  return Object.fromEntries(keys.map((key) => [key, render(`details.${key}`, details[key] ?? '')]));
}

export function pagerdutyEvent(
  config: PagerdutyConfig,
  context: NotificationContext,
  templates: NotificationTemplates,
): PagerdutyEvent {
  const data = templateData(context.receiver, context.groupLabels, context.alerts, context.externalURL);
  const render = fieldRenderer(templates, data, context.nowMs);
  const event: PagerdutyEvent = {
    routing_key: render('routing_key', config.routingKey),
    dedup_key: groupKeyHash(context.groupKey),
    event_action: data.status === 'resolved' ? 'resolve' : 'trigger',
    payload: {
      summary: truncateRunes(render('description', config.description), MAX_SUMMARY_CHARS),
      source: render('source', config.source),
      severity: render('severity', config.severity),
      custom_details: renderDetails(config.details, render),
    },
    client: render('client', config.client),
    client_url: render('client_url', config.clientUrl),
    links: [
      // notifyV2 drops links whose href renders empty.
      ...config.links
        .map((l) => ({ href: render('links.href', l.href), text: render('links.text', l.text) }))
        .filter((link) => link.href !== ''),
      ...runbookLinks(data.alerts),
    ],
  };
  for (const key of ['class', 'component', 'group'] as const) {
    const value = render(key, config[key]);
    if (value !== '') event.payload[key] = value;
  }
  return event;
}

function runbookLinks(alerts: ReturnType<typeof templateData>['alerts']): PagerdutyLink[] {
  const seen = new Set<string>();
  const links: PagerdutyLink[] = [];
  for (const alert of alerts) {
    const href = alert.annotations['runbook_url'];
    if (!href || seen.has(href)) continue;
    seen.add(href);
    links.push({ href, text: `Runbook: ${alert.labels['alertname'] ?? 'alert'}` });
  }
  return links;
}

export function pagerdutyRequest(
  config: PagerdutyConfig,
  context: NotificationContext,
  templates: NotificationTemplates,
): IntegrationRequest {
  return { url: config.url, body: pagerdutyEvent(config, context, templates), retryStatuses: RETRY_STATUSES };
}
