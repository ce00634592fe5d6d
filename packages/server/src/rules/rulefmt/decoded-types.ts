import type { YamlPosition } from './yaml-reader.ts';

/** A string field of the file and where it was written (the enclosing mapping's position when absent). */
export interface DecodedString {
  value: string;
  position: YamlPosition;
}

/** One `name: value` of a `labels:` or `annotations:` mapping; `position` is the key's. */
export interface DecodedEntry {
  name: string;
  value: string;
  position: YamlPosition;
}

/** A rule as decoded from YAML, before rulefmt's semantic checks (rulefmt.RuleNode's role). */
export interface DecodedRule {
  position: YamlPosition;
  record: DecodedString;
  alert: DecodedString;
  expr: DecodedString;
  forMs: number;
  keepFiringForMs: number;
  labels: DecodedEntry[];
  annotations: DecodedEntry[];
}

/** A group as decoded from YAML (rulefmt.RuleGroupNode's role). */
export interface DecodedGroup {
  position: YamlPosition;
  name: string;
  intervalMs: number;
  queryOffsetMs: number;
  limit: number;
  labels: DecodedEntry[];
  rules: DecodedRule[];
}

/** A problem found in a rule file, at a 1-based line and column. */
export interface PositionedProblem {
  position: YamlPosition;
  /** A second position, as rulefmt gives one for "only one of 'record' and 'alert' must be set". */
  alsoAt?: YamlPosition;
  message: string;
}
