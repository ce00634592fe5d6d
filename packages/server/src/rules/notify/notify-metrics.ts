/** Vigil's own metrics of notification delivery, on /metrics with the rest of selfMetrics. */
import { selfMetrics } from '../../telemetry/self-metrics.ts';

export const notifyMetrics = {
  notifications: selfMetrics.counter(
    'vigil_notifications_total',
    'Notifications attempted, by receiver and integration (alertmanager_notifications_total).',
  ),
  failed: selfMetrics.counter(
    'vigil_notifications_failed_total',
    'Notifications that failed after all retries, by receiver, integration and reason.',
  ),
  requests: selfMetrics.counter(
    'vigil_notification_requests_total',
    'HTTP requests made to deliver notifications (retries included), by receiver and integration.',
  ),
  alertsReceived: selfMetrics.counter(
    'vigil_notifier_alerts_received_total',
    'Alerts received by the notifier, by status.',
  ),
  alertsDropped: selfMetrics.counter(
    'vigil_notifier_alerts_dropped_total',
    'Alerts the notifier could not take, by reason (alert or group limit).',
  ),
};
