/**
 * Command line of bench/remote-write-compare.bench.ts:
 *   [series=10000] [steps=480] [seriesPerRequest=2000] [concurrency=16] [--only vigil,prometheus,victoria] [--keep]
 */
import { parseArgs } from 'node:util';
import type { LoadShape } from './requests.ts';
import { SYSTEM_IDS, type SystemId } from './systems.ts';

/** Parsed command line. */
export interface BenchArgs {
  shape: LoadShape;
  systems: SystemId[];
  /** Keep the temp dir (data dirs and server logs) for inspection. */
  keep: boolean;
}

// Prometheus's queue manager runs up to max_shards (200) senders; 16 is a modest, realistic level.
const DEFAULTS: readonly number[] = [10_000, 480, 2000, 16];
const NAMES = ['series', 'steps', 'seriesPerRequest', 'concurrency'] as const;

/** Parses `argv` (without node and the script); throws a one-line Error on bad input. */
export function parseBenchArgs(argv: string[]): BenchArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { only: { type: 'string' }, keep: { type: 'boolean' } },
  });
  if (positionals.length > NAMES.length)
    throw new Error(`at most ${NAMES.length} numbers: ${NAMES.join(' ')}`);
  const numbers = NAMES.map((name, at) => {
    const text = positionals[at];
    const value = text === undefined ? (DEFAULTS[at] ?? NaN) : Number(text);
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`${name} must be a positive integer, got ${text}`);
    return value;
  });
  const [seriesCount, steps, seriesPerRequest, concurrency] = numbers as [number, number, number, number];
  if (concurrency > seriesCount)
    throw new Error('concurrency must not exceed series (a shard would be empty)');
  return {
    shape: { seriesCount, steps, seriesPerRequest, concurrency },
    systems: parseOnly(values.only),
    keep: values.keep === true,
  };
}

function parseOnly(only: string | undefined): SystemId[] {
  if (only === undefined) return [...SYSTEM_IDS];
  const names = only
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  for (const name of names) {
    if (!(SYSTEM_IDS as readonly string[]).includes(name)) {
      throw new Error(`--only: unknown system '${name}' (choose from ${SYSTEM_IDS.join(', ')})`);
    }
  }
  if (names.length === 0) throw new Error('--only: name at least one system');
  return SYSTEM_IDS.filter((id) => names.includes(id));
}
