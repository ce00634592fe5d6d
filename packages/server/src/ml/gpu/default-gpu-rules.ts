/**
 * The GPU alerting rules Vigil installs by default, over NVIDIA DCGM exporter metrics. The seed's
 * advice: "Set alerts for GPU temperature > 85C, memory utilization > 90%, and GPU utilization
 * < 10% (idle GPU waste)". GPUMemoryPressure is the seed's rule as it writes it; the other two
 * follow its style. Kept as rule-file text and read by the project's own rule-file parser, so the
 * defaults are checked exactly as a user's file would be and can be copied into one.
 */
import type { RuleGroupSpec } from '../../rules/rule-types.ts';
import { formatRuleFileError, parseRuleFile } from '../../rules/rulefmt/parse-rule-file.ts';

/** The name of the default group, and the `file` its rules report (rule groups are keyed by file + name). */
export const DEFAULT_GPU_RULE_GROUP = 'vigil-ml-gpu-defaults';
export const DEFAULT_GPU_RULES_FILE = 'builtin:vigil-ml-gpu-defaults';

/**
 * The rule file text. Thresholds: memory used over 90% for 2m (the seed's rule); temperature over
 * 85 °C for 5m (A100-class GPUs start thermal slowdown near 85 °C, which lowers SM clocks and
 * slows inference); utilisation under 10% for 30m at severity info (idle GPU spend, not an outage).
 */
export const DEFAULT_GPU_RULES_YAML = `groups:
  - name: ${DEFAULT_GPU_RULE_GROUP}
    rules:
      # GPU memory pressure: alert before OOM
      - alert: GPUMemoryPressure
        expr: |
          (DCGM_FI_DEV_FB_USED / (DCGM_FI_DEV_FB_USED + DCGM_FI_DEV_FB_FREE))
          > 0.90
        for: 2m
        labels:
          severity: warning
          team: infrastructure
        annotations:
          summary: "GPU memory usage exceeds 90%"
          description: |
            GPU {{ $labels.gpu }} on node {{ $labels.instance }}
            is at {{ $value | humanizePercentage }} memory utilization.
            Risk of OOM for inference workloads.

      # GPU temperature: thermal throttling lowers SM clocks and raises inference latency
      - alert: GPUTemperatureHigh
        expr: DCGM_FI_DEV_GPU_TEMP > 85
        for: 5m
        labels:
          severity: warning
          team: infrastructure
        annotations:
          summary: "GPU temperature exceeds 85C"
          description: |
            GPU {{ $labels.gpu }} on node {{ $labels.instance }}
            is at {{ $value }}C.
            Thermal throttling lowers SM clocks and slows inference.

      # Idle GPU: paid-for capacity doing nothing
      - alert: GPUIdleWaste
        expr: DCGM_FI_DEV_GPU_UTIL < 10
        for: 30m
        labels:
          severity: info
          team: infrastructure
        annotations:
          summary: "GPU utilization below 10% for 30 minutes"
          description: |
            GPU {{ $labels.gpu }} on node {{ $labels.instance }}
            is at {{ $value }}% utilization.
            Idle GPU waste: consolidate models or scale the node pool down.
`;

/**
 * The default GPU rule groups, to be installed next to rule-file and SLO groups (the rule manager
 * takes them all in one `setGroups`). Throws if the built-in text fails to parse: a programming
 * error, caught by the tests.
 *
 * @example
 * manager.setGroups([...ruleFileGroups, ...slos.ruleGroups(), ...defaultGpuRuleGroups()]);
 */
export function defaultGpuRuleGroups(): RuleGroupSpec[] {
  const { groups, errors } = parseRuleFile(DEFAULT_GPU_RULES_YAML, DEFAULT_GPU_RULES_FILE);
  if (errors.length > 0) throw new Error(errors.map(formatRuleFileError).join('\n'));
  return groups;
}

/**
 * The default groups less every alert the user's own rule files already define (the seed's rule file
 * has its own GPUMemoryPressure): the user's version wins, and one condition never notifies twice.
 */
export function defaultGpuRuleGroupsBeside(ruleFileGroups: readonly RuleGroupSpec[]): RuleGroupSpec[] {
  const defined = new Set(ruleFileGroups.flatMap((group) => group.rules.map((rule) => rule.alert)));
  return defaultGpuRuleGroups()
    .map((group) => ({ ...group, rules: group.rules.filter((rule) => !defined.has(rule.alert)) }))
    .filter((group) => group.rules.length > 0);
}
