import { readFile } from 'node:fs/promises';
import type { RuleGroupSpec } from '../rule-types.ts';
import { globFiles, GlobPatternError } from '../../config/go-glob.ts';
import {
  parseRuleFile,
  type ParseRuleFileOptions,
  type RuleFileError,
  type RuleFileWarning,
} from './parse-rule-file.ts';

export interface LoadedRuleFiles {
  /** The files the patterns named, in order, each once. */
  files: string[];
  /** Groups of the files that loaded; a file with errors contributes none. */
  groups: RuleGroupSpec[];
  errors: RuleFileError[];
  warnings: RuleFileWarning[];
}

/**
 * Loads `rule_files`: each pattern is expanded like Prometheus expands it (filepath.Glob, see
 * glob-files.ts), then every file is parsed and validated. A pattern matching nothing is not an
 * error (Prometheus starts with no rules from it); an unreadable file or bad pattern is, with
 * line 0. Prometheus applies no rule file of a reload when any file fails; callers that
 * mirror it keep their old groups when `errors` is not empty.
 *
 * @example
 * const { groups, errors } = await loadRuleFiles(['/etc/vigil/rules/*.yml']);
 * if (errors.length > 0) throw new Error(errors.map(formatRuleFileError).join('\n'));
 */
export async function loadRuleFiles(
  patterns: readonly string[],
  options: ParseRuleFileOptions = {},
): Promise<LoadedRuleFiles> {
  const result: LoadedRuleFiles = { files: [], groups: [], errors: [], warnings: [] };
  for (const pattern of patterns) {
    try {
      for (const file of globFiles(pattern)) if (!result.files.includes(file)) result.files.push(file);
    } catch (error: unknown) {
      if (!(error instanceof GlobPatternError)) throw error;
      result.errors.push({ file: pattern, line: 0, column: 0, message: error.message });
    }
  }
  for (const file of result.files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error: unknown) {
      const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      result.errors.push({ file, line: 0, column: 0, message: `cannot read the rule file (${reason})` });
      continue;
    }
    const parsed = parseRuleFile(text, file, options);
    result.groups.push(...parsed.groups);
    result.errors.push(...parsed.errors);
    result.warnings.push(...parsed.warnings);
  }
  return result;
}
