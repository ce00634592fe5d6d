/**
 * Applies relabel rules to a label set, as Prometheus's model/relabel/relabel.go `Process`.
 * Setting a label to "" deletes it, as Prometheus's labels.Builder does.
 */
import { createHash } from 'node:crypto';
import { expandGoTemplate } from './go-template.ts';
import { isLegacyLabelName } from '../../../model/prom-names.ts';
import type { RelabelConfig } from './relabel-config.ts';

/**
 * Runs `rules` in order over a copy of `labels`. Returns the new labels, or undefined when a
 * keep/drop/keepequal/dropequal rule dropped the set.
 *
 * @example
 * relabel(new Map([['__address__', 'h:9100']]), parseRelabelConfigs([{ action: 'keep', source_labels: ['__address__'], regex: 'h:.*' }]));
 */
export function relabel(labels: ReadonlyMap<string, string>, rules: readonly RelabelConfig[]): Map<string, string> | undefined {
  const builder = new Map(labels);
  for (const rule of rules) if (!applyRule(rule, builder)) return undefined;
  return builder;
}

function setLabel(builder: Map<string, string>, name: string, value: string): void {
  if (value === '') builder.delete(name);
  else builder.set(name, value);
}

function applyRule(rule: RelabelConfig, builder: Map<string, string>): boolean {
  const value = rule.sourceLabels.map((name) => builder.get(name) ?? '').join(rule.separator);
  switch (rule.action) {
    case 'drop':
      return !rule.regex.test(value);
    case 'keep':
      return rule.regex.test(value);
    case 'dropequal':
      return (builder.get(rule.targetLabel) ?? '') !== value;
    case 'keepequal':
      return (builder.get(rule.targetLabel) ?? '') === value;
    case 'replace':
      replace(rule, value, builder);
      return true;
    case 'lowercase':
      setLabel(builder, rule.targetLabel, value.toLowerCase());
      return true;
    case 'uppercase':
      setLabel(builder, rule.targetLabel, value.toUpperCase());
      return true;
    case 'hashmod':
      setLabel(builder, rule.targetLabel, hashMod(value, rule.modulus));
      return true;
    default:
      applyLabelNameRule(rule, builder);
      return true;
  }
}

function replace(rule: RelabelConfig, value: string, builder: Map<string, string>): void {
  // relabel.go's fast path: an empty input with the default regex sets the replacement verbatim.
  if (value === '' && rule.regexIsDefault && !rule.targetLabel.includes('$') && !rule.replacement.includes('$')) {
    setLabel(builder, rule.targetLabel, rule.replacement);
    return;
  }
  const match = rule.regex.exec(value);
  if (!match) return;
  const target = expandGoTemplate(rule.targetLabel, match);
  if (!isLegacyLabelName(target)) return;
  setLabel(builder, target, expandGoTemplate(rule.replacement, match));
}

/** labelmap / labeldrop / labelkeep work on label names, over a snapshot of the current labels. */
function applyLabelNameRule(rule: RelabelConfig, builder: Map<string, string>): void {
  for (const [name, value] of [...builder]) {
    const match = rule.regex.exec(name);
    if (rule.action === 'labelmap') {
      if (match) setLabel(builder, expandGoTemplate(rule.replacement, match), value);
    } else if ((rule.action === 'labeldrop') === (match !== null)) {
      builder.delete(name);
    }
  }
}

/**
 * relabel.go's hashmod: md5 of the value, the last 8 bytes as a big-endian uint64, modulo the
 * modulus ("to give the same result as earlier versions of this code").
 */
export function hashMod(value: string, modulus: number): string {
  const digest = createHash('md5').update(value, 'utf8').digest();
  return (digest.readBigUInt64BE(8) % BigInt(modulus)).toString();
}
