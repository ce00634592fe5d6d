import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExpositionParseError } from './exposition.ts';
import { parseTextFormat } from './text-parser.ts';

function only(body: string) {
  const { samples } = parseTextFormat(body);
  assert.equal(samples.length, 1);
  const [sample] = samples;
  assert.ok(sample);
  return sample;
}

test('label value escaping: \\\\, \\" and \\n unescape; other escapes stay as written', () => {
  const cases: Array<[string, string]> = [
    ['a\\\\b', 'a\\b'],
    ['say \\"hi\\"', 'say "hi"'],
    ['two\\nlines', 'two\nlines'],
    ['tab\\t', 'tab\\t'],
    ['', ''],
  ];
  for (const [written, expected] of cases) {
    assert.equal(only(`m{l="${written}"} 1\n`).labels.get('l'), expected, written);
  }
});

test('HELP unescapes \\\\ and \\n only; TYPE sets the family type', () => {
  const { families } = parseTextFormat('# HELP m a\\\\b\\nc \\"q\\"\n# TYPE m counter\nm 1\n');
  assert.deepEqual(families, [{ name: 'm', type: 'counter', help: 'a\\b\nc \\"q\\"', unit: '' }]);
});

test('values, special floats and millisecond timestamps', () => {
  const cases: Array<[string, number, number | undefined]> = [
    ['m 1.5', 1.5, undefined],
    ['m -3e3 103948', -3000, 103948],
    ['m NaN', NaN, undefined],
    ['m +Inf -5', Infinity, -5],
    ['m -Inf', -Infinity, undefined],
    ['m\t 2 \t 7 ', 2, 7],
  ];
  for (const [line, value, timestampMs] of cases) {
    const sample = only(`${line}\n`);
    assert.equal(Object.is(sample.value, value) || sample.value === value, true, line);
    assert.equal(sample.timestampMs, timestampMs, line);
  }
});

test('labels include __name__, blanks and a trailing comma are allowed, comments skipped', () => {
  const { samples } = parseTextFormat('# a comment\n\n  name {a = "1" , b="2",} 3\n#no space comment\n');
  assert.deepEqual([...(samples[0]?.labels ?? [])], [['a', '1'], ['b', '2'], ['__name__', 'name']]);
});

test('UTF-8 quoted metric and label names (Prometheus 3 syntax)', () => {
  const sample = only('{"my.metric", "label.x"="v"} 1\n');
  assert.equal(sample.labels.get('__name__'), 'my.metric');
  assert.equal(sample.labels.get('label.x'), 'v');
  const { families } = parseTextFormat('# TYPE "my.metric" gauge\n{"my.metric"} 1\n');
  assert.equal(families[0]?.name, 'my.metric');
});

test('malformed lines throw ExpositionParseError with the line number', () => {
  const cases: Array<[string, number]> = [
    ['ok 1\nm{l="v"} 1 2 3\n', 2],
    ['m 0x1p3\n', 1],
    ['m 1_000\n', 1],
    ['m 1 1.5\n', 1],
    ['m{l=v} 1\n', 1],
    ['m{l="v" 1\n', 1],
    ['m{a="1",a="2"} 1\n', 1],
    ['m{__name__="x"} 1\n', 1],
    ['{l="v"} 1\n', 1],
    ['\n\n# TYPE m bogus\n', 3],
    ['m\n', 1],
  ];
  for (const [body, line] of cases) {
    assert.throws(() => parseTextFormat(body), (error: unknown) => error instanceof ExpositionParseError && error.line === line, body);
  }
});

test('error messages do not echo label values', () => {
  assert.throws(() => parseTextFormat('m{secret="hunter2"} nope\n'), (error: unknown) => error instanceof Error && !error.message.includes('hunter2'));
});
