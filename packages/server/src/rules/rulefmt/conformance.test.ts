import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { skipUnless } from '../../test-support/test-requirements.ts';
import { formatRuleFileError, parseRuleFile, type ParseRuleFileOptions } from './parse-rule-file.ts';
import { PROMTOOL_242_DIFFERENCES } from './testdata/promtool-differences.ts';
import { promtoolAccepts } from './testdata/promtool.ts';

/**
 * Prometheus's own rule file test data (model/rulefmt/testdata and rules/fixtures, v3.14.0):
 * every good file loads, every bad file is refused with upstream's message (rulefmt_test.go
 * TestParseFileFailure) at the line of the offending node.
 */
const SHARED = new URL('../../../../../../shared/conformance/rules/', import.meta.url);
const RULEFMT_DIR = fileURLToPath(new URL('rulefmt/', SHARED));
const FIXTURES_DIR = fileURLToPath(new URL('fixtures/', SHARED));

/** upstream TestParseFileFailure's expected message, plus the line:column we report it at. */
const EXPECTED_ERRORS: Readonly<Record<string, { message: string; at: string }>> = {
  'duplicate_grp.bad.yaml': { message: 'groupname: "yolo" is repeated in the same file', at: '3:5' },
  'bad_expr.bad.yaml': { message: 'parse error', at: '5:15' },
  'record_and_alert.bad.yaml': { message: "only one of 'record' and 'alert' must be set", at: '4:17' },
  'no_rec_alert.bad.yaml': { message: "one of 'record' or 'alert' must be set", at: '4:9' },
  'noexpr.bad.yaml': { message: "field 'expr' must be set in rule", at: '4:9' },
  'invalid_record_name.bad.yaml': {
    message: 'braces present in the recording rule name; should it be in expr?: strawberry{flavor="sweet"}',
    at: '4:17',
  },
  'bad_field.bad.yaml': { message: 'field annotation not found in type rulefmt.Rule', at: '8:9' },
  'invalid_label_name.bad.yaml': { message: 'invalid label name: __name__', at: '7:11' },
  'record_and_for.bad.yaml': { message: "invalid field 'for' in recording rule", at: '4:17' },
  'record_and_keep_firing_for.bad.yaml': {
    message: "invalid field 'keep_firing_for' in recording rule",
    at: '4:17',
  },
  // Upstream parses the legacy_validation_* files with model.LegacyValidation.
  'legacy_validation_annotation.bad.yaml': { message: 'invalid annotation name: ins-tance', at: '7:11' },
  'invalid_rules.yaml': { message: 'field unexpected_field not found in type rulefmt.Rule', at: '6:9' },
};

interface Case {
  dir: string;
  name: string;
  good: boolean;
  options: ParseRuleFileOptions;
}

function cases(): Case[] {
  const rulefmt = readdirSync(RULEFMT_DIR).map((name) => ({
    dir: RULEFMT_DIR,
    name,
    good: !name.endsWith('.bad.yaml'),
    options: { nameValidation: name.startsWith('legacy_validation') ? 'legacy' : 'utf8' } as const,
  }));
  const fixtures = readdirSync(FIXTURES_DIR).map((name) => ({
    dir: FIXTURES_DIR,
    name,
    good: name !== 'invalid_rules.yaml',
    options: {},
  }));
  return [...rulefmt, ...fixtures].sort((a, b) => a.name.localeCompare(b.name));
}

const parse = (c: Case) => parseRuleFile(readFileSync(c.dir + c.name, 'utf8'), c.name, c.options);

describe('rulefmt conformance (upstream testdata and rule fixtures)', () => {
  const all = cases();

  test('the upstream files are present', () => {
    // v3.14.0: 5 good + 11 bad in rulefmt/testdata; 13 loadable fixtures + invalid_rules.yaml.
    assert.equal(all.filter((c) => c.good).length, 18);
    assert.equal(all.filter((c) => !c.good).length, 12);
  });

  test('good files load and bad files are refused with upstream message and line', () => {
    const counts = { good: 0, goodPassed: 0, bad: 0, badPassed: 0 };
    const failures: string[] = [];
    for (const c of all) {
      const { groups, errors } = parse(c);
      if (c.good) {
        counts.good++;
        if (errors.length === 0 && groups.length > 0) counts.goodPassed++;
        else failures.push(`${c.name}: refused: ${errors.map(formatRuleFileError).join('; ')}`);
        continue;
      }
      counts.bad++;
      const expected = EXPECTED_ERRORS[c.name];
      const first = errors[0];
      if (
        expected &&
        first?.message.includes(expected.message) &&
        `${first.line}:${first.column}` === expected.at
      )
        counts.badPassed++;
      else
        failures.push(
          `${c.name}: expected "${expected?.message}" at ${expected?.at}, got ${first ? formatRuleFileError(first) : 'no error'}`,
        );
    }
    console.log(
      `rulefmt conformance: good ${counts.goodPassed}/${counts.good} load, bad ${counts.badPassed}/${counts.bad} refused as upstream`,
    );
    assert.deepEqual(failures, []);
  });

  test('upstream TestParseFileSuccessWithAliases: aliases and merge keys resolve', () => {
    const { groups, errors } = parse({
      dir: RULEFMT_DIR,
      name: 'test_aliases.yaml',
      good: true,
      options: {},
    });
    assert.deepEqual(errors, []);
    const expr =
      'sum without(instance) (rate(errors_total[5m]))\n/\nsum without(instance) (rate(requests_total[5m]))\n';
    for (const group of groups) {
      const [first, second, third, fourth] = group.rules;
      assert.equal(first?.alert, 'HighAlert');
      assert.equal(first?.labels['severity'], 'critical');
      assert.equal(first?.annotations['description'], "stuff's happening with {{ $.labels.service }}");
      assert.equal(second?.record, 'new_metric');
      assert.equal(third?.alert, 'HighAlert');
      assert.equal(fourth?.alert, 'HighAlert2');
      assert.equal(fourth?.labels['severity'], 'critical');
      for (const rule of group.rules) assert.equal(rule.expr, expr);
    }
    assert.equal(groups[0]?.rules[3]?.forMs, 300_000, 'merged from the anchor');
  });

  test('legacy_validation_annotation.good.yaml also loads under UTF-8 validation', () => {
    const c = all.find((entry) => entry.name === 'legacy_validation_annotation.good.yaml');
    assert.ok(c);
    assert.deepEqual(parse({ ...c, options: {} }).errors, []);
  });

  test(
    'verdicts equal promtool 2.42 except the listed newer features',
    { skip: skipUnless('prometheus') },
    () => {
      const disagreements: string[] = [];
      let agreed = 0;
      for (const c of all) {
        const ours = parse(c).errors.length === 0;
        const listed = PROMTOOL_242_DIFFERENCES[c.name] !== undefined;
        const differs = promtoolAccepts(c.dir + c.name) !== ours;
        if (differs !== listed)
          disagreements.push(
            `${c.name}: ours ${ours ? 'accepts' : 'refuses'}, ${listed ? 'listed as differing but agrees' : 'promtool disagrees'}`,
          );
        if (!differs) agreed++;
      }
      const summary = `promtool 2.42 agreement: ${agreed}/${all.length} files, the rest listed in testdata/promtool-differences.ts`;
      console.log(summary);
      assert.deepEqual(disagreements, []);
    },
  );
});
