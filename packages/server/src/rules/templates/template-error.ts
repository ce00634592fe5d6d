/**
 * A rule template failed to parse or execute. The message is worded as Prometheus's Expander
 * words it ("error executing template __alert_X: template: __alert_X:1:130: executing …").
 */
export class TemplateError extends Error {
  override name = 'TemplateError';
}
