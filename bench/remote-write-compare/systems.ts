/**
 * The three systems under test, each started as its own process on loopback with a fresh data dir,
 * and each one's own way to put what it received on disk ("fresh") and to compact it ("compacted").
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort } from '../promql-client.ts';
import { startServer, type ServerProcess } from './server-process.ts';
import { waitForVictoriaMerges } from './victoria-merges.ts';

const execFileAsync = promisify(execFile);
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Names accepted by `--only`, in the default running order. */
export const SYSTEM_IDS = ['vigil', 'prometheus', 'victoria'] as const;
export type SystemId = (typeof SYSTEM_IDS)[number];

/** What the compaction step left and where to measure it. */
export interface Compacted {
  dir: string;
  note: string;
  /** Bytes the compacted data occupies inside the files, where that differs from `du` (Vigil). */
  inUseBytes?: number;
}

/** One system under test. */
export interface BenchSystem {
  id: SystemId;
  title: string;
  writePath: string;
  /** Starts the system on a free loopback port with `dataDir` (empty) as its storage. */
  start(dataDir: string, workDir: string): Promise<ServerProcess>;
  version(server: ServerProcess): Promise<string>;
  /** Puts everything acknowledged on disk in the system's normal (uncompacted) form. */
  flush(server: ServerProcess): Promise<void>;
  /** Compacts what was written (may stop the server) and says which directory to measure. */
  compact(server: ServerProcess, dataDir: string): Promise<Compacted>;
}

async function postOk(url: string, method: 'GET' | 'POST' = 'POST'): Promise<string> {
  const response = await fetch(url, { method });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url}: HTTP ${response.status} ${text.slice(0, 200)}`);
  return text;
}

async function buildInfoVersion(server: ServerProcess): Promise<string> {
  const body = (await (await fetch(`${server.baseUrl}/api/v1/status/buildinfo`)).json()) as {
    data?: { version?: unknown };
  };
  return typeof body.data?.version === 'string' ? body.data.version : 'unknown';
}

const vigil: BenchSystem = {
  id: 'vigil',
  title: 'Vigil',
  writePath: '/api/v1/write',
  start: async (dataDir, workDir) => {
    const port = await freePort();
    const main = join(REPO_ROOT, 'packages/server/src/cli/main.ts');
    return startServer({
      name: 'vigil',
      command: process.execPath,
      args: ['--import', 'tsx', main, 'serve', '--data', dataDir, '--api', `127.0.0.1:${port}`].concat([
        '--otlp-grpc',
        'off',
        '--otlp-http',
        'off',
      ]),
      baseUrl: `http://127.0.0.1:${port}`,
      readyPath: '/api/v1/status/buildinfo',
      logPath: join(workDir, 'vigil.log'),
      cwd: REPO_ROOT,
    });
  },
  version: buildInfoVersion,
  // Acknowledged means committed (ADR 0002): the DuckDB file and its WAL already hold everything.
  flush: () => Promise.resolve(),
  compact: async (server, dataDir) => {
    // Vigil compacts a 2 h window on its own only an hour after it ends; no API forces it, so the
    // stopped store is opened by a one-off script that runs the same compaction now.
    await server.stop();
    const script = fileURLToPath(new URL('./vigil-compact.ts', import.meta.url));
    const { stdout } = await execFileAsync(
      process.execPath,
      ['--import', 'tsx', script, join(dataDir, 'vigil.duckdb')],
      {
        cwd: REPO_ROOT,
      },
    );
    const { samplesMoved, usedBytes } = JSON.parse(stdout) as { samplesMoved: number; usedBytes: number };
    const note = `stopped, ${samplesMoved} samples moved to chunk rows, blocks in use counted after a reopen`;
    return { dir: dataDir, note, inUseBytes: usedBytes };
  },
};

const prometheus: BenchSystem = {
  id: 'prometheus',
  title: 'Prometheus',
  writePath: '/api/v1/write',
  start: async (dataDir, workDir) => {
    const port = await freePort();
    const configPath = join(workDir, 'prometheus.yml');
    // No scrape jobs: the TSDB holds the benchmark's series only (no self-scrape either).
    writeFileSync(configPath, 'global:\n  scrape_interval: 15s\nscrape_configs: []\n');
    return startServer({
      name: 'prometheus',
      command: 'prometheus',
      args: [
        '--web.enable-remote-write-receiver',
        '--web.enable-admin-api',
        `--storage.tsdb.path=${dataDir}`,
        `--web.listen-address=127.0.0.1:${port}`,
        `--config.file=${configPath}`,
      ],
      baseUrl: `http://127.0.0.1:${port}`,
      readyPath: '/-/ready',
      logPath: join(workDir, 'prometheus.log'),
    });
  },
  version: buildInfoVersion,
  // The WAL and the memory-mapped head chunks are what a running Prometheus has on disk.
  flush: () => Promise.resolve(),
  compact: async (server, dataDir) => {
    // A snapshot writes the head out as a persistent block (tsdb/db.go Snapshot with withHead).
    const text = await postOk(`${server.baseUrl}/api/v1/admin/tsdb/snapshot`);
    const name = (JSON.parse(text) as { data: { name: string } }).data.name;
    return { dir: join(dataDir, 'snapshots', name), note: `snapshot ${name} (head written as a block)` };
  },
};

const victoria: BenchSystem = {
  id: 'victoria',
  title: 'VictoriaMetrics',
  writePath: '/api/v1/write',
  start: async (dataDir, workDir) => {
    const port = await freePort();
    return startServer({
      name: 'victoria-metrics',
      command: 'victoria-metrics',
      args: ['-storageDataPath', dataDir, '-httpListenAddr', `127.0.0.1:${port}`],
      baseUrl: `http://127.0.0.1:${port}`,
      readyPath: '/health',
      logPath: join(workDir, 'victoria-metrics.log'),
    });
  },
  version: async () => {
    // Debian's build leaves vm_app_version empty; the package version is the one that counts.
    const { stdout } = await execFileAsync('dpkg-query', ['-W', '-f=${Version}', 'victoria-metrics']).catch(
      () => ({ stdout: 'unknown' }),
    );
    return stdout.trim();
  },
  // In-memory parts reach disk every few seconds on their own; force_flush does it now.
  flush: async (server) => void (await postOk(`${server.baseUrl}/internal/force_flush`, 'GET')),
  compact: async (server, dataDir) => {
    // force_merge only starts the merges (in the background); wait for them and a stable size.
    await postOk(`${server.baseUrl}/internal/force_merge`, 'GET');
    const waitedMs = await waitForVictoriaMerges(server.baseUrl, dataDir);
    return { dir: dataDir, note: `force_merge done after ${(waitedMs / 1000).toFixed(1)} s` };
  },
};

/** The systems by id. */
export const SYSTEMS: Record<SystemId, BenchSystem> = { vigil, prometheus, victoria };
