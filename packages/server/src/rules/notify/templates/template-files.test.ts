import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { NotificationConfigError, parseNotificationConfig } from '../parse-notify-config.ts';
import { globFiles, segmentRegExp } from '../../../config/go-glob.ts';

const dir = mkdtempSync(join(tmpdir(), 'vigil-templates-'));
after(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'tmpl', 'sub'), { recursive: true });
writeFileSync(join(dir, 'tmpl', 'b.tmpl'), '{{ define "team.b" }}B {{ .Status }}{{ end }}');
writeFileSync(join(dir, 'tmpl', 'a.tmpl'), '{{ define "team.a" }}A{{ end }}');
writeFileSync(join(dir, 'tmpl', 'notes.txt'), 'not a template {{');
writeFileSync(join(dir, 'tmpl', 'sub', 'c.tmpl'), '{{ define "team.c" }}C{{ end }}');
mkdirSync(join(dir, 'broken'));
writeFileSync(join(dir, 'broken', 'bad.tmpl'), '{{ define "x" }}\n{{ if }}{{ end }}\n{{ end }}');

describe('path.Match patterns', () => {
  const cases: [pattern: string, name: string, matches: boolean][] = [
    ['*.tmpl', 'slack.tmpl', true],
    ['*.tmpl', 'slack.txt', false],
    ['?.tmpl', 'a.tmpl', true],
    ['?.tmpl', 'ab.tmpl', false],
    ['[ab].tmpl', 'b.tmpl', true],
    ['[^ab].tmpl', 'b.tmpl', false],
    ['[a-c]x', 'bx', true],
    ['[a-c]x', 'dx', false],
    ['\\*.tmpl', '*.tmpl', true],
    ['\\*.tmpl', 'a.tmpl', false],
    ['a.b', 'axb', false],
  ];
  for (const [pattern, name, matches] of cases) {
    it(`${pattern} ${matches ? 'matches' : 'does not match'} ${name}`, () => {
      assert.equal(segmentRegExp(pattern).test(name), matches);
    });
  }
  for (const bad of ['[', '[]', '[-a]', '[a-]', 'x\\']) {
    it(`${bad} is a bad pattern`, () => {
      assert.throws(() => segmentRegExp(bad), /syntax error in pattern/);
    });
  }
});

describe('filepath.Glob', () => {
  it('matches files of a directory in name order, and directory wildcards', () => {
    assert.deepEqual(globFiles(join(dir, 'tmpl', '*.tmpl')), [
      join(dir, 'tmpl', 'a.tmpl'),
      join(dir, 'tmpl', 'b.tmpl'),
    ]);
    assert.deepEqual(globFiles(join(dir, 't*', '*', '*.tmpl')), [join(dir, 'tmpl', 'sub', 'c.tmpl')]);
    assert.deepEqual(globFiles(join(dir, 'tmpl', 'a.tmpl')), [join(dir, 'tmpl', 'a.tmpl')]);
    assert.deepEqual(globFiles(join(dir, 'nowhere', '*.tmpl')), []);
  });
});

describe('templates: in the notification config', () => {
  const configText = (globs: string): string =>
    `templates: ${globs}\nroute: { receiver: r }\nreceivers: [{ name: r }]\n`;

  it('loads the matched files relative to the config file, over the defaults', () => {
    const config = parseNotificationConfig(
      configText(`['tmpl/*.tmpl', '${join(dir, 'tmpl', 'sub', '*.tmpl')}', 'none/*.tmpl']`),
      join(dir, 'am.yml'),
    );
    assert.deepEqual(config.templates.fileNames, ['a.tmpl', 'b.tmpl', 'c.tmpl']);
    for (const name of ['team.a', 'team.b', 'team.c', 'slack.default.title'])
      assert.ok(config.templates.has(name), name);
    assert.ok(!config.templates.has('notes.txt'));
  });

  it('without templates: the defaults only', () => {
    const config = parseNotificationConfig(configText('[]'), join(dir, 'am.yml'));
    assert.deepEqual(config.templates.fileNames, []);
    assert.ok(config.templates.has('__subject'));
  });

  it('a template file that does not parse is a config error naming both files', () => {
    assert.throws(
      () => parseNotificationConfig(configText("['broken/*.tmpl']"), join(dir, 'am.yml')),
      (error: unknown) => {
        assert.ok(error instanceof NotificationConfigError);
        assert.match(
          error.message,
          /^.*am\.yml:1: templates: bad\.tmpl: template: bad\.tmpl:2: missing value for if$/,
        );
        return true;
      },
    );
  });

  it('a bad glob is a config error', () => {
    assert.throws(
      () => parseNotificationConfig(configText("['tmpl/[.tmpl']"), join(dir, 'am.yml')),
      /am\.yml:1: templates: tmpl\/\[\.tmpl: syntax error in pattern/,
    );
  });
});
