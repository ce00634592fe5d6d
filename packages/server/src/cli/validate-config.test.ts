import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, mock, test } from 'node:test';
import { CliError } from './command.ts';
import { validateConfigCommand, validateConfigFiles } from './validate-config.ts';

const SEED = new URL('../config/collector/testdata/seed-collector.yaml', import.meta.url);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the check as main.ts would, capturing what it prints. */
async function run(files: string[], env: Record<string, string> = {}): Promise<Run> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const log = mock.method(console, 'log', (line: string) => stdout.push(`${line}\n`));
  const error = mock.method(console, 'error', (line: string) => stderr.push(`${line}\n`));
  try {
    const code = await validateConfigFiles(files, env);
    return { code, stdout: stdout.join(''), stderr: stderr.join('') };
  } finally {
    log.mock.restore();
    error.mock.restore();
  }
}

describe('vigil validate-config', () => {
  let dir = '';
  const file = (name: string): string => path.join(dir, name);
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'vigil-validate-config-'));
    copyFileSync(SEED, file('seed.yaml'));
    writeFileSync(
      file('undefined.yaml'),
      'receivers:\n  otlp:\nexporters:\n  otlp:\nservice:\n  pipelines:\n    traces:\n      receivers: [otlp]\n      processors: [batch]\n      exporters: [otlp]\n',
    );
    writeFileSync(
      file('bad-endpoint.yaml'),
      'receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: ${env:GRPC}\n',
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('the seed config: notes only, exit 0', async () => {
    const result = await run([file('seed.yaml')]);
    assert.equal(result.code, 0);
    assert.equal(result.stderr, '');
    const lines = result.stdout.trimEnd().split('\n');
    assert.equal(lines[0], `Checking ${file('seed.yaml')}`);
    assert.match(
      lines[1] ?? '',
      /^ {2}note: .*seed\.yaml:14:11: .*kubernetes_sd_configs cannot discover targets/,
    );
    assert.equal(lines.at(-1), '  SUCCESS: 0 errors, 2 notes');
  });

  test('an undefined processor: error with its line on stderr, exit 1', async () => {
    const result = await run([file('seed.yaml'), file('undefined.yaml')]);
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr,
      `  error: ${file('undefined.yaml')}:9:20: service.pipelines.traces: references undefined processor "batch"\n`,
    );
    assert.match(result.stdout, /SUCCESS: 0 errors, 2 notes\n.*\n {2}FAILED: 1 error, 0 notes\n$/s);
  });

  test("serve's loader runs on the env-expanded file", async () => {
    const unset = await run([file('bad-endpoint.yaml')]);
    assert.equal(unset.code, 1);
    assert.match(
      unset.stderr,
      /bad-endpoint\.yaml:5:19: receivers\.otlp\.protocols\.grpc\.endpoint: environment variable "GRPC" is not set/,
    );
    const invalid = await run([file('bad-endpoint.yaml')], { GRPC: 'no-port' });
    assert.equal(invalid.code, 1);
    assert.match(
      invalid.stderr,
      /^ {2}error: .*bad-endpoint\.yaml:5:19: receivers\.otlp\.protocols\.grpc\.endpoint: /,
    );
    const good = await run([file('bad-endpoint.yaml')], { GRPC: '0.0.0.0:4317' });
    assert.equal(good.code, 0, good.stderr);
  });

  test('an unreadable file fails without a stack trace', async () => {
    const result = await run([file('missing.yaml')]);
    assert.equal(result.code, 1);
    assert.equal(result.stderr, `  error: ${file('missing.yaml')}: cannot read the config file (ENOENT)\n`);
  });

  test('no file is a usage error (exit 2)', async () => {
    await assert.rejects(
      validateConfigCommand.run({}, []),
      (error: unknown) => error instanceof CliError && error.exitCode === 2,
    );
  });
});
