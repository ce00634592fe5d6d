import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AttributeValue } from '../../../model/attributes.ts';
import { attrs } from '../../../storage/contract-fixtures.ts';
import { SettingsReader } from '../../graph/settings-reader.ts';
import { applyAttributeActions } from './apply-actions.ts';
import { parseAttributeActions } from './attribute-actions.ts';
import { plain, runActions } from './attributes-test-support.ts';

type Row = { name: string; input: Record<string, AttributeValue>; expected: Record<string, AttributeValue> };

/** Each block: one action list and its rows, after internal/coreinternal/attraction/attraction_test.go. */
const TABLES: { name: string; actions: unknown[]; rows: Row[] }[] = [
  {
    name: 'insert value',
    actions: [{ key: 'attribute1', action: 'insert', value: 123 }],
    rows: [
      { name: 'empty', input: {}, expected: { attribute1: 123n } },
      { name: 'key absent', input: { anotherkey: 'bob' }, expected: { anotherkey: 'bob', attribute1: 123n } },
      { name: 'key present: unchanged', input: { attribute1: 'bob' }, expected: { attribute1: 'bob' } },
    ],
  },
  {
    name: 'insert from_attribute',
    actions: [{ key: 'string key', action: 'insert', from_attribute: 'anotherkey' }],
    rows: [
      { name: 'source absent', input: { bob: 1n }, expected: { bob: 1n } },
      { name: 'copies', input: { anotherkey: 8892342n }, expected: { anotherkey: 8892342n, 'string key': 8892342n } },
      { name: 'target present', input: { anotherkey: 8892342n, 'string key': 'here' }, expected: { anotherkey: 8892342n, 'string key': 'here' } },
    ],
  },
  {
    name: 'update value',
    actions: [{ key: 'db.secret', action: 'update', value: 'redacted' }],
    rows: [
      { name: 'empty', input: {}, expected: {} },
      { name: 'key absent', input: { boo: 'foo' }, expected: { boo: 'foo' } },
      { name: 'key present', input: { 'db.secret': 'password1234' }, expected: { 'db.secret': 'redacted' } },
    ],
  },
  {
    name: 'update from_attribute',
    actions: [{ key: 'boo', action: 'UPDATE', from_attribute: 'foo' }],
    rows: [
      { name: 'source absent', input: { boo: 'bob' }, expected: { boo: 'bob' } },
      { name: 'target absent', input: { foo: 'over there' }, expected: { foo: 'over there' } },
      { name: 'both', input: { foo: 'party', boo: 'not here' }, expected: { foo: 'party', boo: 'party' } },
    ],
  },
  {
    name: 'upsert value',
    actions: [{ key: 'region', action: 'upsert', value: 'planet-earth' }],
    rows: [
      { name: 'empty', input: {}, expected: { region: 'planet-earth' } },
      { name: 'key absent', input: { mission: 'to mars' }, expected: { mission: 'to mars', region: 'planet-earth' } },
      { name: 'key present', input: { mission: 'to mars', region: 'solar system' }, expected: { mission: 'to mars', region: 'planet-earth' } },
    ],
  },
  {
    name: 'upsert from_attribute keeps the int type',
    actions: [{ key: 'new_user_key', action: 'upsert', from_attribute: 'user_key' }],
    rows: [
      { name: 'source absent', input: { boo: 'ghosts' }, expected: { boo: 'ghosts' } },
      { name: 'insert', input: { user_key: 2245n }, expected: { user_key: 2245n, new_user_key: 2245n } },
      { name: 'update', input: { user_key: 2245n, new_user_key: 5422n }, expected: { user_key: 2245n, new_user_key: 2245n } },
    ],
  },
  {
    name: 'delete by key and by pattern',
    actions: [{ key: 'duplicate_key', pattern: '^duplicate_key_.', action: 'delete' }],
    rows: [
      { name: 'absent', input: { boo: 'ghosts' }, expected: { boo: 'ghosts' } },
      { name: 'by key', input: { duplicate_key: 3245.6, original_key: 3245.6 }, expected: { original_key: 3245.6 } },
      {
        name: 'by pattern',
        input: { duplicate_key_a: 1.5, duplicate_key_b: 1.5, original_key: 1.5, not_duplicate_key: 2.5 },
        expected: { original_key: 1.5, not_duplicate_key: 2.5 },
      },
    ],
  },
  {
    name: 'delete by pattern only (unanchored, as Go MatchString)',
    actions: [{ pattern: 'duplicate.*', action: 'delete' }],
    rows: [{ name: 'finds inside keys', input: { duplicate_key: 1n, not_duplicate: 2n, keep: 3n }, expected: { keep: 3n } }],
  },
  {
    name: 'extract with named groups',
    actions: [{ key: 'user_key', pattern: '^\\/api\\/v1\\/document\\/(?P<new_user_key>.*)\\/update\\/(?P<version>.*)$', action: 'extract' }],
    rows: [
      { name: 'source absent', input: { boo: 'ghosts' }, expected: { boo: 'ghosts' } },
      { name: 'source not a string', input: { user_key: 1234n }, expected: { user_key: 1234n } },
      { name: 'no match', input: { user_key: '/api/v1/document/12345678/update' }, expected: { user_key: '/api/v1/document/12345678/update' } },
      {
        name: 'inserts and overwrites',
        input: { user_key: '/api/v1/document/12345678/update/v1', new_user_key: '2321' },
        expected: { user_key: '/api/v1/document/12345678/update/v1', new_user_key: '12345678', version: 'v1' },
      },
    ],
  },
  {
    name: 'ordering: insert, upsert from it, delete it',
    actions: [
      { key: 'operation', action: 'insert', value: 'default' },
      { key: 'svc.operation', action: 'upsert', from_attribute: 'operation' },
      { key: 'operation', action: 'delete' },
    ],
    rows: [
      { name: 'all steps', input: { foo: 'casper' }, expected: { foo: 'casper', 'svc.operation': 'default' } },
      { name: 'operation exists', input: { operation: 'arithmetic' }, expected: { 'svc.operation': 'arithmetic' } },
      { name: 'svc.operation exists', input: { 'svc.operation': 'some' }, expected: { 'svc.operation': 'default' } },
    ],
  },
  {
    name: 'from the same attribute changes nothing',
    actions: ['insert', 'update', 'upsert'].map((action) => ({ key: 'boo', action, from_attribute: 'boo' })),
    rows: [{ name: 'unchanged', input: { boo: 'ghosts' }, expected: { boo: 'ghosts' } }],
  },
];

describe('attribute actions (upstream attraction_test.go semantics)', () => {
  for (const table of TABLES) {
    for (const row of table.rows) {
      it(`${table.name}: ${row.name}`, () => {
        assert.deepStrictEqual(plain(runActions(table.actions, row.input)), row.expected);
      });
    }
  }
});

describe('hash', () => {
  // SHA-256 of the bytes attraction_test.go hashes: "foo", int64 24 and float64 2.4 little-endian, bools 1/0.
  const VECTORS: { name: string; value: AttributeValue; hex: string }[] = [
    { name: 'string', value: 'foo', hex: '2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae' },
    { name: 'int', value: 24n, hex: 'cbb032642036ec7043fa4529f06c9c9d8b12fa70ea6799a19ca8321a808d86fa' },
    { name: 'negative int (two’s complement)', value: -1n, hex: '12a3ae445661ce5dee78d0650d33362dec29c4f82af05e7e57fb595bbbacf0ca' },
    { name: 'double', value: 2.4, hex: 'df3022be03461368aa299f2f30d440fd3ca45c9b62af40733f10296a53d42859' },
    { name: 'true', value: true, hex: '4bf5122f344554c53bde2ebb8cd2b7e3d1600ad631c385a5d7cce23c7785459a' },
    { name: 'false', value: false, hex: '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d' },
    { name: 'bytes have no hash input', value: new Uint8Array([1, 2]), hex: '' },
  ];
  for (const { name, value, hex } of VECTORS) {
    it(`hashes ${name} as upstream`, () => {
      assert.deepStrictEqual(plain(runActions([{ key: 'updateme', action: 'hash' }], { updateme: value })), { updateme: hex });
    });
  }

  it('hashes keys found by pattern and leaves others', () => {
    const out = runActions([{ key: 'updateme', pattern: '^updatemeby.*', action: 'hash' }], {
      updatemebyregexp: false,
      donotupdatemebyregexp: false,
    });
    assert.deepStrictEqual(plain(out), {
      updatemebyregexp: '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      donotupdatemebyregexp: false,
    });
  });
});

describe('convert', () => {
  const ROWS: { target: string; input: AttributeValue; expected: AttributeValue }[] = [
    { target: 'int', input: '404', expected: 404n },
    { target: 'int', input: '-9223372036854775808', expected: -9223372036854775808n },
    { target: 'int', input: '9223372036854775808', expected: '9223372036854775808' },
    { target: 'int', input: '12.5', expected: '12.5' },
    { target: 'int', input: 12.9, expected: 12n },
    { target: 'int', input: -12.9, expected: -12n },
    { target: 'int', input: true, expected: 1n },
    { target: 'int', input: ['a'], expected: ['a'] },
    { target: 'double', input: '1e3', expected: 1000 },
    { target: 'double', input: 'abc', expected: 'abc' },
    { target: 'double', input: 7n, expected: 7 },
    { target: 'double', input: false, expected: 0 },
    { target: 'string', input: 7n, expected: '7' },
    { target: 'string', input: 0.5, expected: '0.5' },
    { target: 'string', input: 1e21, expected: '1e+21' },
    { target: 'string', input: true, expected: 'true' },
    { target: 'string', input: new Uint8Array([0, 1, 254]), expected: 'AAH+' },
    { target: 'string', input: new Map<string, AttributeValue>([['b', 1n], ['a', '<x>']]), expected: '{"a":"\\u003cx\\u003e","b":1}' },
    { target: 'string', input: null, expected: '' },
  ];
  for (const { target, input, expected } of ROWS) {
    it(`${String(typeof input === 'bigint' ? `${input}n` : JSON.stringify(input))} to ${target}`, () => {
      const out = runActions([{ key: 'k', action: 'convert', converted_type: target }], { k: input });
      assert.deepStrictEqual(out['k'], expected);
    });
  }
});

describe('copy-on-write', () => {
  const parse = (actions: unknown[]) => parseAttributeActions(SettingsReader.of({ actions }), 'actions');

  it('returns the input map itself when nothing changes', () => {
    const input = attrs({ region: 'planet-earth' });
    assert.equal(applyAttributeActions(parse([{ key: 'region', action: 'upsert', value: 'planet-earth' }]), input), input);
    assert.equal(applyAttributeActions(parse([{ key: 'absent', action: 'delete' }]), input), input);
  });

  it('never writes the input map', () => {
    const input = attrs({ a: 'x', secret: 's', ['__proto__']: 'plain key' });
    const out = applyAttributeActions(
      parse([{ key: 'secret', action: 'delete' }, { key: 'a', action: 'hash' }, { key: 'b', action: 'insert', value: 1 }]),
      input,
    );
    assert.deepStrictEqual(plain(input), { a: 'x', secret: 's', ['__proto__']: 'plain key' });
    assert.deepStrictEqual(Object.keys(out), ['a', '__proto__', 'b']);
    assert.equal(Object.getPrototypeOf(out), null);
  });
});
