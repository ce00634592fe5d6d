#!/usr/bin/env node
// Runs the TypeScript CLI under tsx in a child Node process, so worker threads (the store's writer)
// inherit the TypeScript loader through execArgv. Signals are forwarded; the exit status is the child's.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
// Resolved here so the loader is found whatever the caller's working directory is.
const tsx = import.meta.resolve('tsx');
// A 64 MiB young generation (V8's default semi-space is 16 MiB): at high ingest rates most
// per-request garbage then dies young instead of being copied and promoted, which measured +7–11%
// spans per CPU-second and +8–23% spans/s in bench/ingest.bench.ts (3 alternating pairs), for
// ~100 MiB more peak RSS. A --max-semi-space-size in NODE_OPTIONS is left to win.
const v8Flags = process.env.NODE_OPTIONS?.includes('--max-semi-space-size') ? [] : ['--max-semi-space-size=64'];
const child = spawn(process.execPath, [...v8Flags, '--import', tsx, main, ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  if (signal) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
