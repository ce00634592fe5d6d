/** Types shared by the template entry point (expand.ts) and Prometheus's template functions. */

/** One sample of a `query` template function result (Prometheus's template.sample: Labels, Value). */
export interface TemplateQuerySample {
  labels: Readonly<Record<string, string>>;
  value: number;
}

/** Runs PromQL for the `query` template function at an evaluation time (Unix ms). */
export type TemplateQueryFn = (expr: string, timeMs: number) => Promise<TemplateQuerySample[]>;
