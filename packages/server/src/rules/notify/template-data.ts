/**
 * The data every notification is built from: Alertmanager's template.Data (template/template.go),
 * with Go's JSON time format, so webhook receivers written for Alertmanager parse it unchanged.
 * Notification templates see the same data as a Go *template.Data (templates/am-data.ts).
 */
import { emptyRecord, sortedCopy, type LabelSet } from './label-set.ts';

export type AlertStatus = 'firing' | 'resolved';

/** template.Alert. Times are Go time.Time JSON (RFC 3339, fraction without trailing zeros). */
export interface TemplateAlert {
  status: AlertStatus;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

/** template.Data. */
export interface TemplateData {
  receiver: string;
  status: AlertStatus;
  alerts: TemplateAlert[];
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
}

/** An alert as flushed by an aggregation group: endsAtMs is 0 while it fires (the flush zeroes it). */
export interface FlushedAlert {
  fingerprint: string;
  labels: LabelSet;
  annotations: LabelSet;
  startsAtMs: number;
  /** 0 for a firing alert, as Alertmanager's aggrGroup.flush sends `EndsAt = time.Time{}`. */
  endsAtMs: number;
  generatorURL: string;
  status: AlertStatus;
  /** The alert's real endsAt (its expiry while firing), for forwarding to an Alertmanager. */
  activeUntilMs: number;
}

/** Go's zero time.Time as JSON: what Alertmanager sends as endsAt of a firing alert. */
export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

/** Formats Unix ms as Go's time.Time MarshalJSON does in UTC (RFC3339Nano: trailing zeros dropped). */
export function goTimeJson(timeMs: number): string {
  if (timeMs === 0) return GO_ZERO_TIME;
  const iso = new Date(timeMs).toISOString();
  return iso.replace(/\.(\d*?)0*Z$/, (_, digits: string) => (digits === '' ? 'Z' : `.${digits}Z`));
}

/** Overall status: firing when any alert fires (types.Alerts.Status). */
export function groupStatus(alerts: readonly FlushedAlert[]): AlertStatus {
  return alerts.some((alert) => alert.status === 'firing') ? 'firing' : 'resolved';
}

/**
 * template.Data for a flush. `receiver` is written as regexp.QuoteMeta(receiver), as
 * Alertmanager writes it.
 */
export function templateData(
  receiver: string,
  groupLabels: LabelSet,
  alerts: readonly FlushedAlert[],
  externalURL: string,
): TemplateData {
  return {
    receiver: quoteMeta(receiver),
    status: groupStatus(alerts),
    alerts: alerts.map((alert) => ({
      status: alert.status,
      labels: sortedCopy(alert.labels),
      annotations: sortedCopy(alert.annotations),
      startsAt: goTimeJson(alert.startsAtMs),
      endsAt: goTimeJson(alert.endsAtMs),
      generatorURL: alert.generatorURL,
      fingerprint: alert.fingerprint,
    })),
    groupLabels: sortedCopy(groupLabels),
    commonLabels: common(alerts.map((alert) => alert.labels)),
    commonAnnotations: common(alerts.map((alert) => alert.annotations)),
    externalURL,
  };
}

/** The pairs every set shares (Data's CommonLabels / CommonAnnotations). */
function common(sets: readonly LabelSet[]): Record<string, string> {
  const [first, ...rest] = sets;
  const result = emptyRecord();
  if (first === undefined) return result;
  for (const [name, value] of Object.entries(sortedCopy(first))) {
    if (rest.every((set) => Object.hasOwn(set, name) && set[name] === value)) result[name] = value;
  }
  return result;
}

/** Go's regexp.QuoteMeta. */
function quoteMeta(text: string): string {
  return text.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}
