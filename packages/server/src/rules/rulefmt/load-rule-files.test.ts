import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { globFiles, GlobPatternError, segmentRegExp as segmentMatcher } from '../../config/go-glob.ts';
import { loadRuleFiles } from './load-rule-files.ts';

const GOOD = 'groups:\n- name: NAME\n  rules:\n  - record: r\n    expr: up\n';

describe('globFiles (Go filepath.Glob semantics)', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'vigil-glob-'));
    for (const sub of ['a', 'b', 'c.d']) mkdirSync(path.join(dir, sub));
    for (const file of ['a/x.yml', 'a/y.yaml', 'a/.hidden.yml', 'b/z.yml', 'c.d/w.yml', 'top.yml'])
      writeFileSync(path.join(dir, file), GOOD);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const cases: ReadonlyArray<{ pattern: string; expected: string[] }> = [
    { pattern: 'a/*.yml', expected: ['a/.hidden.yml', 'a/x.yml'] },
    { pattern: '*/*.yml', expected: ['a/.hidden.yml', 'a/x.yml', 'b/z.yml', 'c.d/w.yml'] },
    { pattern: '[ab]/?.y*', expected: ['a/x.yml', 'a/y.yaml', 'b/z.yml'] },
    { pattern: '[^a]/*', expected: ['b/z.yml'] },
    { pattern: 'top.yml', expected: ['top.yml'] },
    { pattern: 'missing.yml', expected: [] },
    { pattern: 'nope/*.yml', expected: [] },
    { pattern: 'top.yml/*', expected: [] },
  ];
  for (const c of cases) {
    test(`${c.pattern} → ${c.expected.length} files`, () => {
      const found = globFiles(path.join(dir, c.pattern));
      assert.deepEqual(
        found,
        c.expected.map((file) => path.join(dir, file)),
      );
    });
  }

  test('a malformed class is a pattern error', () => {
    assert.throws(() => segmentMatcher('[a-'), GlobPatternError);
    assert.throws(() => segmentMatcher('[]'), GlobPatternError);
    assert.throws(() => segmentMatcher('a\\'), GlobPatternError);
  });

  test('regexp characters in a pattern are literal', () => {
    assert.ok(segmentMatcher('a.(b)+').test('a.(b)+'));
    assert.ok(!segmentMatcher('a.b').test('axb'));
  });
});

describe('loadRuleFiles', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'vigil-rules-'));
    writeFileSync(path.join(dir, '1-api.yml'), GOOD.replace('NAME', 'api'));
    writeFileSync(path.join(dir, '2-gpu.yml'), GOOD.replace('NAME', 'gpu'));
    writeFileSync(
      path.join(dir, '3-bad.yml'),
      GOOD.replace('NAME', 'bad').replace('expr: up', 'expr: rate(up)'),
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('expands globs in order, each file once, and keeps the groups of files that loaded', async () => {
    const loaded = await loadRuleFiles([path.join(dir, '*.yml'), path.join(dir, '1-api.yml')]);
    assert.deepEqual(
      loaded.files.map((file) => path.basename(file)),
      ['1-api.yml', '2-gpu.yml', '3-bad.yml'],
    );
    assert.deepEqual(
      loaded.groups.map((group) => [group.name, path.basename(group.file)]),
      [
        ['api', '1-api.yml'],
        ['gpu', '2-gpu.yml'],
      ],
    );
    assert.equal(loaded.errors.length, 1);
    assert.equal(loaded.errors[0]?.file, path.join(dir, '3-bad.yml'));
    assert.equal(loaded.errors[0]?.line, 5);
  });

  test('a pattern matching nothing is no error; a bad pattern is', async () => {
    assert.deepEqual(await loadRuleFiles([path.join(dir, '*.json')]), {
      files: [],
      groups: [],
      errors: [],
      warnings: [],
    });
    const loaded = await loadRuleFiles([path.join(dir, '[*.yml')]);
    assert.deepEqual(
      loaded.errors.map((error) => error.message),
      ['syntax error in pattern'],
    );
  });
});
