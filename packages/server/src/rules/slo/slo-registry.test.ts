import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { parseSloSpec } from './parse-slo-spec.ts';
import { SLO_STORE_FILE, SloRegistry, SloRegistryError } from './slo-registry.ts';
import type { SloSpec } from './slo-spec.ts';

function spec(name: string, objective = 99.9): SloSpec {
  return parseSloSpec({ name, objective, spans: { service: name } });
}

async function rejectsWith(promise: Promise<unknown>, kind: SloRegistryError['kind']): Promise<void> {
  await assert.rejects(promise, (error: unknown) => error instanceof SloRegistryError && error.kind === kind);
}

describe('SloRegistry', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-slo-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  test('API SLOs persist across a reopen; config SLOs come first and are not stored', async () => {
    const changes: string[][] = [];
    const registry = await SloRegistry.open({
      dir,
      configSlos: [spec('from-config')],
      onChange: (slos) => changes.push(slos.map((s) => s.name)),
    });
    assert.deepEqual(await registry.put(spec('a')), { created: true });
    assert.deepEqual(await registry.put(spec('b')), { created: true });
    assert.deepEqual(await registry.put(spec('a', 99)), { created: false });
    await registry.delete('b');
    assert.deepEqual(changes, [
      ['from-config', 'a'],
      ['from-config', 'a', 'b'],
      ['from-config', 'a', 'b'],
      ['from-config', 'a'],
    ]);

    const reopened = await SloRegistry.open({ dir, configSlos: [spec('from-config')] });
    assert.deepEqual(
      reopened.entries().map((entry) => [entry.spec.name, entry.source, entry.spec.objectiveRatio]),
      [
        ['from-config', 'config', 0.999],
        ['a', 'api', 0.99],
      ],
    );
    const stored = JSON.parse(await readFile(join(dir, SLO_STORE_FILE), 'utf8')) as {
      slos: { name: string }[];
    };
    assert.deepEqual(
      stored.slos.map((s) => s.name),
      ['a'],
    );
    assert.equal(reopened.ruleGroups().length, 2);
  });

  test('config SLOs cannot be replaced or deleted; unknown names are not found', async () => {
    const registry = await SloRegistry.open({ dir, configSlos: [spec('from-config')] });
    await rejectsWith(registry.put(spec('from-config')), 'conflict');
    await rejectsWith(registry.delete('from-config'), 'conflict');
    await rejectsWith(registry.delete('nope'), 'not_found');
  });

  test('the number of API SLOs is bounded; replacing one at the limit still works', async () => {
    const registry = await SloRegistry.open({ dir, maxApiSlos: 2 });
    await registry.put(spec('a'));
    await registry.put(spec('b'));
    await rejectsWith(registry.put(spec('c')), 'limit');
    assert.deepEqual(await registry.put(spec('b', 99)), { created: false });
    assert.deepEqual(
      registry.specs().map((s) => s.name),
      ['a', 'b'],
    );
  });

  test('stored SLOs that no longer validate or that the config now declares are skipped and logged', async () => {
    const slos = [
      { name: 'ok', objective: 0.99, spans: { service: 'x' } },
      { name: 'bad', objective: 500 },
      { name: 'taken', objective: 0.9, spans: { service: 'y' } },
    ];
    await writeFile(join(dir, SLO_STORE_FILE), JSON.stringify({ version: 1, slos }));
    const lines: string[] = [];
    const registry = await SloRegistry.open({
      dir,
      configSlos: [spec('taken')],
      log: (line) => lines.push(line),
    });
    assert.deepEqual(
      registry.entries().map((e) => `${e.spec.name}:${e.source}`),
      ['taken:config', 'ok:api'],
    );
    assert.deepEqual(lines, [
      `slo: stored SLO skipped: ${SLO_STORE_FILE}: slos.1.objective: expected a ratio in (0, 1) such as 0.999 or a percentage in (1, 100) such as 99.9`,
      'slo: stored SLO taken skipped: the config declares it',
    ]);
  });

  test('a corrupt store file stops the start instead of silently dropping SLOs', async () => {
    await writeFile(join(dir, SLO_STORE_FILE), '{"slos": [');
    await assert.rejects(SloRegistry.open({ dir }), /slos\.json: not valid JSON/);
  });

  test('concurrent changes are applied one at a time and all persist', async () => {
    const registry = await SloRegistry.open({ dir });
    await Promise.all(['a', 'b', 'c', 'd'].map((name) => registry.put(spec(name))));
    const reopened = await SloRegistry.open({ dir });
    assert.deepEqual(
      reopened.specs().map((s) => s.name),
      ['a', 'b', 'c', 'd'],
    );
  });

  test('without a directory SLOs live in memory only', async () => {
    const registry = await SloRegistry.open();
    await registry.put(spec('a'));
    assert.equal(registry.get('a')?.source, 'api');
    assert.equal(registry.get('missing'), undefined);
  });
});
