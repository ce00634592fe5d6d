import { spawnSync } from 'node:child_process';

/**
 * The one list of what a test may skip for, each with its reason: real programs Vigil is compared
 * with, installed by scripts/ensure-test-packages.sh (which `npm test` runs when root). A test asks
 * `skipUnless(name)` for its `skip` option. Under CI (`CI` set, as .ci/run runs) a missing
 * requirement does not skip: the test runs and fails, so CI never passes by skipping.
 */
export const TEST_REQUIREMENTS = {
  prometheus: {
    reason:
      "Debian's prometheus 2.42 and promtool: PromQL answers, remote write and the PromQL benchmark are compared with a real Prometheus",
    present: () =>
      ['prometheus', 'promtool'].every(
        (tool) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0,
      ),
  },
  pythonPrometheusClient: {
    reason:
      "Debian's python3-prometheus-client under /usr/bin/python3: the scrape test runs the seed's prometheus_client example",
    present: () =>
      spawnSync('/usr/bin/python3', ['-c', 'import prometheus_client'], { stdio: 'ignore' }).status === 0,
  },
  alertmanager: {
    reason:
      "Debian's prometheus-alertmanager 0.25 and amtool: alert forwarding and the Alertmanager API are checked against the real ones",
    present: () =>
      ['prometheus-alertmanager', 'amtool'].every(
        (tool) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0,
      ),
  },
} as const;

export type TestRequirement = keyof typeof TEST_REQUIREMENTS;

const checked = new Map<TestRequirement, boolean>();

/** False when the requirement is met (or under CI); otherwise the skip reason. */
export function skipUnless(name: TestRequirement): string | false {
  let present = checked.get(name);
  if (present === undefined) {
    present = TEST_REQUIREMENTS[name].present();
    checked.set(name, present);
  }
  if (present || process.env['CI']) return false;
  return `${TEST_REQUIREMENTS[name].reason} — not installed (bash scripts/ensure-test-packages.sh)`;
}
