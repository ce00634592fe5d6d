import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchersString, matchesAll, MatcherError, parseMatchers, sortMatchers } from './matchers.ts';

// Inputs from the doc comment and tests of Alertmanager's pkg/labels/parse.go.
const PARSE_CASES: { input: string; expected: [string, string, string][] }[] = [
  {
    input: '{foo = "bar", dings != "bums", }',
    expected: [
      ['foo', '=', 'bar'],
      ['dings', '!=', 'bums'],
    ],
  },
  {
    input: 'foo=bar,dings!=bums',
    expected: [
      ['foo', '=', 'bar'],
      ['dings', '!=', 'bums'],
    ],
  },
  {
    input: '{quote="She said: \\"Hi, ladies! That\'s gender-neutral…\\""}',
    expected: [['quote', '=', 'She said: "Hi, ladies! That\'s gender-neutral…"']],
  },
  { input: 'statuscode=~"5.."', expected: [['statuscode', '=~', '5..']] },
  { input: 'tags=~"a,b"', expected: [['tags', '=~', 'a,b']] },
  { input: 'foo=', expected: [['foo', '=', '']] },
  { input: 'foo="\\n"', expected: [['foo', '=', '\n']] },
  { input: 'foo!~bar.*', expected: [['foo', '!~', 'bar.*']] },
];

test('parseMatchers reads Alertmanager matcher syntax', () => {
  for (const { input, expected } of PARSE_CASES) {
    const parsed = parseMatchers(input).map((m) => [m.name, m.type, m.value]);
    assert.deepEqual(parsed, expected, input);
  }
});

test('parseMatchers refuses malformed matchers', () => {
  for (const input of ['foo', '1abc="x"', 'foo="bar', 'foo="b"ar"', 'foo=~"("']) {
    assert.throws(() => parseMatchers(input), MatcherError, input);
  }
});

test('matching: regexes anchored, absent labels match as empty', () => {
  const cases: [string, Record<string, string>, boolean][] = [
    ['severity=~"page|critical"', { severity: 'page' }, true],
    ['severity=~"page"', { severity: 'pager' }, false],
    ['env!="prod"', {}, true],
    ['env=""', { env: 'x' }, false],
    ['a="1", b!~"x.*"', { a: '1', b: 'yx' }, true],
  ];
  for (const [text, labels, expected] of cases)
    assert.equal(matchesAll(parseMatchers(text), labels), expected, text);
});

test('matchersString and sort follow Alertmanager (route keys)', () => {
  const sorted = sortMatchers(parseMatchers('team="b", severity=~"p", team!="a"'));
  assert.equal(matchersString(sorted), '{severity=~"p",team!="a",team="b"}');
  assert.equal(matchersString(parseMatchers('q="a\\"b"')), '{q="a\\"b"}');
});
