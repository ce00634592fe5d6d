/**
 * Where Vigil's verdict on a rule file differs from the installed promtool (Debian's Prometheus
 * 2.42), each with its reason. Vigil follows Prometheus 3 (rulefmt of v3.14); every entry is a
 * rule file feature or decoding change newer than 2.42. The tests check both directions: every
 * disagreement is listed here, and every entry here still disagrees.
 */
export const PROMTOOL_242_DIFFERENCES: Readonly<Record<string, string>> = {
  // ../shared/conformance/rules/rulefmt
  'utf-8_annotation.good.yaml':
    'UTF-8 annotation names (`ins-tance`): Prometheus 3.0 made UTF-8 name validation the default; 2.42 says "invalid annotation name"',
  'utf-8_lname.good.yaml':
    'UTF-8 label names (`ins-tance`): Prometheus 3.0 made UTF-8 name validation the default; 2.42 says "invalid label name"',
  // parse-rule-file.test.ts cases
  'group-labels':
    'group `labels:` arrived in Prometheus 3.0; 2.42 says "field labels not found in type rulefmt.RuleGroup"',
  'query-offset':
    'group `query_offset:` arrived in Prometheus 2.53; 2.42 says "field query_offset not found in type rulefmt.RuleGroup"',
  'utf8-label-name':
    'a label name `1` is valid UTF-8 (Prometheus 3.0 default); 2.42 validates legacy names only',
  'record-utf8-name':
    'a recording rule name with dots is a valid UTF-8 metric name (Prometheus 3.0 default); 2.42 says "invalid recording rule name"',
  'expr-null-word':
    '`expr: null` is YAML null: Prometheus 3 decodes it into an empty string ("field \'expr\' must be set"); 2.42 validated the raw node text "null", a valid metric name',
  'record-null-word':
    '`record: null` is YAML null, so no record name in Prometheus 3; 2.42 used the raw node text "null" as the name',
};
