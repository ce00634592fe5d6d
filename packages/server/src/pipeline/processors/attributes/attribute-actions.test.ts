import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SettingsError } from '../../graph/component.ts';
import { SettingsReader } from '../../graph/settings-reader.ts';
import { parseAttributeActions } from './attribute-actions.ts';

const parse = (settings: unknown) => parseAttributeActions(SettingsReader.of(settings), 'actions');

/** Upstream's TestInvalidConfig cases (attraction_test.go) and Config.Validate, with Vigil's key paths. */
const INVALID: { name: string; settings: unknown; message: RegExp; keyPath: (string | number)[] }[] = [
  { name: 'no actions', settings: {}, message: /missing required field "actions"/, keyPath: ['actions'] },
  { name: 'empty actions', settings: { actions: [] }, message: /missing required field "actions"/, keyPath: ['actions'] },
  {
    name: 'missing key',
    settings: { actions: [{ key: 'one', action: 'delete' }, { value: 123, action: 'upsert' }] },
    message: /missing required field "key"/,
    keyPath: ['actions', 1, 'key'],
  },
  { name: 'invalid action', settings: { actions: [{ key: 'k', action: 'invalid' }] }, message: /unsupported action "invalid"/, keyPath: ['actions', 0, 'action'] },
  { name: 'no action', settings: { actions: [{ key: 'k', value: 1 }] }, message: /unsupported action ""/, keyPath: ['actions', 0, 'action'] },
  {
    name: 'no value source',
    settings: { actions: [{ key: 'k', action: 'insert' }] },
    message: /either field "value", "from_attribute" or "from_context" setting must be specified/,
    keyPath: ['actions', 0],
  },
  {
    name: 'value and from_attribute',
    settings: { actions: [{ key: 'k', value: 123, from_attribute: 'aa', action: 'upsert' }] },
    message: /multiple value sources being set/,
    keyPath: ['actions', 0],
  },
  {
    name: 'pattern on insert',
    settings: { actions: [{ key: 'k', pattern: '(?P<op>.*?)$', from_attribute: 'aa', action: 'insert' }] },
    message: /action "insert" does not use the "pattern" field/,
    keyPath: ['actions', 0, 'pattern'],
  },
  {
    name: 'converted_type on upsert',
    settings: { actions: [{ key: 'k', value: 1, converted_type: 'int', action: 'upsert' }] },
    message: /action "upsert" does not use the "converted_type" field/,
    keyPath: ['actions', 0, 'converted_type'],
  },
  {
    name: 'from_context',
    settings: { actions: [{ key: 'origin', from_context: 'metadata.origin', action: 'insert' }] },
    message: /from_context is not supported: Vigil does not pass client request metadata/,
    keyPath: ['actions', 0, 'from_context'],
  },
  {
    name: 'delete without key or pattern',
    settings: { actions: [{ action: 'delete' }] },
    message: /at least one of "key" and "pattern" have to be used/,
    keyPath: ['actions', 0],
  },
  {
    name: 'value on hash',
    settings: { actions: [{ key: 'k', value: 'x', action: 'hash' }] },
    message: /action "hash" does not use "value" or "from_attribute" field/,
    keyPath: ['actions', 0],
  },
  { name: 'extract without pattern', settings: { actions: [{ key: 'aa', action: 'extract' }] }, message: /missing required field "pattern" for action "extract"/, keyPath: ['actions', 0, 'pattern'] },
  {
    name: 'value on extract',
    settings: { actions: [{ key: 'k', pattern: '(?P<op>.*?)$', value: 'v', action: 'extract' }] },
    message: /action "extract" does not use a value source field/,
    keyPath: ['actions', 0],
  },
  {
    name: 'invalid regex',
    settings: { actions: [{ key: 'aa', pattern: '(?P<invalid.regex>.*?)$', action: 'extract' }] },
    message: /field "pattern" has invalid pattern: "\(\?P<invalid.regex>\.\*\?\)\$"/,
    keyPath: ['actions', 0, 'pattern'],
  },
  { name: 'no named groups', settings: { actions: [{ key: 'aa', pattern: '.*$', action: 'extract' }] }, message: /contains no named matcher groups/, keyPath: ['actions', 0, 'pattern'] },
  {
    name: 'an unnamed group',
    settings: { actions: [{ key: 'aa', pattern: '^/api/(?P<id>.*)/update/(.*)$', action: 'extract' }] },
    message: /contains at least one unnamed matcher group/,
    keyPath: ['actions', 0, 'pattern'],
  },
  { name: 'convert without type', settings: { actions: [{ key: 'k', action: 'convert' }] }, message: /missing required field "converted_type" for action "convert"/, keyPath: ['actions', 0, 'converted_type'] },
  {
    name: 'convert to bool',
    settings: { actions: [{ key: 'k', action: 'convert', converted_type: 'bool' }] },
    message: /invalid value "bool" in field "converted_type"/,
    keyPath: ['actions', 0, 'converted_type'],
  },
  {
    name: 'convert with a value',
    settings: { actions: [{ key: 'k', action: 'convert', converted_type: 'int', value: 1 }] },
    message: /action "convert" does not use value sources or "pattern" field/,
    keyPath: ['actions', 0],
  },
  { name: 'unknown key', settings: { actions: [{ key: 'k', action: 'delete', regex: 'x' }] }, message: /unknown setting "regex"/, keyPath: ['actions', 0, 'regex'] },
  { name: 'action not a mapping', settings: { actions: ['delete'] }, message: /expected a mapping/, keyPath: ['actions', 0] },
];

describe('action validation', () => {
  for (const { name, settings, message, keyPath } of INVALID) {
    it(`refuses ${name}`, () => {
      assert.throws(
        () => parse(settings),
        (error: unknown) => {
          assert.ok(error instanceof SettingsError, `expected SettingsError, got ${String(error)}`);
          assert.match(error.message, message);
          assert.deepStrictEqual(error.keyPath, keyPath);
          return true;
        },
      );
    });
  }

  it('accepts upstream TestValidConfiguration, in any letter case', () => {
    const actions = parse({
      actions: [
        { key: 'one', action: 'Delete' },
        { key: 'two', value: 123, action: 'INSERT' },
        { key: 'three', from_attribute: 'two', action: 'upDaTE' },
        { key: 'five', from_attribute: 'two', action: 'upsert' },
        { key: 'two', pattern: '^\\/api\\/v1\\/document\\/(?P<documentId>.*)\\/update$', action: 'EXTRact' },
      ],
    });
    assert.deepStrictEqual(
      actions.map((action) => action.action),
      ['delete', 'insert', 'update', 'upsert', 'extract'],
    );
    assert.deepStrictEqual(actions[1], { action: 'insert', key: 'two', source: { value: 123n } });
    assert.deepStrictEqual(actions[4]?.action === 'extract' && actions[4].groupNames, ['documentId']);
  });

  it('types configured values as OTLP values', () => {
    const values = parse({
      actions: [1, 2.5, 'x', true, [1, 'a'], { n: 1 }].map((value) => ({ key: 'k', value, action: 'insert' })),
    }).map((action) => (action.action === 'insert' && 'value' in action.source ? action.source.value : undefined));
    assert.deepStrictEqual(values, [1n, 2.5, 'x', true, [1n, 'a'], new Map([['n', 1n]])]);
  });
});
