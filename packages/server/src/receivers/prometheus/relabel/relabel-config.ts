/**
 * Relabel rules as Prometheus's `relabel_configs` / `metric_relabel_configs` write them, parsed
 * and validated as model/relabel/relabel.go's `Config.UnmarshalYAML` + `Validate` do.
 */
import { re2ToJs } from '../../../model/re2-regex.ts';
import { isLegacyLabelName } from '../../../model/prom-names.ts';

export const RELABEL_ACTIONS = [
  'replace', 'keep', 'drop', 'keepequal', 'dropequal', 'hashmod',
  'labelmap', 'labeldrop', 'labelkeep', 'lowercase', 'uppercase',
] as const;

export type RelabelAction = (typeof RELABEL_ACTIONS)[number];

/** One validated relabel rule. `regex` is anchored (`^(?:…)$`) as Prometheus's NewRegexp. */
export interface RelabelConfig {
  sourceLabels: string[];
  separator: string;
  regex: RegExp;
  /** Whether the rule left `regex` at its default `(.*)`: the replace fast path depends on it. */
  regexIsDefault: boolean;
  modulus: number;
  targetLabel: string;
  replacement: string;
  action: RelabelAction;
}

/** A rule Prometheus would refuse to load; the message matches upstream's. */
export class RelabelConfigError extends Error {
  override readonly name = 'RelabelConfigError';
}

export const DEFAULT_SEPARATOR = ';';
export const DEFAULT_REGEX = '(.*)';
export const DEFAULT_REPLACEMENT = '$1';

// relabel.go's relabelTarget: a label name that may contain $1 / ${name} references.
const RELABEL_TARGET = /^(?:(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))+\w*)+$/;


/** Compiles a relabel regex the way relabel.go's NewRegexp anchors it. Throws RelabelConfigError. */
export function compileRelabelRegex(pattern: string): RegExp {
  try {
    return new RegExp(`^(?:${re2ToJs(pattern)})$`, 'u');
  } catch {
    return raise(`invalid regex ${JSON.stringify(pattern)}`);
  }
}

/**
 * Parses one YAML rule (already turned into a plain object), applying Prometheus's defaults:
 * separator ";", regex "(.*)", replacement "$1", action replace.
 *
 * @example
 * parseRelabelConfig({ source_labels: ['__meta_pod'], target_label: 'pod' });
 */
export function parseRelabelConfig(raw: unknown): RelabelConfig {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) raise('relabel config must be a mapping');
  const fields = raw as Record<string, unknown>;
  const known = new Set(['source_labels', 'separator', 'regex', 'modulus', 'target_label', 'replacement', 'action']);
  for (const key of Object.keys(fields)) if (!known.has(key)) raise(`field ${key} not found in relabel config`);
  const action = (optionalString(fields, 'action') ?? 'replace').toLowerCase();
  if (!(RELABEL_ACTIONS as readonly string[]).includes(action)) raise(`unknown relabel action ${JSON.stringify(fields.action)}`);
  const regexText = optionalString(fields, 'regex');
  const modulus = fields.modulus ?? 0;
  if (typeof modulus !== 'number' || !Number.isInteger(modulus) || modulus < 0) raise('modulus must be a non-negative integer');
  const sourceLabels = fields.source_labels;
  if (sourceLabels !== undefined && (!Array.isArray(sourceLabels) || !sourceLabels.every((l) => typeof l === 'string'))) {
    raise('source_labels must be a list of label names');
  }
  const config: RelabelConfig = {
    sourceLabels: sourceLabels ?? [],
    separator: optionalString(fields, 'separator') ?? DEFAULT_SEPARATOR,
    regex: compileRelabelRegex(regexText ?? DEFAULT_REGEX),
    regexIsDefault: regexText === undefined,
    modulus,
    targetLabel: optionalString(fields, 'target_label') ?? '',
    replacement: optionalString(fields, 'replacement') ?? DEFAULT_REPLACEMENT,
    action: action as RelabelAction,
  };
  validateRelabelConfig(config, sourceLabels !== undefined);
  return config;
}

/** Parses a `relabel_configs` list; undefined/null is no rules. */
export function parseRelabelConfigs(raw: unknown): RelabelConfig[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) raise('relabel configs must be a list');
  return raw.map((rule, index) => {
    try {
      return parseRelabelConfig(rule);
    } catch (error: unknown) {
      if (error instanceof RelabelConfigError) throw new RelabelConfigError(`rule ${index + 1}: ${error.message}`);
      throw error;
    }
  });
}

/** relabel.go's Config.Validate, check for check. */
function validateRelabelConfig(config: RelabelConfig, hasSourceLabels: boolean): void {
  const { action, targetLabel } = config;
  const needsTarget = ['replace', 'hashmod', 'lowercase', 'uppercase', 'keepequal', 'dropequal'].includes(action);
  const plainTarget = ['lowercase', 'uppercase', 'keepequal', 'dropequal', 'hashmod'].includes(action);
  if (config.modulus === 0 && action === 'hashmod') raise('relabel configuration for hashmod requires non-zero modulus');
  if (needsTarget && targetLabel === '') raise(`relabel configuration for ${action} action requires 'target_label' value`);
  const targetOk =
    action !== 'replace' || (targetLabel.includes('$') ? RELABEL_TARGET.test(targetLabel) : isLegacyLabelName(targetLabel));
  if (!targetOk || (plainTarget && !isLegacyLabelName(targetLabel))) {
    raise(`${JSON.stringify(targetLabel)} is invalid 'target_label' for ${action} action`);
  }
  const changesOnlyLabels = ['lowercase', 'uppercase', 'keepequal', 'dropequal'].includes(action);
  if (changesOnlyLabels && config.replacement !== DEFAULT_REPLACEMENT) raise(`'replacement' can not be set for ${action} action`);
  if (action === 'labelmap' && !RELABEL_TARGET.test(config.replacement)) {
    raise(`${JSON.stringify(config.replacement)} is invalid 'replacement' for ${action} action`);
  }
  const otherFieldsSet = config.modulus !== 0 || config.separator !== DEFAULT_SEPARATOR || config.replacement !== DEFAULT_REPLACEMENT;
  if ((action === 'keepequal' || action === 'dropequal') && (otherFieldsSet || !config.regexIsDefault)) {
    raise(`${action} action requires only 'source_labels' and \`target_label\`, and no other fields`);
  }
  if ((action === 'labeldrop' || action === 'labelkeep') && (otherFieldsSet || hasSourceLabels || targetLabel !== '')) {
    raise(`${action} action requires only 'regex', and no other fields`);
  }
}

function optionalString(fields: Record<string, unknown>, key: string): string | undefined {
  const value = fields[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') raise(`${key} must be a string`);
  return value;
}

function raise(message: string): never {
  throw new RelabelConfigError(message);
}
