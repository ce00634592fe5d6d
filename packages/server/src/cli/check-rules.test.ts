import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, mock, test } from 'node:test';
import { skipUnless } from '../test-support/test-requirements.ts';
import { checkRulesCommand } from './check-rules.ts';
import { CliError } from './command.ts';

const GOOD = `groups:
- name: api
  rules:
  - record: job:up:sum
    expr: sum by (job) (up)
  - alert: Down
    expr: up == 0
    annotations:
      runbook_url: https://runbooks/down
`;
const NO_RUNBOOK = `groups:
- name: gpu
  rules:
  - alert: GPUHot
    expr: gpu_temp > 90
`;
const BAD = `groups:
- name: api
  rules:
  - record: job:up:sum
    expr: sum by (job) (up
`;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the command as main.ts would, capturing what it prints. */
async function run(values: Record<string, unknown>): Promise<Run> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const log = mock.method(console, 'log', (line: string) => stdout.push(`${line}\n`));
  const error = mock.method(console, 'error', (line: string) => stderr.push(`${line}\n`));
  try {
    const { positionals, ...flags } = values;
    const code = await checkRulesCommand.run(flags, (positionals as string[] | undefined) ?? []);
    return { code, stdout: stdout.join(''), stderr: stderr.join('') };
  } finally {
    log.mock.restore();
    error.mock.restore();
  }
}

describe('vigil check-rules', () => {
  let dir = '';
  const file = (name: string): string => path.join(dir, name);
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'vigil-check-rules-'));
    writeFileSync(file('good.yml'), GOOD);
    writeFileSync(file('no-runbook.yml'), NO_RUNBOOK);
    writeFileSync(file('bad.yml'), BAD);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a valid file: SUCCESS with the rule count, exit 0', async () => {
    const result = await run({ positionals: [file('good.yml')] });
    assert.deepEqual(result, {
      code: 0,
      stdout: `Checking ${file('good.yml')}\n  SUCCESS: 2 rules found\n\n`,
      stderr: '',
    });
  });

  test('an invalid file: FAILED with file:line:col of the problem, exit 1', async () => {
    const result = await run({ positionals: [file('good.yml'), file('bad.yml')] });
    assert.equal(result.code, 1);
    assert.equal(
      result.stdout,
      `Checking ${file('good.yml')}\n  SUCCESS: 2 rules found\n\nChecking ${file('bad.yml')}\n\n`,
    );
    assert.match(
      result.stderr,
      /^ {2}FAILED:\n.*bad\.yml:5:11: group "api", rule 1, "job:up:sum": could not parse expression: 1:17: parse error: unexpected end of input\n$/,
    );
  });

  test('lint findings print as promtool prints lint errors and pass unless --lint-fatal', async () => {
    const lenient = await run({ positionals: [file('no-runbook.yml')] });
    assert.equal(lenient.code, 0);
    assert.equal(
      lenient.stderr,
      `  FAILED:\nlint error ${file('no-runbook.yml')}:4:12: alerting rule GPUHot has no runbook_url annotation: add one so whoever is paged knows what to do\n`,
    );
    const fatal = await run({ positionals: [file('no-runbook.yml')], 'lint-fatal': true });
    assert.equal(fatal.code, 3);
    const quiet = await run({ positionals: [file('no-runbook.yml')], 'lint-fatal': true, lint: 'none' });
    assert.equal(quiet.code, 0);
    assert.match(quiet.stdout, /SUCCESS: 1 rules found/);
  });

  test('a missing file fails without a stack trace', async () => {
    const result = await run({ positionals: [file('missing.yml')] });
    assert.equal(result.code, 1);
    assert.equal(result.stderr, `  FAILED:\n${file('missing.yml')}: cannot read the rule file (ENOENT)\n`);
  });

  test('no files or a bad --lint mode are usage errors (exit 2)', async () => {
    await assert.rejects(
      run({ positionals: [] }),
      (error: unknown) => error instanceof CliError && error.exitCode === 2,
    );
    await assert.rejects(
      run({ positionals: [file('good.yml')], lint: 'some' }),
      (error: unknown) => error instanceof CliError && error.exitCode === 2,
    );
  });

  test(
    'exit codes equal promtool check rules on the same files',
    { skip: skipUnless('prometheus') },
    async () => {
      for (const name of ['good.yml', 'bad.yml']) {
        const promtool = spawnSync('promtool', ['check', 'rules', file(name)]).status;
        assert.equal((await run({ positionals: [file(name)] })).code, promtool, name);
      }
    },
  );
});
