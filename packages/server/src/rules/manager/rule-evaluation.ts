import { EMPTY_LABELS, labelsKey, labelsToRecord, type Labels } from '../../query/promql/labels.ts';
import { STALE_NAN, type Sample } from '../../query/promql/values.ts';
import type { PromSeriesSamples } from '../../model/prom-series.ts';
import type { AlertHistorySink, AlertSink } from '../rule-types.ts';
import type { TemplateQuerySample } from '../templates/expand.ts';
import { restoreAlerts, type RestoreSettings } from './alert-restore.ts';
import { alertsToSend, generatorUrl, toNotifierAlert } from './alert-sending.ts';
import { applyAlertResults, type AlertChange, type OutputSample } from './alert-state-machine.ts';
import { expandAlert, type TemplateContext } from './alert-templates.ts';
import type { RuleManagerOptions, RuleQueryEngine } from './manager-types.ts';
import { recordingOutput } from './recording-rule.ts';
import type { CompiledRule, GroupRuntime } from './rule-runtime.ts';

/**
 * One evaluation of a rule group (Group.Eval): rules in order, each rule's samples written before
 * the next rule runs so later rules see them, series a rule no longer produces marked stale.
 */

export interface EvaluationDeps extends RestoreSettings {
  engine: RuleQueryEngine;
  store: RuleManagerOptions['store'];
  sinks: readonly AlertSink[];
  history?: AlertHistorySink;
  externalLabels: Readonly<Record<string, string>>;
  externalURL: string;
  pathPrefix: string;
  resendDelayMs: number;
  log: (line: string) => void;
}

/** Evaluates every rule of the group at the slot `timeMs`; rule failures are kept as rule health. */
export async function evaluateGroup(
  group: GroupRuntime,
  timeMs: number,
  deps: EvaluationDeps,
): Promise<void> {
  const startedMs = performance.now();
  for (const rule of group.rules) await evaluateRule(group, rule, timeMs, deps);
  await writeStaleSeries(group, timeMs, deps);
  group.evaluationTimeMs = performance.now() - startedMs;
  group.lastEvaluationMs = timeMs;
}

async function evaluateRule(
  group: GroupRuntime,
  rule: CompiledRule,
  timeMs: number,
  deps: EvaluationDeps,
): Promise<void> {
  const startedMs = performance.now();
  const queryTimeMs = timeMs - group.spec.queryOffsetMs;
  try {
    if (rule.kind === 'alerting') restoreAlerts(rule, timeMs, deps);
    const samples = await queryVector(deps.engine, rule.query, queryTimeMs);
    const output =
      rule.kind === 'recording'
        ? recordingOutput(rule, samples, group.spec.limit)
        : await alertingOutput(group, rule, samples, timeMs, deps);
    rule.runtime.health = 'ok';
    rule.runtime.lastError = '';
    await writeRuleSeries(rule, output, queryTimeMs, deps);
  } catch (error: unknown) {
    rule.runtime.health = 'err';
    rule.runtime.lastError = error instanceof Error ? error.message : String(error);
    deps.log(
      `rules: evaluating ${rule.kind} rule ${rule.name} of group ${group.key} failed: ${rule.runtime.lastError}`,
    );
  } finally {
    rule.runtime.evaluationTimeMs = performance.now() - startedMs;
    rule.runtime.lastEvaluationMs = timeMs;
  }
}

/** An instant query as a vector: a scalar is one sample without labels (rules.EngineQueryFunc). */
export async function queryVector(engine: RuleQueryEngine, query: string, timeMs: number): Promise<Sample[]> {
  const { value } = await engine.instantQuery(query, timeMs);
  if (value.type === 'vector') return value.samples;
  if (value.type === 'scalar')
    return [{ labels: EMPTY_LABELS, timestampMs: value.timestampMs, value: value.value }];
  throw new Error('rule result is not a vector or scalar');
}

async function alertingOutput(
  group: GroupRuntime,
  rule: CompiledRule,
  samples: readonly Sample[],
  timeMs: number,
  deps: EvaluationDeps,
): Promise<OutputSample[]> {
  const context = templateContext(timeMs, deps);
  const found = [];
  for (const sample of samples)
    found.push({ ...(await expandAlert(rule, sample, context)), value: sample.value });
  const outcome = applyAlertResults(rule, found, timeMs, group.spec.limit);
  recordChanges(group, rule, outcome.changes, timeMs, deps);
  sendAlerts(group, rule, timeMs, deps);
  return outcome.series;
}

function templateContext(timeMs: number, deps: EvaluationDeps): TemplateContext {
  const query = async (expr: string, atMs: number): Promise<TemplateQuerySample[]> =>
    (await queryVector(deps.engine, expr, atMs)).map((sample) => ({
      labels: labelsToRecord(sample.labels),
      value: sample.value,
    }));
  return {
    timeMs,
    externalLabels: deps.externalLabels,
    externalURL: deps.externalURL,
    pathPrefix: deps.pathPrefix,
    query,
    log: deps.log,
  };
}

function recordChanges(
  group: GroupRuntime,
  rule: CompiledRule,
  changes: readonly AlertChange[],
  timeMs: number,
  deps: EvaluationDeps,
): void {
  if (!deps.history) return;
  for (const change of changes) {
    try {
      deps.history.record({
        groupKey: group.key,
        alertname: rule.name,
        labels: labelsToRecord(change.alert.labels),
        from: change.from,
        to: change.to,
        atMs: timeMs,
        value: change.value,
      });
    } catch (error: unknown) {
      deps.log(
        `rules: recording an alert transition failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}

function sendAlerts(group: GroupRuntime, rule: CompiledRule, timeMs: number, deps: EvaluationDeps): void {
  const due = alertsToSend(rule, timeMs, deps.resendDelayMs, group.intervalMs);
  if (due.length === 0) return;
  const url = generatorUrl(deps.externalURL, rule.query);
  const alerts = due.map((alert) => toNotifierAlert(alert, url, deps.externalLabels));
  for (const sink of deps.sinks) {
    try {
      sink.send(alerts);
    } catch (error: unknown) {
      deps.log(
        `rules: sending alerts of ${rule.name} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}

/**
 * Writes the rule's samples at `timeMs` and a stale marker for each series it wrote last time
 * but not now, then remembers what it wrote. The store rejects markers older than a series'
 * newest sample, which is how another rule now writing the series keeps it (as in Prometheus).
 */
async function writeRuleSeries(
  rule: CompiledRule,
  output: readonly OutputSample[],
  timeMs: number,
  deps: EvaluationDeps,
): Promise<void> {
  const returned = new Map<string, Labels>();
  const batch: PromSeriesSamples[] = [];
  for (const sample of output) {
    returned.set(labelsKey(sample.labels), sample.labels);
    batch.push(oneSample(sample.labels, timeMs, sample.value));
  }
  const previous = rule.runtime.seriesInPreviousEval;
  for (const [key, labels] of previous)
    if (!returned.has(key)) batch.push(oneSample(labels, timeMs, STALE_NAN));
  if (batch.length > 0) await deps.store.writeSamples(batch);
  // Refilled in place: after a reload the new rule shares this map (rule-runtime.ts copyState).
  previous.clear();
  for (const [key, labels] of returned) previous.set(key, labels);
}

/** Stale markers for series of rules a reload removed (Group.cleanupStaleSeries). */
async function writeStaleSeries(group: GroupRuntime, timeMs: number, deps: EvaluationDeps): Promise<void> {
  if (group.staleSeries.length === 0) return;
  const markerTimeMs = timeMs - group.spec.queryOffsetMs;
  try {
    await deps.store.writeSamples(
      group.staleSeries.map((labels) => oneSample(labels, markerTimeMs, STALE_NAN)),
    );
    group.staleSeries = [];
  } catch (error: unknown) {
    deps.log(
      `rules: stale markers of group ${group.key} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

export function oneSample(labels: Labels, timeMs: number, value: number): PromSeriesSamples {
  return { labels, timestampsMs: Float64Array.of(timeMs), values: Float64Array.of(value) };
}
