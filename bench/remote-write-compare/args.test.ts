import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBenchArgs } from './args.ts';

test('parseBenchArgs: defaults, positionals and --only', () => {
  const cases: { argv: string[]; shape: number[]; systems: string[]; keep?: boolean }[] = [
    { argv: [], shape: [10_000, 480, 2000, 16], systems: ['vigil', 'prometheus', 'victoria'] },
    { argv: ['2000', '120'], shape: [2000, 120, 2000, 16], systems: ['vigil', 'prometheus', 'victoria'] },
    {
      argv: ['100', '10', '50', '4', '--only', 'victoria,vigil'],
      shape: [100, 10, 50, 4],
      systems: ['vigil', 'victoria'],
    },
    {
      argv: ['--only=prometheus', '--keep'],
      shape: [10_000, 480, 2000, 16],
      systems: ['prometheus'],
      keep: true,
    },
  ];
  for (const { argv, shape, systems, keep } of cases) {
    const args = parseBenchArgs(argv);
    const { seriesCount, steps, seriesPerRequest, concurrency } = args.shape;
    assert.deepEqual([seriesCount, steps, seriesPerRequest, concurrency], shape, argv.join(' '));
    assert.deepEqual(args.systems, systems, argv.join(' '));
    assert.equal(args.keep, keep ?? false);
  }
});

test('parseBenchArgs refuses bad input with one line', () => {
  const cases: [string[], RegExp][] = [
    [['10k'], /series must be a positive integer/],
    [['100', '0'], /steps must be a positive integer/],
    [['1', '2', '3', '4', '5'], /at most 4 numbers/],
    [['8', '10', '10', '16'], /concurrency must not exceed series/],
    [['--only', 'influx'], /unknown system 'influx'/],
    [['--only', ','], /at least one system/],
    [['--fast'], /Unknown option/],
  ];
  for (const [argv, message] of cases) assert.throws(() => parseBenchArgs(argv), message, argv.join(' '));
});
