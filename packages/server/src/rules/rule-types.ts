/**
 * Types shared by the rule loader (rulefmt/), the rule manager (manager/), notifications (notify/),
 * SLOs (slo/) and the alert hygiene report (hygiene/). Times are Unix milliseconds, durations ms.
 */

/** One rule of a Prometheus rule file, validated (rulefmt/). Exactly one of `record` / `alert` is set. */
export interface RuleSpec {
  record?: string;
  alert?: string;
  expr: string;
  /** `for:`; 0 when absent. Alerting rules only. */
  forMs: number;
  /** `keep_firing_for:`; 0 when absent. Alerting rules only. */
  keepFiringForMs: number;
  labels: Readonly<Record<string, string>>;
  /** Alerting rules only; empty for recording rules. */
  annotations: Readonly<Record<string, string>>;
  /** 1-based line of the rule in its file (0 for generated rules such as SLO rules). */
  line: number;
}

/** A rule group: rules evaluated in order, at one interval, writing results before the next rule runs. */
export interface RuleGroupSpec {
  name: string;
  /** The file the group came from (`slo:<name>` for generated groups); groups are keyed by file + name. */
  file: string;
  /** `interval:`; undefined means the global evaluation interval. */
  intervalMs?: number;
  /** `query_offset:` (Prometheus 3); evaluation looks this far back. 0 when absent. */
  queryOffsetMs: number;
  /** `limit:`; 0 means no limit on series a rule may produce. */
  limit: number;
  /** Group `labels:` (Prometheus 3), added to every rule's result; rule labels win. */
  labels: Readonly<Record<string, string>>;
  rules: readonly RuleSpec[];
}

export type AlertState = 'inactive' | 'pending' | 'firing';

/**
 * An alert as the rule manager hands it to notifiers: Alertmanager's PostableAlert with ms times.
 * A firing alert has endsAtMs in the future (Prometheus sends now + 4 × max(resend delay, group
 * interval) so a lost Prometheus lets it expire); a resolved one has endsAtMs = its resolve time.
 */
export interface NotifierAlert {
  labels: Readonly<Record<string, string>>;
  annotations: Readonly<Record<string, string>>;
  startsAtMs: number;
  endsAtMs: number;
  generatorURL: string;
}

/** Where the rule manager sends alerts (the built-in notifier, a forwarder to Alertmanagers, …). */
export interface AlertSink {
  send(alerts: readonly NotifierAlert[]): void;
}

/** One alert state change, recorded for the hygiene report (how often alerts fire, flap, get acked). */
export interface AlertTransition {
  /** `file;group` of the rule, as Prometheus keys groups. */
  groupKey: string;
  alertname: string;
  /** The alert's full label set (rule labels and `alertname` included). */
  labels: Readonly<Record<string, string>>;
  from: AlertState;
  to: AlertState;
  atMs: number;
  /** The expression's value at the transition (NaN when the alert resolved without a value). */
  value: number;
}

export interface AlertHistorySink {
  record(transition: AlertTransition): void;
}
