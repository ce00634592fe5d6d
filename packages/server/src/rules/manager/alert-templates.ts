import { labelsToRecord, METRIC_NAME, type Labels } from '../../query/promql/labels.ts';
import type { Sample } from '../../query/promql/values.ts';
import { expandAlertTemplate, type TemplateQuerySample } from '../templates/expand.ts';
import type { CompiledRule } from './rule-runtime.ts';

/** What templating needs besides the sample: the manager's settings and a PromQL runner. */
export interface TemplateContext {
  timeMs: number;
  externalLabels: Readonly<Record<string, string>>;
  externalURL: string;
  pathPrefix: string;
  query: (expr: string, timeMs: number) => Promise<TemplateQuerySample[]>;
  log: (line: string) => void;
}

/** An alert's identity and annotations for one sample, before its state is known. */
export interface ExpandedAlert {
  labels: Labels;
  annotations: Record<string, string>;
}

/**
 * Labels and annotations of the alert one sample produces (AlertingRule.Eval): the sample's
 * labels without `__name__`, the rule's labels expanded as templates over them (an empty result
 * removes the label, as labels.Builder.Set does), then `alertname`. Templates see the sample's
 * labels with `__name__`, its value, the external labels and URL.
 */
export async function expandAlert(
  rule: CompiledRule,
  sample: Sample,
  context: TemplateContext,
): Promise<ExpandedAlert> {
  const data = {
    labels: labelsToRecord(sample.labels),
    externalLabels: context.externalLabels,
    externalURL: context.externalURL,
    value: sample.value,
  };
  const expand = (text: string): Promise<string> => expandText(rule.name, text, data, context);
  const labels = new Map(sample.labels);
  labels.delete(METRIC_NAME);
  for (const [name, text] of Object.entries(rule.labels)) {
    const value = await expand(text);
    if (value === '') labels.delete(name);
    else labels.set(name, value);
  }
  labels.set('alertname', rule.name);
  const annotations: Record<string, string> = {};
  for (const [name, text] of Object.entries(rule.annotations)) annotations[name] = await expand(text);
  return { labels, annotations };
}

/** A failed template becomes `<error expanding template: …>` in the value, as in Prometheus. */
async function expandText(
  ruleName: string,
  text: string,
  data: Parameters<typeof expandAlertTemplate>[1],
  context: TemplateContext,
): Promise<string> {
  try {
    return await expandAlertTemplate(text, data, {
      name: `__alert_${ruleName}`,
      timeMs: context.timeMs,
      query: context.query,
      pathPrefix: context.pathPrefix,
    });
  } catch (error: unknown) {
    const message = error instanceof Error ? error.message : String(error);
    context.log(`rules: expanding alert template of ${ruleName} failed: ${message}`);
    return `<error expanding template: ${message}>`;
  }
}
