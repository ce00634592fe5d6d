import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CliError } from './command.ts';
import { reportConfigNotes } from './serve.ts';

const SEED = fileURLToPath(new URL('../config/collector/testdata/seed-collector.yaml', import.meta.url));

void test("start-up: the seed's Collector config gets one message naming what will not run, with lines", () => {
  const lines: string[] = [];
  reportConfigNotes(SEED, (line) => lines.push(line));
  assert.equal(lines.length, 1);
  const [message = ''] = lines;
  assert.match(
    message,
    /^config: \d+ note\(s\) — parts of .*seed-collector\.yaml that will not run as written:/,
  );
  assert.match(message, /seed-collector\.yaml:14:\d+: .*kubernetes_sd_configs cannot discover targets/);
  // Everything else in it runs; scraped samples skip the metrics pipeline's processors and exporters.
  assert.match(message, /seed-collector\.yaml:67:\d+: .*receiver prometheus: scraped samples are stored as scraped/);
  assert.doesNotMatch(message, /not supported|tail_sampling|otlp\/tempo/);
});

void test('start-up: a pipeline naming an undefined processor stops Vigil with its line', () => {
  const broken = readFileSync(SEED, 'utf8').replace(
    '[memory_limiter, tail_sampling, batch]',
    '[memory_limiter, tail_samplingx, batch]',
  );
  const path = join(mkdtempSync(join(tmpdir(), 'vigil-serve-config-')), 'broken.yaml');
  writeFileSync(path, broken);
  assert.throws(
    () => reportConfigNotes(path, () => {}),
    (error: unknown) =>
      error instanceof CliError &&
      /broken\.yaml:\d+:\d+: .*undefined processor "tail_samplingx"/.test(error.message),
  );
});
