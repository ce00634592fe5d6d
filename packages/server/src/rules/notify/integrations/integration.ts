/**
 * A receiver's integrations (Alertmanager notify.Integration): each turns a flushed group into
 * one HTTP request. The notifier decides whether to send (dedup, send_resolved); an integration
 * only builds and posts.
 */
import { postJsonWithRetry, type DeliveryResult, type RetryPolicy } from '../http-delivery.ts';
import type { LabelSet } from '../label-set.ts';
import { NotificationTemplateError } from '../notification-text.ts';
import type { ReceiverConfig } from '../notify-config.ts';
import type { FlushedAlert } from '../template-data.ts';
import { NotificationTemplates } from '../templates/notification-templates.ts';
import { alertmanagerRequest } from './alertmanager-forward.ts';
import { pagerdutyRequest } from './pagerduty.ts';
import { slackRequest } from './slack.ts';
import { webhookRequest } from './webhook.ts';

/** What one flush of one aggregation group hands each integration. */
export interface NotificationContext {
  receiver: string;
  /** Alertmanager's group key: `{route key}:{group labels}`. */
  groupKey: string;
  groupLabels: LabelSet;
  /** Alerts after muting, sorted; resolved ones removed when the integration does not send them. */
  alerts: readonly FlushedAlert[];
  externalURL: string;
  nowMs: number;
  groupIntervalMs: number;
}

/** One HTTP request of an integration. */
export interface IntegrationRequest {
  url: string;
  body: unknown;
  retryStatuses?: readonly number[];
}

export type IntegrationName = 'webhook' | 'slack' | 'pagerduty' | 'alertmanager';

export interface Integration {
  readonly name: IntegrationName;
  /** Position among the receiver's integrations of the same name (nflog key, as Alertmanager). */
  readonly index: number;
  readonly sendResolved: boolean;
  /** Forwarders resend every group_interval so the Alertmanager does not time alerts out. */
  readonly resendEveryFlush: boolean;
  notify(context: NotificationContext, signal?: AbortSignal): Promise<DeliveryResult>;
}

function integration(
  name: IntegrationName,
  index: number,
  sendResolved: boolean,
  build: (context: NotificationContext) => IntegrationRequest,
  policy: RetryPolicy,
): Integration {
  return {
    name,
    index,
    sendResolved,
    resendEveryFlush: name === 'alertmanager',
    notify: (context, signal) => {
      let request: IntegrationRequest;
      try {
        request = build(context);
      } catch (error: unknown) {
        // Alertmanager fails the notification (without retrying) when a template does not render.
        if (error instanceof NotificationTemplateError)
          return Promise.resolve({ ok: false, attempts: 0, errorClass: 'template' });
        throw error;
      }
      return postJsonWithRetry(request, policy, signal);
    },
  };
}

/** The integrations of a receiver, in config order; text fields render with `templates`. */
export function buildIntegrations(
  receiver: ReceiverConfig,
  policy: RetryPolicy,
  templates: NotificationTemplates = NotificationTemplates.defaults(),
): Integration[] {
  return [
    ...receiver.webhookConfigs.map((c, i) =>
      integration('webhook', i, c.sendResolved, (ctx) => webhookRequest(c, ctx), policy),
    ),
    ...receiver.slackConfigs.map((c, i) =>
      integration('slack', i, c.sendResolved, (ctx) => slackRequest(c, ctx, templates), policy),
    ),
    ...receiver.pagerdutyConfigs.map((c, i) =>
      integration('pagerduty', i, c.sendResolved, (ctx) => pagerdutyRequest(c, ctx, templates), policy),
    ),
    ...receiver.alertmanagerConfigs.map((c, i) =>
      integration('alertmanager', i, true, (ctx) => alertmanagerRequest(c, ctx), policy),
    ),
  ];
}
