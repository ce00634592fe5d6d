/**
 * The default GPU rules: they parse with the project's rule-file parser, GPUMemoryPressure is the
 * seed's rule unchanged, and run by the real rule manager and PromQL engine over synthetic DCGM
 * series they fire for the hot, full and idle GPU after their `for`, and never for the healthy one.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { labelsFrom } from '../../query/promql/labels.ts';
import { MINUTE_MS, memoryManager } from '../../rules/manager/manager-test-support.ts';
import { parseRuleFile } from '../../rules/rulefmt/parse-rule-file.ts';
import {
  DEFAULT_GPU_RULE_GROUP,
  DEFAULT_GPU_RULES_FILE,
  DEFAULT_GPU_RULES_YAML,
  defaultGpuRuleGroups,
  defaultGpuRuleGroupsBeside,
} from './default-gpu-rules.ts';
import { timesBetween } from './gpu-test-fixtures.ts';

const SEED_RULES_FILE = new URL(
  '../../../../../docs/examples/rules/ml-inference-slos.rules.yaml',
  import.meta.url,
);
const GROUP_KEY = `${DEFAULT_GPU_RULES_FILE};${DEFAULT_GPU_RULE_GROUP}`;
const START = 1_700_000_000_000 - (1_700_000_000_000 % MINUTE_MS);
const FB_TOTAL_MIB = 40_000;

describe('defaultGpuRuleGroups', () => {
  test("alerts the user's rule files define are left out of the defaults", () => {
    const seed = parseRuleFile(readFileSync(SEED_RULES_FILE, 'utf8'), 'seed.rules.yaml').groups;
    const names = (groups: ReturnType<typeof defaultGpuRuleGroups>): string[] =>
      groups.flatMap((g) => g.rules.map((r) => r.alert ?? ''));
    assert.deepEqual(names(defaultGpuRuleGroupsBeside(seed)), ['GPUTemperatureHigh', 'GPUIdleWaste']);
    assert.deepEqual(names(defaultGpuRuleGroupsBeside([])), [
      'GPUMemoryPressure',
      'GPUTemperatureHigh',
      'GPUIdleWaste',
    ]);
    const all = defaultGpuRuleGroups();
    assert.deepEqual(defaultGpuRuleGroupsBeside(all), [], "no group left when every alert is the user's");
  });

  test('one group of three alerting rules', () => {
    const groups = defaultGpuRuleGroups();
    assert.deepEqual(
      groups.map((group) => [group.name, group.file, group.intervalMs]),
      [[DEFAULT_GPU_RULE_GROUP, DEFAULT_GPU_RULES_FILE, undefined]],
    );
    assert.deepEqual(
      groups[0]?.rules.map((rule) => [rule.alert, rule.expr.trim(), rule.forMs, rule.labels['severity']]),
      [
        [
          'GPUMemoryPressure',
          '(DCGM_FI_DEV_FB_USED / (DCGM_FI_DEV_FB_USED + DCGM_FI_DEV_FB_FREE))\n> 0.90',
          2 * MINUTE_MS,
          'warning',
        ],
        ['GPUTemperatureHigh', 'DCGM_FI_DEV_GPU_TEMP > 85', 5 * MINUTE_MS, 'warning'],
        ['GPUIdleWaste', 'DCGM_FI_DEV_GPU_UTIL < 10', 30 * MINUTE_MS, 'info'],
      ],
    );
  });

  test('GPUMemoryPressure is the seed rule as the seed writes it', () => {
    const seed = parseRuleFile(readFileSync(SEED_RULES_FILE, 'utf8'), 'seed.yaml');
    const fromSeed = seed.groups[0]?.rules.find((rule) => rule.alert === 'GPUMemoryPressure');
    const builtIn = defaultGpuRuleGroups()[0]?.rules.find((rule) => rule.alert === 'GPUMemoryPressure');
    assert.ok(fromSeed && builtIn);
    assert.deepEqual({ ...builtIn, line: 0 }, { ...fromSeed, line: 0 });
  });

  test('the text loads without errors; the only findings are the missing runbooks', () => {
    const { errors, warnings } = parseRuleFile(DEFAULT_GPU_RULES_YAML, DEFAULT_GPU_RULES_FILE);
    assert.deepEqual(errors, []);
    assert.deepEqual(
      warnings.map((warning) => warning.message.split(' has ')[0]),
      ['alerting rule GPUMemoryPressure', 'alerting rule GPUTemperatureHigh', 'alerting rule GPUIdleWaste'],
    );
  });
});

interface GpuCondition {
  gpu: string;
  temperatureCelsius: number;
  /** Of FB_TOTAL_MIB; whole MiB as the exporter reports them. */
  fbUsedMib: number;
  utilizationPercent: number;
}

const GPUS: GpuCondition[] = [
  { gpu: '0', temperatureCelsius: 63, fbUsedMib: 18_600, utilizationPercent: 40 }, // healthy
  { gpu: '1', temperatureCelsius: 89, fbUsedMib: 18_600, utilizationPercent: 40 }, // hot
  { gpu: '2', temperatureCelsius: 63, fbUsedMib: 38_000, utilizationPercent: 40 }, // full
  { gpu: '3', temperatureCelsius: 63, fbUsedMib: 18_600, utilizationPercent: 3 }, // idle
  // On every threshold (36000 / 40000 = 0.9 exactly), not over it: nothing fires.
  { gpu: '4', temperatureCelsius: 85, fbUsedMib: 36_000, utilizationPercent: 10 },
];

/** A manager running the default rules over 15 s scrapes of the GPUs above, from START − 10m. */
function managerOverGpus(): ReturnType<typeof memoryManager> {
  const test = memoryManager();
  const times = timesBetween(START - 10 * MINUTE_MS, START + 40 * MINUTE_MS, 15_000);
  for (const condition of GPUS) {
    const labels = (metric: string): Record<string, string> => ({
      __name__: metric,
      gpu: condition.gpu,
      Hostname: 'gpu-node-1',
      instance: 'gpu-node-1:9400',
    });
    const series = (metric: string, value: number): void =>
      void test.store.writeSamples([
        {
          labels: labelsFrom(labels(metric)),
          timestampsMs: Float64Array.from(times),
          values: Float64Array.from(times, () => value),
        },
      ]);
    series('DCGM_FI_DEV_GPU_TEMP', condition.temperatureCelsius);
    series('DCGM_FI_DEV_FB_USED', condition.fbUsedMib);
    series('DCGM_FI_DEV_FB_FREE', FB_TOTAL_MIB - condition.fbUsedMib);
    series('DCGM_FI_DEV_GPU_UTIL', condition.utilizationPercent);
  }
  test.manager.setGroups(defaultGpuRuleGroups());
  return test;
}

describe('the default GPU rules over DCGM series', () => {
  const checkpoints: { afterMinutes: number; alerts: [string, string, string][] }[] = [
    {
      afterMinutes: 0,
      alerts: [
        ['GPUIdleWaste', '3', 'pending'],
        ['GPUMemoryPressure', '2', 'pending'],
        ['GPUTemperatureHigh', '1', 'pending'],
      ],
    },
    {
      afterMinutes: 2,
      alerts: [
        ['GPUIdleWaste', '3', 'pending'],
        ['GPUMemoryPressure', '2', 'firing'],
        ['GPUTemperatureHigh', '1', 'pending'],
      ],
    },
    {
      afterMinutes: 5,
      alerts: [
        ['GPUIdleWaste', '3', 'pending'],
        ['GPUMemoryPressure', '2', 'firing'],
        ['GPUTemperatureHigh', '1', 'firing'],
      ],
    },
    {
      afterMinutes: 29,
      alerts: [
        ['GPUIdleWaste', '3', 'pending'],
        ['GPUMemoryPressure', '2', 'firing'],
        ['GPUTemperatureHigh', '1', 'firing'],
      ],
    },
    {
      afterMinutes: 30,
      alerts: [
        ['GPUIdleWaste', '3', 'firing'],
        ['GPUMemoryPressure', '2', 'firing'],
        ['GPUTemperatureHigh', '1', 'firing'],
      ],
    },
  ];

  test('hot, full and idle GPUs fire after their for; the healthy and borderline ones never do', async () => {
    const { manager } = managerOverGpus();
    let evaluatedMinutes = -1;
    for (const { afterMinutes, alerts } of checkpoints) {
      while (evaluatedMinutes < afterMinutes)
        await manager.evaluateGroupAt(GROUP_KEY, START + ++evaluatedMinutes * MINUTE_MS);
      const states = manager
        .alerts()
        .map((alert): [string, string, string] => [alert.ruleName, alert.labels['gpu'] ?? '', alert.state])
        .sort((a, b) => a.join().localeCompare(b.join()));
      assert.deepEqual(states, alerts, `after ${afterMinutes} minutes`);
    }
    assert.deepEqual(
      manager.groups()[0]?.rules.map((rule) => [rule.name, rule.health, rule.lastError]),
      [
        ['GPUMemoryPressure', 'ok', ''],
        ['GPUTemperatureHigh', 'ok', ''],
        ['GPUIdleWaste', 'ok', ''],
      ],
    );
    const fired = Object.fromEntries(manager.alerts().map((alert) => [alert.ruleName, alert]));
    assert.deepEqual(
      Object.values(fired).map((alert) => [alert.ruleName, alert.activeAtMs, alert.firedAtMs]),
      [
        ['GPUMemoryPressure', START, START + 2 * MINUTE_MS],
        ['GPUTemperatureHigh', START, START + 5 * MINUTE_MS],
        ['GPUIdleWaste', START, START + 30 * MINUTE_MS],
      ],
    );
    assert.deepEqual(fired['GPUTemperatureHigh']?.labels, {
      alertname: 'GPUTemperatureHigh',
      gpu: '1',
      Hostname: 'gpu-node-1',
      instance: 'gpu-node-1:9400',
      severity: 'warning',
      team: 'infrastructure',
    });
    assert.deepEqual(fired['GPUTemperatureHigh']?.annotations, {
      summary: 'GPU temperature exceeds 85C',
      description:
        'GPU 1 on node gpu-node-1:9400\nis at 89C.\nThermal throttling lowers SM clocks and slows inference.\n',
    });
    assert.match(
      fired['GPUMemoryPressure']?.annotations['description'] ?? '',
      /is at 95% memory utilization\./,
    );
    assert.match(fired['GPUIdleWaste']?.annotations['description'] ?? '', /is at 3% utilization\./);
  });
});
