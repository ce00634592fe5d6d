import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { goFloat, goSlice, goString, goTime, sliceOf, GO } from '../../templates/go/go-values.ts';
import { casesTitle, queryUnescape } from './am-funcs.ts';
import { kvValue } from './am-types.ts';
import { goJson } from './go-json.ts';
import { formatZoned, loadLocation, zonedTime } from './zoned-time.ts';

describe('cases.Title (x/text), unlike strings.Title, lower-cases the rest of a word', () => {
  const cases: [string, string][] = [
    ['hello world', 'Hello World'],
    ['HELLO wORLD', 'Hello World'],
    ['gpu-node_1 down', 'Gpu-Node_1 Down'],
    ["don't stop", "Don't Stop"],
    ['123abc', '123Abc'],
    ['élan vital', 'Élan Vital'],
  ];
  for (const [input, want] of cases) it(input, () => assert.equal(casesTitle(input), want));
});

describe('url.QueryUnescape', () => {
  it('decodes + and %XX (UTF-8)', () => assert.equal(queryUnescape('a+b%2Fc%C3%A9'), 'a b/cé'));
  it('rejects a bad escape as Go words it', () =>
    assert.throws(() => queryUnescape('50%zz'), /^GoFuncError: invalid URL escape "%zz"$/));
});

describe('json.Marshal', () => {
  const cases: [string, Parameters<typeof goJson>[0], string][] = [
    [
      'sorted map keys, HTML-escaped strings',
      kvValue({ b: '<1>', a: 'x&y' }),
      '{"a":"x\\u0026y","b":"\\u003c1\\u003e"}',
    ],
    ['control characters and line separators', goString('a\nb\u0001\u2028'), '"a\\nb\\u0001\\u2028"'],
    [
      'floats as Go writes them',
      goSlice(sliceOf(GO.float64), [goFloat(1e21), goFloat(1e-7), goFloat(0.5)]),
      '[1e+21,1e-7,0.5]',
    ],
    ['nil slice is null', { kind: 'slice', type: sliceOf(GO.string), value: null }, 'null'],
    ['time.Time as RFC 3339', goTime(1_714_564_800_123_000_000n), '"2024-05-01T12:00:00.123Z"'],
    [
      'a zoned time keeps its offset',
      zonedTime(1_714_564_800_000_000_000n, 'Asia/Kolkata'),
      '"2024-05-01T17:30:00+05:30"',
    ],
  ];
  for (const [name, value, want] of cases) it(name, () => assert.equal(goJson(value), want));
  it('NaN is an error', () => assert.throws(() => goJson(goFloat(NaN)), /json: unsupported value: NaN/));
});

describe('time zones for tz', () => {
  const t = 1_704_110_400_000_000_000n; // 2024-01-01T12:00:00Z
  it('formats the wall clock, offset and abbreviation of the zone', () => {
    assert.equal(
      formatZoned(t, 'Europe/Berlin', '2006-01-02 15:04:05 -0700 MST'),
      '2024-01-01 13:00:00 +0100 CET',
    );
    assert.equal(formatZoned(t, 'America/Los_Angeles', '15:04 Z07:00 MST'), '04:00 -08:00 PST');
    assert.equal(formatZoned(t, 'UTC', '15:04 Z07:00 MST'), '12:00 Z UTC');
  });
  it('loads IANA names and refuses unknown ones', () => {
    assert.equal(loadLocation(''), 'UTC');
    assert.equal(loadLocation('Asia/Tokyo'), 'Asia/Tokyo');
    assert.throws(() => loadLocation('Nowhere/City'), /unknown time zone Nowhere\/City/);
    assert.throws(() => loadLocation('europe/berlin'), /unknown time zone europe\/berlin/);
  });
});
