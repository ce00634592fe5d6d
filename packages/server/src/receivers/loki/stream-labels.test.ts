import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LokiDecodeError } from './push-request.ts';
import { parseStreamLabels } from './stream-labels.ts';

describe('parseStreamLabels', () => {
  const valid: [text: string, expected: [string, string][]][] = [
    ['{job="api"}', [['job', 'api']]],
    [
      ' { job = "api" , level="info" } ',
      [
        ['job', 'api'],
        ['level', 'info'],
      ],
    ],
    ['{a="q\\"uote\\\\d\\n"}', [['a', 'q"uote\\d\n']]],
    ['{a=`raw\\n`}', [['a', 'raw\\n']]],
    ['{a="\\u00e9\\x41"}', [['a', 'éA']]],
    ['{a=""}', [['a', '']]],
  ];
  for (const [text, expected] of valid) {
    it(`parses ${text}`, () => assert.deepEqual(parseStreamLabels(text), expected));
  }

  const invalid: [text: string, message: RegExp][] = [
    ['', /expected "\{" at offset 0/],
    ['{}', /at least one label pair/],
    ['job="api"', /expected "\{"/],
    ['{job="api"', /expected ","/],
    ['{job="api"} x', /unexpected text/],
    ['{job=api}', /expected a quoted label value/],
    ['{job!="api"}', /expected "="/],
    ['{1job="api"}', /expected a label name/],
    ['{job="api", job="web"}', /duplicate label name/],
    ['{job="a\\q"}', /invalid escape/],
    ['{job="open}', /unterminated string/],
  ];
  for (const [text, message] of invalid) {
    it(`rejects ${JSON.stringify(text)}`, () =>
      assert.throws(
        () => parseStreamLabels(text),
        (error: unknown) => {
          assert.ok(error instanceof LokiDecodeError);
          assert.match(error.message, message);
          // Errors name offsets, never the payload's values.
          assert.doesNotMatch(error.message, /api|web/);
          return true;
        },
      ));
  }
});
