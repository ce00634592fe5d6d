import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { skipUnless } from '../../test-support/test-requirements.ts';
import { formatRuleFileError, parseRuleFile } from './parse-rule-file.ts';
import { PROMTOOL_242_DIFFERENCES } from './testdata/promtool-differences.ts';
import { promtoolAccepts } from './testdata/promtool.ts';

const rule = (body: string): string => `groups:\n- name: g\n  rules:\n  - ${body.replace(/\n/g, '\n    ')}\n`;

/** YAML decoding edge cases, each checked against yaml.v3/rulefmt behaviour (and promtool below). */
const CASES: ReadonlyArray<{ name: string; text: string; error?: string; rules?: number }> = [
  { name: 'empty-file', text: '', rules: 0 },
  { name: 'null-groups', text: 'groups:\n', rules: 0 },
  {
    name: 'scalar-document',
    text: 'foo\n',
    error: '1:1: cannot unmarshal !!str `foo` into rulefmt.RuleGroups',
  },
  { name: 'sequence-document', text: '- a\n', error: '1:1: cannot unmarshal !!seq into rulefmt.RuleGroups' },
  {
    name: 'groups-mapping',
    text: 'groups:\n  a: b\n',
    error: '2:3: cannot unmarshal !!map into []rulefmt.RuleGroup',
  },
  {
    name: 'unknown-top-field',
    text: 'groups: []\nfoo: 1\n',
    error: '2:1: field foo not found in type rulefmt.RuleGroups',
  },
  {
    name: 'rules-scalar',
    text: 'groups:\n- name: g\n  rules: x\n',
    error: '3:10: cannot unmarshal !!str `x` into []rulefmt.Rule',
  },
  { name: 'null-rule-skipped', text: 'groups:\n- name: g\n  rules:\n  - ~\n', rules: 0 },
  { name: 'null-group-skipped', text: 'groups:\n- ~\n', rules: 0 },
  {
    name: 'duplicate-key',
    text: 'groups:\n- name: g\n  name: h\n',
    error: '3:3: yaml: mapping key "name" already defined at line 2',
  },
  { name: 'tab-indent', text: 'groups:\n\t- name: g\n', error: '2:1: yaml: ' },
  { name: 'first-document-only', text: `${rule('record: r\nexpr: up')}---\ngroups: 5\n`, rules: 1 },
  {
    name: 'for-not-duration',
    text: rule('alert: A\nexpr: up\nfor: 5'),
    error: '6:10: not a valid duration string: "5"',
  },
  {
    name: 'for-unit-order',
    text: rule('alert: A\nexpr: up\nfor: 1m1h'),
    error: '6:10: not a valid duration string: "1m1h"',
  },
  {
    name: 'for-empty-string',
    text: rule('alert: A\nexpr: up\nfor: ""'),
    error: '6:10: empty duration string',
  },
  { name: 'for-zero', text: rule('alert: A\nexpr: up\nfor: 0'), rules: 1 },
  { name: 'for-null', text: rule('alert: A\nexpr: up\nfor: ~'), rules: 1 },
  {
    name: 'interval-fraction',
    text: 'groups:\n- name: g\n  interval: 1.5m\n',
    error: '3:13: not a valid duration string: "1.5m"',
  },
  {
    name: 'limit-quoted',
    text: 'groups:\n- name: g\n  limit: "5"\n',
    error: '3:10: cannot unmarshal !!str `5` into int',
  },
  {
    name: 'limit-bool',
    text: 'groups:\n- name: g\n  limit: true\n',
    error: '3:10: cannot unmarshal !!bool `true` into int',
  },
  { name: 'limit-float', text: `${rule('record: r\nexpr: up')}  limit: 1.5\n`, rules: 1 },
  { name: 'limit-hex', text: `${rule('record: r\nexpr: up')}  limit: 0x10\n`, rules: 1 },
  {
    name: 'label-value-mapping',
    text: rule('record: r\nexpr: up\nlabels:\n  a: {b: c}'),
    error: '7:10: cannot unmarshal !!map into string',
  },
  { name: 'labels-null', text: rule('record: r\nexpr: up\nlabels:'), rules: 1 },
  { name: 'label-values-null', text: rule('alert: A\nexpr: up\nlabels:\n  a: ~\n  b:'), rules: 1 },
  { name: 'expr-float-text', text: rule('record: r\nexpr: 1.0'), rules: 1 },
  { name: 'record-bool-text', text: rule('record: true\nexpr: up'), rules: 1 },
  {
    name: 'expr-tilde',
    text: rule('record: r\nexpr: ~'),
    error: `5:11: group "g", rule 1, "r": field 'expr' must be set in rule`,
  },
  {
    name: 'expr-empty',
    text: rule('record: r\nexpr:'),
    error: `5:10: group "g", rule 1, "r": field 'expr' must be set in rule`,
  },
  {
    name: 'expr-null-word',
    text: rule('record: r\nexpr: null'),
    error: `5:11: group "g", rule 1, "r": field 'expr' must be set in rule`,
  },
  {
    name: 'record-null-word',
    text: rule('record: null\nexpr: up'),
    error: `4:5: group "g", rule 1, "": one of 'record' or 'alert' must be set`,
  },
  { name: 'group-name-null', text: 'groups:\n- name: ~\n', error: '2:3: Groupname must not be empty' },
  { name: 'group-name-empty', text: 'groups:\n- name: ""\n', error: '2:3: Groupname must not be empty' },
  {
    name: 'annotations-on-record',
    text: rule('record: r\nexpr: up\nannotations:\n  a: b'),
    error: `4:13: group "g", rule 1, "r": invalid field 'annotations' in recording rule`,
  },
  { name: 'keep-firing-for', text: rule('alert: A\nexpr: up\nkeep_firing_for: 5m'), rules: 1 },
  { name: 'group-labels', text: `${rule('record: r\nexpr: up')}  labels:\n    team: x\n`, rules: 1 },
  {
    name: 'group-label-metric-name',
    text: 'groups:\n- name: g\n  labels:\n    __name__: x\n',
    error: '4:5: invalid label name: __name__',
  },
  { name: 'query-offset', text: `${rule('record: r\nexpr: up')}  query_offset: 1m\n`, rules: 1 },
  { name: 'utf8-label-name', text: rule('record: r\nexpr: up\nlabels:\n  1: 2'), rules: 1 },
  { name: 'record-utf8-name', text: rule('record: "r.with.dots"\nexpr: up'), rules: 1 },
  {
    name: 'expr-parse-error-position',
    text: rule('alert: A\nexpr: up ===== 0'),
    error: '5:11: group "g", rule 1, "A": could not parse expression: 1:6: parse error',
  },
];

describe('parseRuleFile', () => {
  for (const c of CASES) {
    test(`${c.name}: ${c.error === undefined ? `loads ${c.rules} rules` : 'refused'}`, () => {
      const { groups, errors } = parseRuleFile(c.text, 'r.yml');
      if (c.error === undefined) {
        assert.deepEqual(errors.map(formatRuleFileError), []);
        assert.equal(
          groups.reduce((n, group) => n + group.rules.length, 0),
          c.rules,
        );
      } else {
        assert.ok(errors[0] !== undefined, 'expected an error');
        assert.ok(
          formatRuleFileError(errors[0]).startsWith(`r.yml:${c.error}`),
          formatRuleFileError(errors[0]),
        );
        assert.deepEqual(groups, [], 'a file with errors loads no group');
      }
    });
  }

  test(
    'the verdict on every case equals promtool 2.42 except the listed newer features',
    { skip: skipUnless('prometheus') },
    () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'vigil-rulefmt-'));
      try {
        const disagreements = CASES.filter((c) => {
          const file = path.join(dir, `${c.name}.yml`);
          writeFileSync(file, c.text);
          const differs = promtoolAccepts(file) !== (c.error === undefined);
          return differs !== (PROMTOOL_242_DIFFERENCES[c.name] !== undefined);
        }).map((c) => c.name);
        assert.deepEqual(disagreements, []);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  test('groups and rules become RuleGroupSpec/RuleSpec with durations in ms and 1-based rule lines', () => {
    const text = [
      'groups:',
      '- name: api',
      '  interval: 30s',
      '  query_offset: 1m',
      '  limit: 10',
      '  labels: {team: api}',
      '  rules:',
      '  - record: job:up:sum',
      '    expr: sum by (job) (up)',
      '  - alert: Down',
      '    expr: up == 0',
      '    for: 5m',
      '    keep_firing_for: 1h30m',
      '    labels: {severity: page}',
      '    annotations: {runbook_url: "https://runbooks/down"}',
      '- name: defaults',
      '',
    ].join('\n');
    const { groups, errors, warnings } = parseRuleFile(text, 'api.yml');
    assert.deepEqual(errors, []);
    assert.deepEqual(warnings, []);
    assert.deepEqual(groups, [
      {
        name: 'api',
        file: 'api.yml',
        intervalMs: 30_000,
        queryOffsetMs: 60_000,
        limit: 10,
        labels: { team: 'api' },
        rules: [
          {
            record: 'job:up:sum',
            expr: 'sum by (job) (up)',
            forMs: 0,
            keepFiringForMs: 0,
            labels: {},
            annotations: {},
            line: 8,
          },
          {
            alert: 'Down',
            expr: 'up == 0',
            forMs: 300_000,
            keepFiringForMs: 5_400_000,
            labels: { severity: 'page' },
            annotations: { runbook_url: 'https://runbooks/down' },
            line: 10,
          },
        ],
      },
      { name: 'defaults', file: 'api.yml', queryOffsetMs: 0, limit: 0, labels: {}, rules: [] },
    ]);
  });

  test('every problem of a file is reported, each at its own line', () => {
    const text = `${rule('alert: A\nexpr: up ===== 0\nlabels:\n  __name__: x')}  - alert: B\n    expr: up ===== 1\n`;
    const { errors } = parseRuleFile(text, 'r.yml');
    assert.deepEqual(
      errors.map((error) => `${error.line}:${error.column}`),
      ['5:11', '7:7', '9:11'],
    );
    assert.match(errors[2]?.message ?? '', /^group "g", rule 2, "B": could not parse expression/);
  });

  test('record and alert together name both positions, as rulefmt does', () => {
    const { errors } = parseRuleFile(rule('record: a\nalert: b\nexpr: up'), 'r.yml');
    assert.equal(
      formatRuleFileError(errors[0] ?? assert.fail('no error')),
      `r.yml:4:13: 5:12: group "g", rule 1, "b": only one of 'record' and 'alert' must be set`,
    );
  });

  test('legacy name validation refuses what UTF-8 validation allows', () => {
    const text = rule('record: r\nexpr: up\nlabels:\n  ins-tance: x');
    assert.deepEqual(parseRuleFile(text, 'r.yml').errors, []);
    const { errors } = parseRuleFile(text, 'r.yml', { nameValidation: 'legacy' });
    assert.equal(errors[0]?.message, 'group "g", rule 1, "r": invalid label name: ins-tance');
    assert.equal(errors[0]?.line, 7);
  });

  test('a label named __proto__ stays a label', () => {
    const { groups } = parseRuleFile(rule('alert: A\nexpr: up\nlabels:\n  __proto__: x'), 'r.yml');
    const labels = groups[0]?.rules[0]?.labels ?? {};
    assert.equal(Object.getPrototypeOf(labels), Object.prototype);
    assert.deepEqual(Object.entries(labels), [['__proto__', 'x']]);
  });
});

describe('parseRuleFile warnings', () => {
  test('an alerting rule without runbook_url is a warning, not an error', () => {
    const { groups, errors, warnings } = parseRuleFile(rule('alert: GPUHot\nexpr: gpu_temp > 90'), 'r.yml');
    assert.deepEqual(errors, []);
    assert.equal(groups.length, 1);
    assert.deepEqual(warnings.map(formatRuleFileError), [
      'r.yml:4:12: alerting rule GPUHot has no runbook_url annotation: add one so whoever is paged knows what to do',
    ]);
  });

  test('recording rules need no runbook', () => {
    assert.deepEqual(parseRuleFile(rule('record: r\nexpr: up'), 'r.yml').warnings, []);
  });

  test("duplicate rules are promtool's lint finding", () => {
    const text = [
      rule('record: r\nexpr: up\nlabels: {a: b}'),
      '  - record: r\n    expr: sum(up)\n    labels: {a: b}\n',
      '  - record: r\n    expr: up\n',
    ].join('');
    const { warnings } = parseRuleFile(text, 'r.yml');
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]?.line, 7);
    assert.match(warnings[0]?.message ?? '', /^duplicate rule r\{a="b"\} \(first at line 4\)/);
  });
});
