import type { PromValue } from '../../query/promql/values.ts';
import type { Store } from '../../storage/store.ts';
import type { AlertHistorySink, AlertSink, AlertState } from '../rule-types.ts';

/** What the rule manager needs of the PromQL engine (a PromQLEngine, or a stand-in in tests). */
export interface RuleQueryEngine {
  instantQuery(query: string, timeMs: number): Promise<{ value: PromValue; warnings: string[] }>;
}

/** Options of {@link RuleManager}; the durations default to Prometheus's flag defaults. */
export interface RuleManagerOptions {
  engine: RuleQueryEngine;
  /** Where recording rule results, ALERTS and ALERTS_FOR_STATE go. */
  store: Pick<Store, 'writeSamples'>;
  /** Notifiers: firing and resolved alerts are sent to each. */
  sinks: AlertSink[];
  /** Every alert state transition (pending, firing, inactive). */
  history?: AlertHistorySink;
  /** Interval of groups without `interval:` (Prometheus global evaluation_interval, 1m). */
  evaluationIntervalMs: number;
  /** Added to alerts sent to notifiers (when the alert lacks the label) and given to templates. */
  externalLabels: Record<string, string>;
  /** Vigil's external URL: generatorURL of sent alerts and `$externalURL` in templates. */
  externalURL: string;
  /** JSON file keeping active alerts across restarts; without it alert state starts empty. */
  statePath?: string;
  /** Prometheus --rules.alert.resend-delay: how often a firing alert is re-sent (1m). */
  resendDelayMs?: number;
  /** Prometheus --rules.alert.for-grace-period: least `for` time left after a restore (10m). */
  forGracePeriodMs?: number;
  /** Prometheus --rules.alert.for-outage-tolerance: longest outage alert state survives (1h). */
  outageToleranceMs?: number;
  log?: (line: string) => void;
}

/** Prometheus's rule health: `unknown` before the first evaluation, `err` after a failed one. */
export type RuleHealth = 'unknown' | 'ok' | 'err';

/** An active (pending or firing) alert, for /api/v1/alerts and UIs. */
export interface AlertView {
  /** `file;group` of the rule that produced it. */
  groupKey: string;
  ruleName: string;
  /** The alert's identity: the sample's labels, the rule's labels and `alertname`. */
  labels: Readonly<Record<string, string>>;
  annotations: Readonly<Record<string, string>>;
  state: 'pending' | 'firing';
  /** When the condition started to hold (Prometheus ActiveAt), Unix ms. */
  activeAtMs: number;
  firedAtMs?: number;
  /** Set while `keep_firing_for` keeps a no longer returned alert firing. */
  keepFiringSinceMs?: number;
  /** The expression's value at the last evaluation. */
  value: number;
}

interface RuleViewBase {
  name: string;
  /** The expression as Prometheus prints it (`Expr.String()`). */
  query: string;
  /** Rule labels, group labels merged in (rule labels win). */
  labels: Readonly<Record<string, string>>;
  health: RuleHealth;
  /** '' unless the last evaluation failed. */
  lastError: string;
  evaluationTimeMs: number;
  /** Slot time of the last evaluation; undefined before the first. */
  lastEvaluationMs?: number;
}

export interface AlertingRuleView extends RuleViewBase {
  type: 'alerting';
  /** The highest state of its alerts; `unknown` before the first evaluation. */
  state: AlertState | 'unknown';
  forMs: number;
  keepFiringForMs: number;
  annotations: Readonly<Record<string, string>>;
  alerts: AlertView[];
}

export interface RecordingRuleView extends RuleViewBase {
  type: 'recording';
}

export type RuleView = AlertingRuleView | RecordingRuleView;

/** A loaded rule group with its rules' state, for /api/v1/rules. */
export interface RuleGroupView {
  /** `file;name`, the key {@link RuleManager.evaluateGroupAt} takes. */
  key: string;
  name: string;
  file: string;
  intervalMs: number;
  queryOffsetMs: number;
  limit: number;
  labels: Readonly<Record<string, string>>;
  evaluationTimeMs: number;
  lastEvaluationMs?: number;
  /** The slot of the next scheduled evaluation, once the scheduler has seen the group. */
  nextEvaluationMs?: number;
  rules: RuleView[];
}
