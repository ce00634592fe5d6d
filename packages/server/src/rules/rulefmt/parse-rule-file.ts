import { LineCounter, parseAllDocuments } from 'yaml';
import type { RuleGroupSpec, RuleSpec } from '../rule-types.ts';
import { decodeRuleFile } from './decode-rule-file.ts';
import type { DecodedEntry, DecodedGroup, DecodedRule, PositionedProblem } from './decoded-types.ts';
import { lintGroups } from './lint-rules.ts';
import type { NameValidationScheme } from '../../model/prom-names.ts';
import { validateGroups } from './validate-rules.ts';
import { YamlReader } from './yaml-reader.ts';

/** A reason a rule file is refused, at a 1-based line and column of the file. */
export interface RuleFileError {
  file: string;
  line: number;
  column: number;
  /** rulefmt's second position ("only one of 'record' and 'alert'" points at both fields). */
  alsoAt?: { line: number; column: number };
  /** Worded as Prometheus's rulefmt words it, e.g. `group "g", rule 1, "x": invalid label name: __name__`. */
  message: string;
}

/** A lint finding: the file still loads (see lint-rules.ts for what is reported). */
export type RuleFileWarning = Omit<RuleFileError, 'alsoAt'>;

export interface ParsedRuleFile {
  /** Empty when there are errors: a file with any error is refused whole, as Prometheus refuses it. */
  groups: RuleGroupSpec[];
  errors: RuleFileError[];
  warnings: RuleFileWarning[];
}

export interface ParseRuleFileOptions {
  /** Metric/label name rules; 'utf8' (Prometheus 3's default) unless the config asks for 'legacy'. */
  nameValidation?: NameValidationScheme;
}

/**
 * Parses and validates a Prometheus rule file as rulefmt.Parse does (strict fields, rulefmt's
 * checks and messages), with the line and column of every problem.
 *
 * @example
 * const { groups, errors } = parseRuleFile(readFileSync(path, 'utf8'), path);
 * for (const error of errors) console.error(formatRuleFileError(error)); // rules.yml:5:15: group "g", ...
 */
export function parseRuleFile(
  text: string,
  fileName: string,
  options: ParseRuleFileOptions = {},
): ParsedRuleFile {
  const lineCounter = new LineCounter();
  // yaml.v3 reads the first document of a stream; so do we.
  const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const document = Array.isArray(parsed) ? parsed[0] : undefined;
  if (document === undefined) return { groups: [], errors: [], warnings: [] };
  const reader = new YamlReader(document, lineCounter);
  const at = (problem: PositionedProblem): RuleFileError => toFileError(fileName, problem);
  const syntaxErrors = document.errors.map((error) => {
    const duplicate = error.code === 'DUPLICATE_KEY' ? reader.duplicateKeyMessage(error.pos[0]) : undefined;
    return at({ position: reader.positionAt(error.pos[0]), message: `yaml: ${duplicate ?? error.message}` });
  });
  if (syntaxErrors.length > 0) return { groups: [], errors: syntaxErrors, warnings: [] };
  const decodeProblems: PositionedProblem[] = [];
  const decoded = decodeRuleFile(reader, decodeProblems);
  // rulefmt.Parse returns decode errors alone: the groups are not validated until they decode.
  if (decodeProblems.length > 0) return { groups: [], errors: decodeProblems.map(at), warnings: [] };
  const errors = validateGroups(decoded, options.nameValidation ?? 'utf8').map(at);
  if (errors.length > 0) return { groups: [], errors, warnings: [] };
  return {
    groups: decoded.map((group) => toGroupSpec(group, fileName)),
    errors: [],
    warnings: lintGroups(decoded).map(at),
  };
}

/** `file:line:column: message`, the form editors and CI annotations jump to (`file: message` at line 0). */
export function formatRuleFileError(error: RuleFileError | RuleFileWarning): string {
  if (error.line === 0) return `${error.file}: ${error.message}`;
  const also = 'alsoAt' in error && error.alsoAt ? ` ${error.alsoAt.line}:${error.alsoAt.column}:` : '';
  return `${error.file}:${error.line}:${error.column}:${also} ${error.message}`;
}

function toFileError(file: string, problem: PositionedProblem): RuleFileError {
  const error: RuleFileError = { file, ...problem.position, message: problem.message };
  if (problem.alsoAt) error.alsoAt = { ...problem.alsoAt };
  return error;
}

function toGroupSpec(group: DecodedGroup, file: string): RuleGroupSpec {
  const spec: RuleGroupSpec = {
    name: group.name,
    file,
    queryOffsetMs: group.queryOffsetMs,
    limit: group.limit,
    labels: toRecord(group.labels),
    rules: group.rules.map(toRuleSpec),
  };
  // 0 means "the global evaluation interval", as in Prometheus's rules.Manager.LoadGroups.
  if (group.intervalMs > 0) spec.intervalMs = group.intervalMs;
  return spec;
}

function toRuleSpec(rule: DecodedRule): RuleSpec {
  const spec: RuleSpec = {
    expr: rule.expr.value,
    forMs: rule.forMs,
    keepFiringForMs: rule.keepFiringForMs,
    labels: toRecord(rule.labels),
    annotations: toRecord(rule.annotations),
    line: rule.position.line,
  };
  if (rule.alert.value !== '') spec.alert = rule.alert.value;
  else spec.record = rule.record.value;
  return spec;
}

// fromEntries defines own properties, so a label named `__proto__` stays a label.
function toRecord(entries: readonly DecodedEntry[]): Record<string, string> {
  return Object.fromEntries(entries.map((entry) => [entry.name, entry.value]));
}
