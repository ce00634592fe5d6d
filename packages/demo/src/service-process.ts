/**
 * Starts and stops the service processes. Each is `node --import tsx services/<script>.ts` with an IPC
 * channel; it reports its port with a `ready` message. Stopping sends SIGTERM (the child flushes its
 * telemetry) and SIGKILLs whatever has not exited after a grace period; a process-exit hook kills any
 * child still alive, so none outlives the orchestrator.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseReadyMessage, type ParentMessage } from './protocol.ts';

export interface ServiceProcess {
  key: string;
  port: number;
  child: ChildProcess;
  send(message: ParentMessage): void;
}

export interface ServiceSpec {
  /** Unique process key, e.g. "fraud-model-v3.2". */
  key: string;
  /** File name under services/, without .ts. */
  script: string;
  env?: Record<string, string>;
}

const READY_TIMEOUT_MILLIS = 60_000;
const STOP_GRACE_MILLIS = 4_000;

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous: kill() is.
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

export function startServiceProcess(
  spec: ServiceSpec,
  baseEnv: Record<string, string>,
): Promise<ServiceProcess> {
  installExitHook();
  const script = fileURLToPath(new URL(`./services/${spec.script}.ts`, import.meta.url));
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), script], {
    env: { ...process.env, ...baseEnv, ...spec.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`${spec.key} did not start within ${READY_TIMEOUT_MILLIS} ms`)),
      READY_TIMEOUT_MILLIS,
    );
    const onExit = (code: number | null): void =>
      fail(new Error(`${spec.key} exited during start-up (code ${code})`));
    function fail(error: Error): void {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.kill('SIGKILL');
      reject(error);
    }
    function onMessage(raw: unknown): void {
      const ready = parseReadyMessage(raw);
      if (!ready) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      child.off('message', onMessage);
      resolve({ key: spec.key, port: ready.port, child, send: (message) => sendSafely(child, message) });
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

function sendSafely(child: ChildProcess, message: ParentMessage): void {
  if (child.connected) child.send(message, () => {});
}

/** SIGTERM, then SIGKILL after the grace period; resolves once the child has exited. */
export function stopServiceProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MILLIS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
