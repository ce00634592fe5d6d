import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { startTestVigil } from '../app/e2e-support.ts';
import type { RunningVigil } from '../app/start-vigil.ts';

const MAIN = new URL('./main.ts', import.meta.url).pathname;
const run = promisify(execFile);

let vigil: RunningVigil;
before(async () => {
  vigil = await startTestVigil();
  const nowMs = Date.now();
  const perUser = Array.from({ length: 12 }, (_, i) => ({
    labels: new Map([
      ['__name__', 'ml_predictions_total'],
      ['user_id', `u${i}`],
    ]),
    timestampsMs: Float64Array.of(nowMs),
    values: Float64Array.of(1),
  }));
  await vigil.store.writeSamples(perUser);
});
after(() => vigil.close());

test('vigil cardinality names the metric and the label driving series growth', async () => {
  const api = `http://127.0.0.1:${vigil.ports.api}`;
  const { stdout } = await run(process.execPath, [
    '--import',
    'tsx',
    MAIN,
    'cardinality',
    '--api',
    api,
    '--limit',
    '3',
  ]);
  assert.match(stdout, /^series: 12$/m);
  assert.match(stdout, /^ {2}ml_predictions_total +12$/m);
  assert.match(stdout, /^ {2}ml_predictions_total: user_id +12$/m);
});

test('vigil cardinality without a reachable API is one clear error', async () => {
  await assert.rejects(
    run(process.execPath, ['--import', 'tsx', MAIN, 'cardinality', '--api', 'http://127.0.0.1:9']),
    (error: { code?: number; stderr?: string }) =>
      error.code === 1 && /cannot reach Vigil's API/.test(error.stderr ?? ''),
  );
});
