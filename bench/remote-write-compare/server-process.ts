/**
 * One system under test as its own child process on loopback: started with its log in a file,
 * ready once its readiness URL answers 200, stopped with SIGTERM (SIGKILL after a grace period).
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { waitUntilReady } from '../promql-client.ts';

const READY_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 60_000;

/** How to start one server. */
export interface ServerSpec {
  name: string;
  command: string;
  args: string[];
  baseUrl: string;
  /** Path under baseUrl answering 200 once the server accepts writes. */
  readyPath: string;
  logPath: string;
  cwd?: string;
}

/** A started server. */
export interface ServerProcess {
  name: string;
  pid: number;
  baseUrl: string;
  logPath: string;
  /** SIGTERM, then SIGKILL after a grace period; resolves once the process is gone. */
  stop(): Promise<void>;
}

/** Starts `spec` and waits for readiness; on failure the process is killed and its log tail thrown. */
export async function startServer(spec: ServerSpec): Promise<ServerProcess> {
  const log = openSync(spec.logPath, 'w');
  const child = spawn(spec.command, spec.args, { cwd: spec.cwd, stdio: ['ignore', log, log] });
  closeSync(log);
  let running = true;
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      running = false;
      resolve(code);
    });
  });
  const stop = async (): Promise<void> => {
    if (!running) return;
    child.kill('SIGTERM');
    const killTimer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(killTimer);
  };
  try {
    await Promise.race([
      waitUntilReady(`${spec.baseUrl}${spec.readyPath}`, READY_TIMEOUT_MS),
      exited.then((code) => Promise.reject(new Error(`${spec.name} exited with ${code}`))),
    ]);
  } catch (error: unknown) {
    child.kill('SIGKILL');
    throw new Error(`${spec.name} did not become ready; log tail:\n${logTail(spec.logPath)}`, {
      cause: error,
    });
  }
  if (child.pid === undefined) throw new Error(`${spec.name} has no pid`);
  return { name: spec.name, pid: child.pid, baseUrl: spec.baseUrl, logPath: spec.logPath, stop };
}

/** The last lines of a log file, for error messages. */
export function logTail(path: string, lines = 20): string {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
