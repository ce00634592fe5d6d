import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compilePromRegex } from './prom-series.ts';

const CASES: { pattern: string; matches: string[]; rejects: string[] }[] = [
  { pattern: '(?i:PRO).*', matches: ['production', 'PROD'], rejects: ['canary'] },
  { pattern: '.*((?i)TION)', matches: ['producTion', 'station'], rejects: ['tions'] },
  { pattern: '(?i)api|web', matches: ['API', 'Web'], rejects: ['db'] },
  { pattern: 'a(?i:b)c', matches: ['abc', 'aBc'], rejects: ['aBC'] },
  { pattern: '[[:digit:]]+', matches: ['123'], rejects: ['12a'] },
  { pattern: '(?i)[a-c]x', matches: ['Bx', 'bX'], rejects: ['dx'] },
  { pattern: '(?P<g>x)y', matches: ['xy'], rejects: ['x'] },
  { pattern: 'foo', matches: ['foo'], rejects: ['foobar', 'xfoo'] },
  { pattern: 'a.b', matches: ['a\nb'], rejects: ['ab'] },
];

for (const { pattern, matches, rejects } of CASES) {
  test(`RE2 pattern ${pattern}`, () => {
    const regex = compilePromRegex(pattern);
    for (const text of matches) assert.ok(regex.test(text), `${pattern} should match ${text}`);
    for (const text of rejects) assert.ok(!regex.test(text), `${pattern} should not match ${text}`);
  });
}
