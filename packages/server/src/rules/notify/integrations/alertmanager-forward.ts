/**
 * Vigil's `alertmanager_configs` integration: forwards a group's alerts to a real Alertmanager as
 * its API v2 PostableAlerts (POST {url}/api/v2/alerts), as Prometheus's notifier does.
 */
import type { AlertmanagerForwardConfig } from '../notify-config.ts';
import type { IntegrationRequest, NotificationContext } from './integration.ts';

/** One element of Alertmanager's postableAlerts. */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
}

/**
 * Firing alerts get an endsAt at least four group intervals ahead: the Alertmanager keeps them
 * active until the next flush re-sends them, and times them out if Vigil stops (Prometheus sends
 * 4 × its resend delay for the same reason).
 */
export function postableAlerts(context: NotificationContext): PostableAlert[] {
  return context.alerts.map((alert) => ({
    labels: { ...alert.labels },
    annotations: { ...alert.annotations },
    startsAt: new Date(alert.startsAtMs).toISOString(),
    endsAt: new Date(
      alert.status === 'firing'
        ? Math.max(alert.activeUntilMs, context.nowMs + 4 * context.groupIntervalMs)
        : alert.endsAtMs,
    ).toISOString(),
    generatorURL: alert.generatorURL,
  }));
}

export function alertmanagerRequest(
  config: AlertmanagerForwardConfig,
  context: NotificationContext,
): IntegrationRequest {
  return { url: `${config.url.replace(/\/+$/, '')}/api/v2/alerts`, body: postableAlerts(context) };
}
