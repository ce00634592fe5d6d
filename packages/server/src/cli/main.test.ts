import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const MAIN = new URL('./main.ts', import.meta.url).pathname;

function vigil(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

test('--help on the top level and on serve', () => {
  const top = vigil('--help');
  assert.equal(top.status, 0);
  assert.match(top.stdout, /Usage: vigil <command>/);
  assert.match(top.stdout, /serve/);
  const serve = vigil('serve', '--help');
  assert.equal(serve.status, 0);
  assert.match(serve.stdout, /--data DIR/);
  assert.match(serve.stdout, /--config FILE/);
});

test('unknown command and unknown flag exit 2 with one clear line', () => {
  const command = vigil('frobnicate');
  assert.equal(command.status, 2);
  assert.match(command.stderr, /unknown command 'frobnicate'/);
  const flag = vigil('serve', '--bogus');
  assert.equal(flag.status, 2);
  assert.match(flag.stderr, /vigil serve: Unknown option '--bogus'/);
  const endpoint = vigil('serve', '--api', 'not-an-endpoint');
  assert.equal(endpoint.status, 2);
  assert.match(endpoint.stderr, /--api: not an endpoint/);
});

test('an unusable data directory is a clear error, not a stack trace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-cli-'));
  const file = join(dir, 'not-a-dir');
  writeFileSync(file, 'x');
  const run = vigil(
    'serve',
    '--data',
    file,
    '--otlp-grpc',
    '127.0.0.1:0',
    '--otlp-http',
    '127.0.0.1:0',
    '--api',
    '127.0.0.1:0',
  );
  assert.equal(run.status, 1);
  assert.match(run.stderr, /data directory .* (is not a directory|cannot be created)/);
  assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
});

test('a config file with a bad value names the file, line and key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-cli-'));
  const config = join(dir, 'vigil.yaml');
  writeFileSync(
    config,
    'receivers:\n  otlp:\n    protocols:\n      http:\n        endpoint: "localhost:99999"\n',
  );
  const run = vigil('serve', '--config', config);
  assert.equal(run.status, 1);
  assert.match(run.stderr, /vigil\.yaml:5:\d+: receivers\.otlp\.protocols\.http\.endpoint: not an endpoint/);
});
