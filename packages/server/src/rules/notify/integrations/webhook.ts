/**
 * The webhook integration: Alertmanager's webhook message, version 4 (notify/webhook/webhook.go):
 * template.Data plus version, groupKey and truncatedAlerts, alerts cut to max_alerts first.
 */
import type { WebhookConfig } from '../notify-config.ts';
import { templateData, type TemplateData } from '../template-data.ts';
import type { IntegrationRequest, NotificationContext } from './integration.ts';

/** The JSON body a webhook receives, field for field as Alertmanager sends it. */
export interface WebhookMessage extends TemplateData {
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
}

export function webhookMessage(config: WebhookConfig, context: NotificationContext): WebhookMessage {
  const all = context.alerts;
  const kept = config.maxAlerts > 0 && all.length > config.maxAlerts ? all.slice(0, config.maxAlerts) : all;
  return {
    ...templateData(context.receiver, context.groupLabels, kept, context.externalURL),
    version: '4',
    groupKey: context.groupKey,
    truncatedAlerts: all.length - kept.length,
  };
}

export function webhookRequest(config: WebhookConfig, context: NotificationContext): IntegrationRequest {
  return { url: config.url, body: webhookMessage(config, context) };
}
