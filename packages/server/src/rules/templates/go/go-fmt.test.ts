import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatFloat } from './go-float-format.ts';
import { sprint, sprintf, sprintln } from './go-fmt.ts';
import {
  GO,
  goBool,
  goFloat,
  goInt,
  goPtr,
  goString,
  goStringMap,
  goTime,
  INVALID,
  type GoValue,
} from './go-values.ts';

/** Go's fmt and strconv.FormatFloat; expected strings are what Go prints. */

describe('strconv.FormatFloat', () => {
  const cases: readonly [number, string, number, string][] = [
    [1e6, 'g', -1, '1e+06'],
    [0.5, 'g', -1, '0.5'],
    [123456, 'g', -1, '123456'],
    [1234567, 'g', -1, '1.234567e+06'],
    [0.0001, 'g', -1, '0.0001'],
    [0.00001, 'g', -1, '1e-05'],
    [-0, 'g', -1, '-0'],
    [5e-324, 'g', -1, '5e-324'],
    [12.345, 'g', 4, '12.35'], // the double is 12.3450000000000006…
    [1.2345, 'g', 4, '1.234'], // the double is 1.2344999999999999…
    [1, 'g', 4, '1'],
    [0, 'g', 4, '0'],
    [1234567, 'g', 4, '1.235e+06'],
    [0.125, 'f', 2, '0.12'], // exact tie: half to even
    [0.375, 'f', 2, '0.38'],
    [2.5, 'f', 0, '2'],
    [0.6, 'f', 0, '1'],
    [3720.01, 'f', 2, '3720.01'],
    [1, 'e', 6, '1.000000e+00'],
    [1e21, 'f', -1, '1000000000000000000000'],
    [1, 'b', -1, '4503599627370496p-52'],
    [3.5, 'x', -1, '0x1.cp+01'],
    [NaN, 'g', -1, 'NaN'],
    [-Infinity, 'e', 3, '-Inf'],
  ];
  for (const [x, verb, prec, want] of cases)
    it(`${x} ${verb} ${prec}`, () => assert.equal(formatFloat(x, verb, prec), want));
});

describe('fmt.Sprintf', () => {
  const duration = goInt(90_000_000_000n, GO.duration);
  const cases: readonly [string, GoValue[], string][] = [
    ['%0.2f', [goFloat(3720.01)], '3720.01'],
    ['%s', [goInt(5)], '%!s(int=5)'],
    ['%d', [goString('x')], '%!d(string=x)'],
    ['%d %d', [goInt(1)], '1 %!d(MISSING)'],
    ['%d', [goInt(1), goInt(2)], '1%!(EXTRA int=2)'],
    ['%5s|%-5s|%05s', [goString('ab'), goString('ab'), goString('ab')], '   ab|ab   |000ab'],
    [
      '%05d|%+d|% d|%x|%X|%#x|%o|%b',
      [-42, 5, 5, 255, 255, 255, 8, 5].map((n) => goInt(n)),
      '-0042|+5| 5|ff|FF|0xff|10|101',
    ],
    ['%v %t', [goStringMap({ b: '2', a: '1' }), goBool(true)], 'map[a:1 b:2] true'],
    ['%q %+q', [goString('a"b\n'), goString('é')], '"a\\"b\\n" "\\u00e9"'],
    [
      '%8.3f|%-8.3f|%08.3f|%+.1e',
      [3.14159, 3.14159, -3.14159, 12345].map(goFloat),
      '   3.142|3.142   |-003.142|+1.2e+04',
    ],
    ['%v|%s', [INVALID, INVALID], '<nil>|%!s(<nil>)'],
    ['100%%', [], '100%'],
    ['%', [], '%!(NOVERB)'],
    ['%[2]d %[1]d', [goInt(1), goInt(2)], '2 1'],
    ['%[3]d', [goInt(1)], '%!d(BADINDEX)'],
    ['%*d|%-*d|', [goInt(5), goInt(3), goInt(3), goInt(7)], '    3|7  |'],
    ['%T %T %T', [goFloat(1), goStringMap({}), INVALID], 'float64 map[string]string <nil>'],
    ['%.3s|%.1q', [goString('héllo'), goString('héllo')], 'hél|"h"'],
    ['%c %q %U %#U', [65, 65, 0x1f600, 0x41].map((n) => goInt(n)), "A 'A' U+1F600 U+0041 'A'"],
    ['%x % X', [goString('hi'), goString('hi')], '6869 68 69'],
    ['%g %G %e', [goFloat(0.000012), goFloat(1e-7), goFloat(0)], '1.2e-05 1E-07 0.000000e+00'],
    ['%5.1f%%', [goFloat(99.95)], '100.0%'],
    ['%6.2v|%v|%+v', [goFloat(3.14159), goFloat(-Infinity), goFloat(Infinity)], '   3.1|-Inf|+Inf'],
    ['%05v|% v', [goFloat(NaN), goFloat(NaN)], '  NaN| NaN'],
    ['%v %d %s', [duration, duration, duration], '1m30s 90000000000 1m30s'],
    ['%v', [goTime(1435065584128000000n)], '2015-06-23 13:19:44.128 +0000 UTC'],
    ['%v', [goPtr(GO.timePtr, goTime(0n))], '1970-01-01 00:00:00 +0000 UTC'],
    ['%z', [goInt(1)], '%!z(int=1)'],
    ['%!', [], '%!!(MISSING)'],
    ['%.0d|%5.0d|', [goInt(0), goInt(0)], '|     |'],
    ['%x', [goInt(-255)], '-ff'],
  ];
  for (const [format, args, want] of cases) it(format, () => assert.equal(sprintf(format, args), want));
});

describe('fmt.Sprint and Sprintln', () => {
  it('adds spaces only between non-string operands', () => {
    assert.equal(
      sprint([goInt(1), goInt(2), goString('a'), goInt(3), goString('b'), goString('c')]),
      '1 2a3bc',
    );
  });
  it('Sprintln separates all operands and ends the line', () => {
    assert.equal(sprintln([goInt(1), goString('a'), INVALID]), '1 a <nil>\n');
  });
});
