/**
 * `npm start`: Vigil with the embedded store plus demo traffic flowing into it. Ctrl-C stops both.
 */
import { spawn } from 'node:child_process';

const cli = new URL('../packages/server/src/cli/main.ts', import.meta.url).pathname;
const demo = new URL('./demo-traffic.ts', import.meta.url).pathname;
const tsx = import.meta.resolve('tsx');
const vigil = spawn(process.execPath, ['--import', tsx, cli, 'serve', ...process.argv.slice(2)], {
  stdio: 'inherit',
});

let traffic: ReturnType<typeof spawn> | undefined;
const started = setTimeout(() => {
  traffic = spawn(process.execPath, ['--import', tsx, demo], { stdio: 'inherit' });
}, 3000);

function stop(): void {
  clearTimeout(started);
  traffic?.kill('SIGTERM');
  vigil.kill('SIGTERM');
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
vigil.on('exit', (code) => {
  traffic?.kill('SIGTERM');
  process.exitCode = code ?? 0;
});
