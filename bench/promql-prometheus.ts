/**
 * The reference side of the PromQL benchmark: Debian's Prometheus 2.42 (scripts/ensure-test-packages.sh)
 * loaded by backfilling (`promtool tsdb create-blocks-from openmetrics`) into a temp data dir, then
 * served on a free loopback port with an empty scrape config so nothing but the loaded data is there.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, waitUntilReady } from './promql-client.ts';

export interface RunningPrometheus {
  baseUrl: string;
  version: string;
  close(): Promise<void>;
}

/**
 * Turns an OpenMetrics file into TSDB blocks under `dataDir`. promtool cuts blocks at 2 h
 * boundaries (its default max block duration), so a 2 h range usually gives two blocks.
 */
export async function createBlocks(openMetricsPath: string, dataDir: string): Promise<void> {
  const logPath = join(dataDir, '..', 'promtool.log');
  const args = ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', openMetricsPath, dataDir];
  await runToExit('promtool', args, logPath);
}

/**
 * Starts Prometheus on the blocks in `dataDir` and waits for /-/ready (it loads blocks before that).
 *
 * @example
 * const prometheus = await startPrometheus(dataDir, workDir);
 * try { await fetch(`${prometheus.baseUrl}/api/v1/query?query=up`); } finally { await prometheus.close(); }
 */
export async function startPrometheus(dataDir: string, workDir: string): Promise<RunningPrometheus> {
  const configPath = join(workDir, 'prometheus.yml');
  // No scrape configs: the head stays empty and every query reads the backfilled blocks only.
  writeFileSync(configPath, 'global:\n  scrape_interval: 15s\n');
  const port = await freePort();
  const logPath = join(workDir, 'prometheus.log');
  const log = openSync(logPath, 'w');
  const child = spawn(
    'prometheus',
    [
      `--config.file=${configPath}`,
      `--storage.tsdb.path=${dataDir}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // Size-free, time-based retention counts back from the newest block; keep everything loaded.
      '--storage.tsdb.retention.time=3650d',
    ],
    { stdio: ['ignore', log, log] },
  );
  closeSync(log);
  const exited = exitOf(child);
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await Promise.race([
      waitUntilReady(`${baseUrl}/-/ready`, 120_000),
      exited.then((code) => Promise.reject(new Error(`prometheus exited with ${code}`))),
    ]);
  } catch (error: unknown) {
    child.kill('SIGKILL');
    throw new Error(`prometheus did not become ready; log tail:\n${tail(logPath)}`, { cause: error });
  }
  return {
    baseUrl,
    version: await buildVersion(baseUrl),
    close: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function buildVersion(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/v1/status/buildinfo`);
  const body: unknown = await response.json();
  const data = typeof body === 'object' && body !== null && 'data' in body ? body.data : undefined;
  const version = typeof data === 'object' && data !== null && 'version' in data ? data.version : undefined;
  return typeof version === 'string' ? version : 'unknown';
}

function runToExit(command: string, args: string[], logPath: string): Promise<void> {
  const log = openSync(logPath, 'w');
  const child = spawn(command, args, { stdio: ['ignore', log, log] });
  closeSync(log);
  return exitOf(child).then((code) => {
    if (code !== 0) throw new Error(`${command} exited with ${code}; log tail:\n${tail(logPath)}`);
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve(code));
  });
}

function tail(path: string): string {
  return readFileSync(path, 'utf8').split('\n').slice(-20).join('\n');
}
