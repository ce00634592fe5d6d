/**
 * One flush of an aggregation group through a receiver's pipeline, in the order of Alertmanager's
 * notify.go stages: time mute/active intervals, inhibition and silences (MuteStage), then per
 * integration DedupStage, send_resolved filtering (RetryStage), delivery and SetNotifiesStage.
 */
import type { AggregationGroup } from './aggregation-group.ts';
import type { DedupLog, FlushSets } from './dedup-log.ts';
import type { DeliveryResult } from './http-delivery.ts';
import type { InhibitionSource, Inhibitor } from './inhibitor.ts';
import type { Integration, NotificationContext } from './integrations/integration.ts';
import type { NotificationLog } from './notification-log.ts';
import { notifyMetrics } from './notify-metrics.ts';
import type { Silences } from './silences.ts';
import { groupStatus, type FlushedAlert } from './template-data.ts';
import { anyIntervalContains, type TimeInterval } from './time-intervals.ts';

export interface FlushDependencies {
  integrations: ReadonlyMap<string, readonly Integration[]>;
  inhibitor: Inhibitor;
  silences: Silences;
  /** Firing alerts at flush time: the inhibition sources. */
  firing: readonly InhibitionSource[];
  timeIntervals: ReadonlyMap<string, TimeInterval[]>;
  dedup: DedupLog;
  notificationLog: NotificationLog;
  externalURL: string;
  log: (line: string) => void;
  signal: AbortSignal;
}

/** Flushes a due group at `nowMs`; resolves when every integration finished. */
export async function flushGroup(
  group: AggregationGroup,
  deps: FlushDependencies,
  nowMs: number,
): Promise<void> {
  const { alerts, snapshot } = group.beginFlush(nowMs);
  let succeeded = true;
  try {
    if (!routeMuted(group, deps, nowMs)) {
      const unmuted = alerts.filter(
        (alert) =>
          deps.inhibitor.inhibitedBy(alert.labels, deps.firing).length === 0 &&
          deps.silences.mutedBy(alert.labels, nowMs).length === 0,
      );
      if (unmuted.length > 0) {
        const receiver = group.route.options.receiver;
        const results = await Promise.all(
          (deps.integrations.get(receiver) ?? []).map((integration) =>
            notifyIntegration(integration, group, unmuted, deps, nowMs),
          ),
        );
        succeeded = results.every(Boolean);
      }
    }
  } finally {
    group.endFlush(succeeded, snapshot, nowMs);
  }
}

/** TimeMuteStage / TimeActiveStage: a muted route sends nothing (and counts as done). */
function routeMuted(group: AggregationGroup, deps: FlushDependencies, nowMs: number): boolean {
  const { muteTimeIntervals, activeTimeIntervals } = group.route.options;
  const contains = (name: string): boolean => anyIntervalContains(deps.timeIntervals.get(name) ?? [], nowMs);
  if (muteTimeIntervals.some(contains)) return true;
  return activeTimeIntervals.length > 0 && !activeTimeIntervals.some(contains);
}

async function notifyIntegration(
  integration: Integration,
  group: AggregationGroup,
  alerts: readonly FlushedAlert[],
  deps: FlushDependencies,
  nowMs: number,
): Promise<boolean> {
  const receiver = group.route.options.receiver;
  const sets: FlushSets = {
    firing: new Set(alerts.filter((a) => a.status === 'firing').map((a) => a.fingerprint)),
    resolved: new Set(alerts.filter((a) => a.status === 'resolved').map((a) => a.fingerprint)),
  };
  const dedupKey = [group.route.id, group.key, receiver, integration.name, integration.index].join('\u0000');
  const { repeatIntervalMs, groupIntervalMs } = group.route.options;
  if (
    !integration.resendEveryFlush &&
    !deps.dedup.needsUpdate(dedupKey, sets, integration.sendResolved, repeatIntervalMs, nowMs)
  )
    return true;
  const toSend = integration.sendResolved ? alerts : alerts.filter((alert) => alert.status === 'firing');
  if (toSend.length === 0) {
    // Only resolved alerts and no send_resolved: logged as notified, so they are not re-examined.
    deps.dedup.record(dedupKey, sets, nowMs);
    return true;
  }
  const context: NotificationContext = {
    receiver,
    groupKey: group.key,
    groupLabels: group.labels,
    alerts: toSend,
    externalURL: deps.externalURL,
    nowMs,
    groupIntervalMs,
  };
  const result = await deliver(integration, context, deps.signal);
  recordDelivery(integration, context, result, deps);
  if (result.ok) deps.dedup.record(dedupKey, sets, nowMs);
  return result.ok;
}

async function deliver(
  integration: Integration,
  context: NotificationContext,
  signal: AbortSignal,
): Promise<DeliveryResult> {
  try {
    return await integration.notify(context, signal);
  } catch {
    // Building the payload failed (it never should); counted, and the message withheld.
    return { ok: false, attempts: 0, errorClass: 'payload' };
  }
}

function recordDelivery(
  integration: Integration,
  context: NotificationContext,
  result: DeliveryResult,
  deps: FlushDependencies,
): void {
  const labels = { receiver: context.receiver, integration: integration.name };
  notifyMetrics.notifications.inc(labels);
  notifyMetrics.requests.inc(labels, result.attempts);
  deps.notificationLog.add({
    atMs: context.nowMs,
    receiver: context.receiver,
    integration: integration.name,
    groupKey: context.groupKey,
    status: groupStatus(context.alerts),
    alerts: context.alerts.length,
    outcome: result.ok ? 'ok' : 'failed',
    attempts: result.attempts,
    ...(result.errorClass && !result.ok ? { errorClass: result.errorClass } : {}),
  });
  if (result.ok) return;
  const reason = result.errorClass ?? 'network';
  notifyMetrics.failed.inc({ ...labels, reason });
  // Receiver name and integration only: URLs and payloads may hold secrets.
  deps.log(
    `notify: receiver "${context.receiver}" ${integration.name}[${integration.index}] failed after ${result.attempts} attempt(s): ${reason}`,
  );
}
