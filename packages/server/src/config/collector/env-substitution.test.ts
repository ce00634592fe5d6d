import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzeCollectorConfig } from './analyze-collector-config.ts';
import { substituteEnv } from './env-substitution.ts';

const ENV = { HOST: 'otel', PORT: '4317', EMPTY: '' };

describe('substituteEnv', () => {
  const cases: { name: string; text: string; expected: string }[] = [
    { name: 'env scheme', text: 'endpoint: ${env:HOST}:4317', expected: 'endpoint: otel:4317' },
    { name: 'default scheme is env', text: '${HOST}:${PORT}', expected: 'otel:4317' },
    { name: 'default used when unset', text: '${env:MISSING:-0.0.0.0}', expected: '0.0.0.0' },
    { name: 'default ignored when set', text: '${env:HOST:-other}', expected: 'otel' },
    { name: 'empty default', text: 'a${env:MISSING:-}b', expected: 'ab' },
    { name: 'set but empty is not unset', text: '[${env:EMPTY:-x}]', expected: '[]' },
    { name: '$$ is a literal $', text: 'price: $$5', expected: 'price: $5' },
    { name: '$$ escapes a reference', text: '$${env:HOST}', expected: '${env:HOST}' },
    { name: 'bare $NAME is literal', text: '$HOST and $', expected: '$HOST and $' },
    { name: 'unclosed brace is literal', text: 'a ${env:HOST', expected: 'a ${env:HOST' },
  ];
  for (const { name, text, expected } of cases) {
    test(name, () => assert.deepEqual(substituteEnv(text, ENV), { text: expected, problems: [] }));
  }

  const failures: { name: string; text: string; line: number; column: number; message: RegExp }[] = [
    {
      name: 'unset variable',
      text: 'a: 1\nb: x ${env:NOPE}',
      line: 2,
      column: 6,
      message: /"NOPE" is not set/,
    },
    { name: 'unset, default scheme', text: '${NOPE}', line: 1, column: 1, message: /"NOPE" is not set/ },
    { name: 'invalid name', text: '${env:1BAD}', line: 1, column: 1, message: /"1BAD" has an invalid name/ },
    {
      name: 'other config source',
      text: '${file:/etc/x}',
      line: 1,
      column: 1,
      message: /config source "file"/,
    },
    { name: 'nested reference', text: '${env:A:-${env:B}}', line: 1, column: 1, message: /nested/ },
  ];
  for (const { name, text, line, column, message } of failures) {
    test(`problem: ${name}`, () => {
      const [problem, ...rest] = substituteEnv(text, ENV).problems;
      assert.equal(rest.length, 0);
      assert.ok(problem);
      assert.deepEqual({ line: problem.line, column: problem.column }, { line, column });
      assert.match(problem.message, message);
    });
  }
});

describe('env references in a config', () => {
  const config = (endpoint: string): string =>
    `receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: ${endpoint}\nservice:\n  pipelines:\n    traces:\n      receivers: [otlp]\n      exporters: [otlp]\nexporters:\n  otlp:\n`;

  test('an unset variable is an error at its value, naming the variable', () => {
    const { errors } = analyzeCollectorConfig(config('${env:OTLP_HOST}:4317'), {});
    assert.deepEqual(
      errors.map((e) => [e.line, e.column, e.keyPath]),
      [[5, 19, 'receivers.otlp.protocols.grpc.endpoint']],
    );
    assert.match(errors[0]?.message ?? '', /"OTLP_HOST" is not set/);
  });

  test('a set variable or a default expands without problems', () => {
    assert.deepEqual(analyzeCollectorConfig(config('${env:OTLP_HOST}:4317'), { OTLP_HOST: 'h' }).errors, []);
    assert.deepEqual(analyzeCollectorConfig(config('${env:OTLP_HOST:-0.0.0.0}:4317'), {}).errors, []);
  });
});
