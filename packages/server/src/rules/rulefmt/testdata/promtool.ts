import { spawnSync } from 'node:child_process';

/**
 * The installed promtool's verdict on a rule file: `promtool check rules` exits 0 when the file
 * loads (lint findings such as duplicate rules print "FAILED" but still exit 0 without
 * --lint-fatal), 1 when it is refused. Tests call it only under skipUnless('prometheus').
 */
export function promtoolAccepts(file: string): boolean {
  const result = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
  if (result.status !== 0 && result.status !== 1)
    throw new Error(`promtool exited ${String(result.status)}: ${result.stderr}`);
  return result.status === 0;
}
