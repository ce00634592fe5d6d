import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { skipUnless } from '../../test-support/test-requirements.ts';
import { formatRuleFileError, parseRuleFile } from './parse-rule-file.ts';
import { promtoolAccepts } from './testdata/promtool.ts';

const rule = (body: string): string => `groups:\n- name: g\n  rules:\n  - ${body.replace(/\n/g, '\n    ')}\n`;

describe('parseRuleFile templates (upstream TestTemplateParsing)', () => {
  const alert = (labels: string, annotations: string): string =>
    rule(
      `alert: InstanceDown\nexpr: up == 0\nfor: 5m\nlabels:\n${labels}\nannotations:\n  runbook_url: x\n${annotations}`,
    );
  const cases: ReadonlyArray<{ name: string; text: string; error?: string }> = [
    {
      name: '$labels in an annotation',
      text: alert('  severity: page', '  summary: "Instance {{ $labels.instance }} down"'),
    },
    {
      name: '`$label` instead of `$labels`',
      text: alert('  severity: page', '  summary: "Instance {{ $label.instance }} down"'),
      error:
        'r.yml:11:7: group "g", rule 1, "InstanceDown": annotation "summary": template: __alert_InstanceDown:',
    },
    {
      name: 'an undefined variable in a label',
      text: alert('  severity: "{{$this_is_wrong}}"', '  summary: ok'),
      error:
        'r.yml:8:7: group "g", rule 1, "InstanceDown": label "severity": template: __alert_InstanceDown:',
    },
    {
      name: 'arithmetic in a template',
      text: alert('  severity: page', '  description: "{{$labels.quantile * 100}}"'),
      error:
        'r.yml:11:7: group "g", rule 1, "InstanceDown": annotation "description": template: __alert_InstanceDown:',
    },
  ];
  for (const c of cases) {
    test(`${c.name}: ${c.error === undefined ? 'parses' : 'refused'}`, () => {
      const { errors } = parseRuleFile(c.text, 'r.yml');
      if (c.error === undefined) assert.deepEqual(errors, []);
      else assert.ok(formatRuleFileError(errors[0] ?? assert.fail('no error')).startsWith(c.error));
    });
  }

  test('promtool 2.42 gives the same verdicts', { skip: skipUnless('prometheus') }, () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vigil-rulefmt-templates-'));
    try {
      const verdicts = cases.map((c, i) => {
        const file = path.join(dir, `${i}.yml`);
        writeFileSync(file, c.text);
        return promtoolAccepts(file);
      });
      assert.deepEqual(
        verdicts,
        cases.map((c) => c.error === undefined),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('recording rules are not template-checked (rulefmt checks alerting rules only)', () => {
    assert.deepEqual(parseRuleFile(rule('record: r\nexpr: up\nlabels:\n  a: "{{"'), 'r.yml').errors, []);
  });
});
