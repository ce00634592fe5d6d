import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashMod, relabel } from './relabel.ts';
import { parseRelabelConfig, parseRelabelConfigs, RelabelConfigError } from './relabel-config.ts';

type Rule = Record<string, unknown>;
interface Case {
  name: string;
  input: Record<string, string>;
  rules: Rule[];
  /** undefined: the set is dropped. */
  output: Record<string, string> | undefined;
}

// Cases from Prometheus model/relabel/relabel_test.go TestRelabel, written as YAML rules.
const cases: Case[] = [
  { name: 'replace with ${1}', input: { a: 'foo', b: 'bar', c: 'baz' },
    rules: [{ source_labels: ['a'], regex: 'f(.*)', target_label: 'd', replacement: 'ch${1}-ch${1}' }],
    output: { a: 'foo', b: 'bar', c: 'baz', d: 'choo-choo' } },
  { name: 'chained replaces over two sources', input: { a: 'foo', b: 'bar', c: 'baz' },
    rules: [
      { source_labels: ['a', 'b'], regex: 'f(.*);(.*)r', target_label: 'a', replacement: 'b${1}${2}m' },
      { source_labels: ['c', 'a'], regex: '(b).*b(.*)ba(.*)', target_label: 'd', replacement: '$1$2$2$3' },
    ],
    output: { a: 'boobam', b: 'bar', c: 'baz', d: 'boooom' } },
  { name: 'drop stops processing', input: { a: 'foo' },
    rules: [{ source_labels: ['a'], regex: '.*o.*', action: 'drop' }, { source_labels: ['a'], target_label: 'd' }],
    output: undefined },
  { name: 'regex is anchored', input: { a: 'abc' },
    rules: [{ source_labels: ['a'], regex: '.*(b).*', target_label: 'd' }], output: { a: 'abc', d: 'b' } },
  { name: 'drop without match keeps', input: { a: 'foo' },
    rules: [{ source_labels: ['a'], regex: 'f|o', action: 'drop' }], output: { a: 'foo' } },
  { name: 'keep without match drops', input: { a: 'foo' },
    rules: [{ source_labels: ['a'], regex: 'no-match', action: 'keep' }], output: undefined },
  { name: 'keep with match', input: { a: 'foo' },
    rules: [{ source_labels: ['a'], regex: 'f.*', action: 'Keep' }], output: { a: 'foo' } },
  { name: 'no replacement without match', input: { a: 'boo' },
    rules: [{ source_labels: ['a'], regex: 'f', target_label: 'b', replacement: 'bar' }], output: { a: 'boo' } },
  { name: 'hashmod', input: { a: 'foo', b: 'bar', c: 'baz' },
    rules: [{ source_labels: ['c'], target_label: 'd', action: 'hashmod', modulus: 1000 }],
    output: { a: 'foo', b: 'bar', c: 'baz', d: '976' } },
  { name: 'hashmod with newline', input: { a: 'foo\nbar' },
    rules: [{ source_labels: ['a'], target_label: 'b', action: 'hashmod', modulus: 1000 }],
    output: { a: 'foo\nbar', b: '734' } },
  { name: 'labelmap', input: { a: 'foo', b1: 'bar', b2: 'baz' },
    rules: [{ regex: '(b.*)', replacement: 'bar_${1}', action: 'labelmap' }],
    output: { a: 'foo', b1: 'bar', b2: 'baz', bar_b1: 'bar', bar_b2: 'baz' } },
  { name: 'labelmap __meta_', input: { a: 'foo', __meta_my_bar: 'aaa', __meta_other: 'ccc' },
    rules: [{ regex: '__meta_(my.*)', replacement: '${1}', action: 'labelmap' }],
    output: { a: 'foo', __meta_my_bar: 'aaa', __meta_other: 'ccc', my_bar: 'aaa' } },
  { name: 'target label from a group', input: { a: 'some-name-value' },
    rules: [{ source_labels: ['a'], regex: 'some-([^-]+)-([^,]+)', replacement: '${2}', target_label: '${1}' }],
    output: { a: 'some-name-value', name: 'value' } },
  { name: 'empty replacement deletes the (absent) target', input: { a: 'some-name-value' },
    rules: [{ source_labels: ['a'], regex: 'some-([^-]+)-([^,]+)', replacement: '${3}', target_label: '${1}' }],
    output: { a: 'some-name-value' } },
  { name: 'invalid expanded target is skipped', input: { a: 'some-name-0' },
    rules: [{ source_labels: ['a'], regex: 'some-([^-]+)(-[^,]+)', replacement: '${1}', target_label: '${2}' }],
    output: { a: 'some-name-0' } },
  { name: 'labeldrop then replace then keep (prometheus#12283)',
    input: { __meta_kubernetes_pod_container_port_name: 'foo', __meta_kubernetes_pod_annotation_XXX_metrics_port: '9091' },
    rules: [
      { regex: '^__meta_kubernetes_pod_container_port_name$', action: 'labeldrop' },
      { source_labels: ['__meta_kubernetes_pod_annotation_XXX_metrics_port'], regex: '(.+)', replacement: 'metrics',
        target_label: '__meta_kubernetes_pod_container_port_name' },
      { source_labels: ['__meta_kubernetes_pod_container_port_name'], regex: '^metrics$', action: 'keep' },
    ],
    output: { __meta_kubernetes_pod_annotation_XXX_metrics_port: '9091', __meta_kubernetes_pod_container_port_name: 'metrics' } },
  { name: 'labelkeep', input: { a: 'foo', b1: 'bar', b2: 'baz' },
    rules: [{ regex: '(b.*)', action: 'labelkeep' }], output: { b1: 'bar', b2: 'baz' } },
  { name: 'labeldrop', input: { a: 'foo', b1: 'bar', b2: 'baz' },
    rules: [{ regex: '(b.*)', action: 'labeldrop' }], output: { a: 'foo' } },
  { name: 'upper and lower case', input: { foo: 'bAr123Foo' },
    rules: [
      { source_labels: ['foo'], action: 'uppercase', target_label: 'foo_uppercase' },
      { source_labels: ['foo'], action: 'lowercase', target_label: 'foo_lowercase' },
    ],
    output: { foo: 'bAr123Foo', foo_lowercase: 'bar123foo', foo_uppercase: 'BAR123FOO' } },
  { name: 'keepequal keeps', input: { __tmp_port: '1234', __port1: '1234' },
    rules: [{ source_labels: ['__tmp_port'], action: 'keepequal', target_label: '__port1' }],
    output: { __tmp_port: '1234', __port1: '1234' } },
  { name: 'dropequal drops', input: { __tmp_port: '1234', __port1: '1234' },
    rules: [{ source_labels: ['__tmp_port'], action: 'dropequal', target_label: '__port1' }], output: undefined },
  { name: 'keepequal drops', input: { __tmp_port: '1234', __port2: '5678' },
    rules: [{ source_labels: ['__tmp_port'], action: 'keepequal', target_label: '__port2' }], output: undefined },
  { name: 'fast path: empty input sets the replacement', input: { a: 'x' },
    rules: [{ target_label: 'env', replacement: 'prod' }], output: { a: 'x', env: 'prod' } },
  { name: 'Go template: $1x is the group named "1x" (empty)', input: { a: 'foo' },
    rules: [{ source_labels: ['a'], regex: '(f)oo', target_label: 'b', replacement: '$1x-$$-${1}x' }],
    output: { a: 'foo', b: '-$-fx' } },
];

for (const { name, input, rules, output } of cases) {
  test(`relabel: ${name}`, () => {
    const result = relabel(new Map(Object.entries(input)), parseRelabelConfigs(rules));
    assert.deepEqual(result && Object.fromEntries([...result].sort()), output && Object.fromEntries(Object.entries(output).sort()));
  });
}

test('relabel does not modify its input', () => {
  const input = new Map([['a', 'foo']]);
  relabel(input, parseRelabelConfigs([{ source_labels: ['a'], target_label: 'b' }]));
  assert.deepEqual([...input], [['a', 'foo']]);
});

test('hashMod matches Prometheus (md5, last 8 bytes big-endian)', () => {
  assert.equal(hashMod('baz', 1000), '976');
  assert.equal(hashMod('foo\nbar', 1000), '734');
  assert.equal(hashMod('anything', 1), '0');
});

// Prometheus TestRelabelValidate plus the other checks of Config.Validate.
const invalid: { rule: Rule; message: RegExp }[] = [
  { rule: { action: 'replace' }, message: /requires 'target_label' value/ },
  { rule: { action: 'lowercase' }, message: /requires 'target_label' value/ },
  { rule: { action: 'lowercase', target_label: '${3}' }, message: /"\$\{3\}" is invalid 'target_label'/ },
  { rule: { source_labels: ['a'], target_label: '0${3}' }, message: /"0\$\{3\}" is invalid 'target_label'/ },
  { rule: { source_labels: ['a'], target_label: '-${3}' }, message: /is invalid 'target_label' for replace action/ },
  { rule: { source_labels: ['a'], target_label: 'a-b' }, message: /is invalid 'target_label' for replace action/ },
  { rule: { action: 'hashmod', target_label: 'x' }, message: /requires non-zero modulus/ },
  { rule: { action: 'hashmod', target_label: 'x$1', modulus: 2 }, message: /is invalid 'target_label' for hashmod/ },
  { rule: { action: 'labelmap', replacement: '-x' }, message: /is invalid 'replacement' for labelmap/ },
  { rule: { action: 'uppercase', target_label: 'x', replacement: 'y' }, message: /'replacement' can not be set/ },
  { rule: { action: 'keepequal', target_label: 'x', regex: 'a' }, message: /requires only 'source_labels'/ },
  { rule: { action: 'labeldrop', regex: 'a', source_labels: ['b'] }, message: /requires only 'regex'/ },
  { rule: { action: 'labelkeep', regex: 'a', target_label: 'b' }, message: /requires only 'regex'/ },
  { rule: { action: 'explode' }, message: /unknown relabel action "explode"/ },
  { rule: { target_label: 'x', regex: '(' }, message: /invalid regex/ },
  { rule: { target_label: 'x', regexp: 'a' }, message: /field regexp not found/ },
];

for (const { rule, message } of invalid) {
  test(`relabel config rejects ${JSON.stringify(rule)}`, () => {
    assert.throws(() => parseRelabelConfig(rule), (error: unknown) => error instanceof RelabelConfigError && message.test(error.message));
  });
}

test('relabel config accepts a target with a group reference and applies defaults', () => {
  const rule = parseRelabelConfig({ source_labels: ['a'], regex: 'some-([^-]+)-([^,]+)', replacement: '${1}', target_label: '${3}' });
  assert.equal(rule.action, 'replace');
  assert.equal(rule.separator, ';');
  const defaults = parseRelabelConfig({ target_label: 'x' });
  assert.equal(defaults.replacement, '$1');
  assert.equal(defaults.regex.source, '^(?:(.*))$');
});

test('parseRelabelConfigs names the failing rule', () => {
  assert.throws(() => parseRelabelConfigs([{ target_label: 'x' }, { action: 'keep', regex: '(' }]), /rule 2: invalid regex/);
});
