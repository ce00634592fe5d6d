import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileGoRegexp, matchGo, mustCompileGoRegexp, replaceAllGo } from './go-regexp.ts';

/** Go RE2 patterns and Regexp.ReplaceAllString on JS RegExp; expectations are Go's results. */

describe('Regexp.ReplaceAllString', () => {
  const cases: readonly [string, string, string, string][] = [
    ['(a)b', 'x$1', 'ab', 'xa'],
    ['localhost:(.*)', 'my.domain:$1', 'localhost:3000', 'my.domain:3000'],
    ['(?P<host>[^:]+):(?P<port>\\d+)', '${port}@$host', 'node:9100', '9100@node'],
    ['(a)', '$1x|${1}x|$$1', 'a', '|ax|$1'], // $1x names group "1x", which does not exist
    ['a*', '-', 'baaac', '-b-c-'], // no empty match right after a match
    ['x*', '-', 'abc', '-a-b-c-'],
    ['(?i)HELLO', 'bye', 'say hello', 'say bye'],
    ['^', '>', 'ab', '>ab'],
    ['.', '.', 'a\nb', '.\n.'], // '.' does not match \n, but does match \r in Go
    ['[[:digit:]]+', '#', 'a12b3', 'a#b#'],
    ['\\-+', '_', 'a--b', 'a_b'],
    ['a{', 'b', 'a{', 'b'], // literal brace
    ['[\\w-]+', '_', 'a-b c', '_ _'],
    ['x.', 'E', 'x😀y', 'Ey'], // '.' is one rune, not one UTF-16 unit
    ['.$', '!', 'ab\n', 'ab\n'], // without (?m), $ is only the end of the text
  ];
  for (const [pattern, replacement, text, want] of cases) {
    it(`${pattern} → ${replacement}`, () =>
      assert.equal(replaceAllGo(mustCompileGoRegexp(pattern), text, replacement), want));
  }
});

describe('regexp.MatchString', () => {
  it('is unanchored', () => {
    assert.equal(matchGo(compileGoRegexp('a+'), 'baab'), true);
    assert.equal(matchGo(compileGoRegexp('^a+$'), 'baab'), false);
    assert.equal(matchGo(compileGoRegexp('a\\z'), 'ba'), true);
  });
});

describe('Go-only and unsupported syntax', () => {
  it('rejects Perl look-arounds and back-references as Go does', () => {
    assert.throws(() => compileGoRegexp('a(?=b)'), {
      message: 'error parsing regexp: invalid or unsupported Perl syntax: `(?=`',
    });
    assert.throws(() => compileGoRegexp('(a)\\1'), {
      message: 'error parsing regexp: invalid escape sequence: `\\1`',
    });
    assert.throws(() => compileGoRegexp('[a'), { message: 'error parsing regexp: missing closing ]: `[a`' });
    assert.throws(() => compileGoRegexp('a)'), { message: 'error parsing regexp: unexpected ): `a)`' });
  });
  it('wraps compile errors as regexp.MustCompile panics', () => {
    assert.throws(() => mustCompileGoRegexp('('), {
      message: 'regexp: Compile(`(`): error parsing regexp: missing closing ): `(`',
    });
  });
});
