import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import type { Span } from '../../../model/span.ts';
import { attrs, makeSpan, resource } from '../../../storage/contract-fixtures.ts';
import { SettingsError } from '../../graph/component.ts';
import { combineDecisions } from './decision.ts';
import { parseTailSamplingSettings } from './tail-sampling-settings.ts';

const REPO_ROOT = new URL('../../../../../../', import.meta.url);

/** `processors.tail_sampling` of a Collector YAML document. */
function tailSamplingBlock(yamlText: string): unknown {
  const document = parseYaml(yamlText) as { processors?: { tail_sampling?: unknown } };
  assert.ok(document.processors?.tail_sampling, 'the YAML has processors.tail_sampling');
  return document.processors.tail_sampling;
}

function settingsErrorOf(parse: () => unknown): SettingsError {
  try {
    parse();
  } catch (error: unknown) {
    if (error instanceof SettingsError) return error;
    throw error;
  }
  assert.fail('expected a SettingsError');
}

const latency = (threshold_ms: unknown) => ({ name: 'slow', type: 'latency', latency: { threshold_ms } });
const errors = { name: 'errors', type: 'status_code', status_code: { status_codes: ['ERROR'] } };

interface ErrorRow {
  name: string;
  settings: unknown;
  keyPath: (string | number)[];
  message: RegExp;
}

const ERROR_ROWS: ErrorRow[] = [
  { name: 'unknown top-level key', settings: { decision_waitt: '1s' }, keyPath: ['decision_waitt'], message: /unknown setting/ },
  { name: 'block_on_overflow', settings: { block_on_overflow: true }, keyPath: ['block_on_overflow'], message: /unknown setting/ },
  { name: 'bad decision_wait', settings: { decision_wait: 'soon' }, keyPath: ['decision_wait'], message: /duration/ },
  { name: 'num_traces 0', settings: { num_traces: 0 }, keyPath: ['num_traces'], message: /greater than zero/ },
  { name: 'unknown decision_cache key', settings: { decision_cache: { size: 1 } }, keyPath: ['decision_cache', 'size'], message: /unknown setting/ },
  {
    name: 'the third policy’s threshold',
    settings: { policies: [errors, latency(500), { ...latency('fast'), name: 'slow2' }] },
    keyPath: ['policies', 2, 'latency', 'threshold_ms'],
    message: /expected a number/,
  },
  { name: 'unknown policy type', settings: { policies: [{ name: 'a', type: 'slow' }] }, keyPath: ['policies', 0, 'type'], message: /unknown sampling policy type slow/ },
  { name: 'missing type', settings: { policies: [{ name: 'a' }] }, keyPath: ['policies', 0], message: /unknown sampling policy type/ },
  { name: 'empty name', settings: { policies: [{ type: 'always_sample' }] }, keyPath: ['policies', 0], message: /policy name cannot be empty/ },
  { name: 'duplicate name', settings: { policies: [errors, { ...errors }] }, keyPath: ['policies', 1, 'name'], message: /duplicate policy name "errors"/ },
  { name: 'unknown key in a block', settings: { policies: [{ name: 'a', type: 'latency', latency: { threshold: 5 } }] }, keyPath: ['policies', 0, 'latency', 'threshold'], message: /unknown setting/ },
  {
    name: 'unknown status code',
    settings: { policies: [{ name: 'a', type: 'status_code', status_code: { status_codes: ['ERROR', 'FAIL'] } }] },
    keyPath: ['policies', 0, 'status_code', 'status_codes', 1],
    message: /unknown status code "FAIL", supported: OK, ERROR, UNSET/,
  },
  { name: 'no status codes', settings: { policies: [{ name: 'a', type: 'status_code' }] }, keyPath: ['policies', 0, 'status_code', 'status_codes'], message: /at least one status code/ },
  {
    name: 'bad regex',
    settings: { policies: [{ name: 'a', type: 'string_attribute', string_attribute: { key: 'k', values: ['ok', '('], enabled_regex_matching: true } }] },
    keyPath: ['policies', 0, 'string_attribute', 'values', 1],
    message: /invalid regular expression/,
  },
  { name: 'numeric without bounds', settings: { policies: [{ name: 'a', type: 'numeric_attribute', numeric_attribute: { key: 'k' } }] }, keyPath: ['policies', 0, 'numeric_attribute'], message: /min_value or max_value/ },
  { name: 'not without its sub-policy', settings: { policies: [{ name: 'a', type: 'not', not: {} }] }, keyPath: ['policies', 0, 'not', 'not_sub_policy'], message: /required/ },
  {
    name: 'composite inside composite',
    settings: { policies: [{ name: 'a', type: 'composite', composite: { composite_sub_policy: [{ name: 'b', type: 'composite' }] } }] },
    keyPath: ['policies', 0, 'composite', 'composite_sub_policy', 0, 'type'],
    message: /unknown sampling policy type composite/,
  },
  {
    name: 'not inside and',
    settings: { policies: [{ name: 'a', type: 'and', and: { and_sub_policy: [{ name: 'b', type: 'not' }] } }] },
    keyPath: ['policies', 0, 'and', 'and_sub_policy', 0, 'type'],
    message: /unknown sampling policy type not/,
  },
  { name: 'ottl_condition', settings: { policies: [{ name: 'a', type: 'ottl_condition' }] }, keyPath: ['policies', 0, 'type'], message: /not supported by Vigil/ },
];

describe('tail_sampling settings', () => {
  it('applies upstream defaults', () => {
    const settings = parseTailSamplingSettings(undefined);
    assert.deepEqual(
      { ...settings, policies: settings.policies.length },
      {
        decisionWaitMs: 30_000,
        numTraces: 50_000,
        expectedNewTracesPerSec: 0,
        sampledCacheSize: 0,
        nonSampledCacheSize: 0,
        sampleOnFirstMatch: false,
        dropPendingTracesOnShutdown: false,
        policies: 0,
      },
    );
  });

  it('reads YAML 1.1 underscore numbers (`100_000`) as upstream’s README writes them', () => {
    const settings = parseTailSamplingSettings({ decision_cache: { sampled_cache_size: '100_000' } });
    assert.equal(settings.sampledCacheSize, 100_000);
  });

  for (const row of ERROR_ROWS) {
    it(`refuses: ${row.name}`, () => {
      const error = settingsErrorOf(() => parseTailSamplingSettings(row.settings));
      assert.deepEqual(error.keyPath, row.keyPath);
      assert.match(error.message, row.message);
    });
  }

  it('parses the seed collector config’s tail_sampling block', () => {
    const text = readFileSync(new URL('packages/server/src/config/collector/testdata/seed-collector.yaml', REPO_ROOT), 'utf8');
    const settings = parseTailSamplingSettings(tailSamplingBlock(text));
    assert.equal(settings.decisionWaitMs, 10_000);
    assert.deepEqual(
      settings.policies.map((p) => [p.name, p.keepReason.adjustedCount]),
      [['error-traces', 1], ['slow-traces', 1], ['probabilistic-sampling', 10]],
    );
  });
});

describe('docs/tail-sampling.md ML example', () => {
  const doc = readFileSync(new URL('docs/tail-sampling.md', REPO_ROOT), 'utf8');
  const block = /<!-- tail-sampling-ml-example[^>]*-->\s*```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
  assert.ok(block, 'the doc has the marked example');
  const { policies } = parseTailSamplingSettings(tailSamplingBlock(block));

  const predict = (n: number, version: string, score: number): Span[] => {
    const span = makeSpan({
      trace: n,
      span: 1,
      attributes: attrs({ 'ml.prediction.score': score, 'ml.model.version': version }),
      resource: resource('fraud-model', { 'ml.model.version': version }),
    });
    // The W3C trace-context example id, which the baseline 10 % does not keep.
    return [{ ...span, traceId: '4bf92f3577b34da6a3ce929d0e0e4736' }];
  };
  const keptBy = (spans: Span[]) => {
    const verdict = combineDecisions(policies, { traceId: spans[0]?.traceId ?? '', spans }, 0, false);
    return verdict.kind === 'sampled' ? verdict.reason.policyName : verdict.kind;
  };

  const rows: [string, Span[], string][] = [
    ['a low-confidence prediction', predict(1, '3.1.0', 0.41), 'low-confidence'],
    ['a canary prediction', predict(2, '3.2.0', 0.97), 'canary-model'],
    ['a confident stable prediction', predict(3, '3.1.0', 0.97), 'not_sampled'],
    ['a version that only contains 3.2', predict(4, '13.2.0', 0.97), 'not_sampled'],
  ];
  for (const [name, spans, expected] of rows) {
    it(`${name} → ${expected}`, () => assert.equal(keptBy(spans), expected));
  }
});
