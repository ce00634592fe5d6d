import { labelsToRecord } from '../../query/promql/labels.ts';
import type { NotifierAlert } from '../rule-types.ts';
import type { ActiveAlert, CompiledRule } from './rule-runtime.ts';

/**
 * Which alerts go to notifiers after an evaluation, and in what form (AlertingRule.sendAlerts,
 * rules.SendAlerts, notifier.Manager.Send): firing alerts when they fire and then whenever the
 * resend delay has passed, resolved alerts when they resolve and then likewise until dropped;
 * pending alerts never.
 */

/** Alert.needsSending. */
function needsSending(alert: ActiveAlert, timeMs: number, resendDelayMs: number): boolean {
  if (alert.state === 'pending') return false;
  if (alert.lastSentAtMs === undefined) return true;
  if (alert.resolvedAtMs !== undefined && alert.resolvedAtMs > alert.lastSentAtMs) return true;
  return alert.lastSentAtMs + resendDelayMs < timeMs;
}

/**
 * The alerts to send now, marked as sent. A firing alert is valid for four times the longer of
 * the resend delay and the group interval, so two lost evaluations or sends do not end it.
 */
export function alertsToSend(
  rule: CompiledRule,
  timeMs: number,
  resendDelayMs: number,
  intervalMs: number,
): ActiveAlert[] {
  const due: ActiveAlert[] = [];
  for (const alert of rule.runtime.active.values()) {
    if (!needsSending(alert, timeMs, resendDelayMs)) continue;
    alert.lastSentAtMs = timeMs;
    alert.validUntilMs = timeMs + 4 * Math.max(intervalMs, resendDelayMs);
    due.push(alert);
  }
  return due;
}

/**
 * The alert as notifiers get it: startsAt is when it fired, endsAt its resolve time or how long
 * it stays valid; external labels are added where the alert lacks them (notifier.Manager.Send).
 */
export function toNotifierAlert(
  alert: ActiveAlert,
  generatorURL: string,
  externalLabels: Readonly<Record<string, string>>,
): NotifierAlert {
  const labels = labelsToRecord(alert.labels);
  for (const [name, value] of Object.entries(externalLabels)) {
    if ((labels[name] ?? '') === '' && value !== '') labels[name] = value;
  }
  return {
    labels: sortedRecord(labels),
    annotations: { ...alert.annotations },
    startsAtMs: alert.firedAtMs ?? alert.activeAtMs,
    endsAtMs: alert.resolvedAtMs ?? alert.validUntilMs ?? alert.activeAtMs,
    generatorURL,
  };
}

function sortedRecord(record: Record<string, string>): Record<string, string> {
  const sorted: Record<string, string> = {};
  for (const name of Object.keys(record).sort()) sorted[name] = record[name] ?? '';
  return sorted;
}

/**
 * externalURL + strutil.TableLinkForExpression(expr): `/graph?g0.expr=…&g0.tab=1` with the
 * expression escaped as Go's url.QueryEscape does (space as `+`, only `-_.~` and alphanumerics
 * left as they are).
 *
 * @example
 * generatorUrl('http://vigil:16700', 'up == 0'); // 'http://vigil:16700/graph?g0.expr=up+%3D%3D+0&g0.tab=1'
 */
export function generatorUrl(externalURL: string, query: string): string {
  return `${externalURL}/graph?g0.expr=${goQueryEscape(query)}&g0.tab=1`;
}

export function goQueryEscape(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}
