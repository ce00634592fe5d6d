import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { skipUnless } from '../../test-support/test-requirements.ts';
import { formatRuleFileError, parseRuleFile } from './parse-rule-file.ts';
import { promtoolAccepts } from './testdata/promtool.ts';

/** The seed's "Prometheus alerting rules for ML inference SLOs", copied verbatim. */
const SEED_FILE = fileURLToPath(
  new URL('../../../../../docs/examples/rules/ml-inference-slos.rules.yaml', import.meta.url),
);
const seedText = readFileSync(SEED_FILE, 'utf8');

// The error-rate rule's threshold line, broken: `> > 0.001` cannot parse.
const brokenText = seedText.replace('      > 0.001\n', '      > > 0.001\n');

describe("the seed's alert rules", () => {
  test('load: one group of 4 alerting rules at a 30s interval', () => {
    const { groups, errors } = parseRuleFile(seedText, 'seed-rules.yaml');
    assert.deepEqual(errors, []);
    assert.equal(groups.length, 1);
    assert.equal(groups[0]?.name, 'ml_inference_slos');
    assert.equal(groups[0]?.intervalMs, 30_000);
    assert.deepEqual(
      groups[0]?.rules.map((rule) => [rule.alert, rule.forMs, rule.labels['severity'], rule.line]),
      [
        ['InferenceP99LatencyHigh', 300_000, 'critical', 6],
        ['InferenceErrorRateHigh', 180_000, 'warning', 26],
        ['GPUMemoryPressure', 120_000, 'warning', 43],
        ['SLOErrorBudgetBurnRate', 300_000, 'critical', 59],
      ],
    );
  });

  test('three of the four rules page without a runbook: warned, one line each', () => {
    const { warnings } = parseRuleFile(seedText, 'seed-rules.yaml');
    assert.deepEqual(
      warnings.map((warning) => `${warning.line}: ${warning.message.split(' has ')[0]}`),
      [
        '26: alerting rule InferenceErrorRateHigh',
        '43: alerting rule GPUMemoryPressure',
        '59: alerting rule SLOErrorBudgetBurnRate',
      ],
    );
  });

  test('a copy with a broken expr is refused, naming the rule and its expr line', () => {
    assert.notEqual(brokenText, seedText, 'the threshold line was found');
    const { groups, errors } = parseRuleFile(brokenText, 'seed-rules.yaml');
    assert.deepEqual(groups, []);
    assert.equal(errors.length, 1);
    assert.match(
      formatRuleFileError(errors[0] ?? assert.fail('no error')),
      /^seed-rules\.yaml:27:11: group "ml_inference_slos", rule 2, "InferenceErrorRateHigh": could not parse expression: 4:3: parse error: unexpected ">"$/,
    );
  });

  test('promtool 2.42 agrees on both files', { skip: skipUnless('prometheus') }, () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vigil-seed-rules-'));
    try {
      writeFileSync(path.join(dir, 'broken.yaml'), brokenText);
      assert.equal(promtoolAccepts(SEED_FILE), true);
      assert.equal(promtoolAccepts(path.join(dir, 'broken.yaml')), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
