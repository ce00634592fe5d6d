/**
 * Inhibition (Alertmanager inhibit/inhibit.go): a firing alert matching a rule's source matchers
 * mutes alerts matching its target matchers when the `equal` labels have the same values in both.
 */
import { fingerprint, type LabelSet } from './label-set.ts';
import { matchesAll } from './matchers.ts';
import type { InhibitRuleConfig } from './notify-config.ts';

/** The firing alerts an inhibitor looks at. */
export interface InhibitionSource {
  fingerprint: string;
  labels: LabelSet;
}

export class Inhibitor {
  constructor(private readonly rules: readonly InhibitRuleConfig[]) {}

  /**
   * Fingerprints of the firing alerts that inhibit `labels` (Inhibitor.Mutes); empty when not
   * inhibited. An alert that matches both sides of a rule is not inhibited by alerts that also
   * match both sides, so such alerts cannot mute each other.
   */
  inhibitedBy(labels: LabelSet, firing: readonly InhibitionSource[]): string[] {
    const own = fingerprint(labels);
    const by = new Set<string>();
    for (const rule of this.rules) {
      if (!matchesAll(rule.targetMatchers, labels)) continue;
      const excludeTwoSided = matchesAll(rule.sourceMatchers, labels);
      for (const source of firing) {
        if (source.fingerprint === own || !matchesAll(rule.sourceMatchers, source.labels)) continue;
        if (!rule.equal.every((name) => (source.labels[name] ?? '') === (labels[name] ?? ''))) continue;
        if (excludeTwoSided && matchesAll(rule.targetMatchers, source.labels)) continue;
        by.add(source.fingerprint);
      }
    }
    return [...by].sort();
  }
}
