/**
 * Metric and label name rules of Prometheus's model.ValidationScheme. Prometheus 3 defaults to
 * UTF-8 validation (any non-empty valid UTF-8 name); `legacy` is the pre-3.0 character set, which
 * `metric_name_validation_scheme: legacy` restores.
 */
export type NameValidationScheme = 'utf8' | 'legacy';

const LEGACY_LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const LEGACY_METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
// A lone UTF-16 surrogate is what invalid UTF-8 becomes in a JS string (YAML's "\ud800" escape).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** model.LabelValue.IsValid: valid UTF-8. */
export function isValidLabelValue(value: string): boolean {
  return !LONE_SURROGATE.test(value);
}

/** The pre-3.0 label name set (`[a-zA-Z_][a-zA-Z0-9_]*`), still what PromQL prints unquoted. */
export function isLegacyLabelName(name: string): boolean {
  return LEGACY_LABEL_NAME.test(name);
}

/** The pre-3.0 metric name set (`[a-zA-Z_:][a-zA-Z0-9_:]*`). */
export function isLegacyMetricName(name: string): boolean {
  return LEGACY_METRIC_NAME.test(name);
}

/** ValidationScheme.IsValidLabelName. */
export function isValidLabelName(name: string, scheme: NameValidationScheme): boolean {
  if (scheme === 'legacy') return isLegacyLabelName(name);
  return name.length > 0 && isValidLabelValue(name);
}

/** ValidationScheme.IsValidMetricName. */
export function isValidMetricName(name: string, scheme: NameValidationScheme): boolean {
  if (scheme === 'legacy') return isLegacyMetricName(name);
  return name.length > 0 && isValidLabelValue(name);
}
