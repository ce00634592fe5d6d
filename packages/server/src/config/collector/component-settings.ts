import { parseGoDurationMillis } from '../go-duration.ts';
import type { ComponentKind } from './component-catalog.ts';
import type { KeySegment, ProblemCollector } from './problem.ts';
import { isNullNode, mapEntry, mapValue, scalarValue, seqItems } from './yaml-nodes.ts';

/**
 * Settings checks for components where the rule is cheap and certain: the Collector component's own
 * Validate() would reject the same value. Everything else about a component's settings is left to
 * the component that reads them.
 */
export function checkComponentSettings(
  kind: ComponentKind,
  type: string,
  component: { keyPath: readonly KeySegment[]; keyNode: unknown; config: unknown },
  problems: ProblemCollector,
): void {
  const check = kind === 'processor' ? PROCESSOR_CHECKS[type] : undefined;
  check?.(new SettingsReader(component.config, component.keyNode, component.keyPath, problems));
}

/** Sampling policy types of the contrib tail_sampling processor (processor/tailsamplingprocessor/config.go). */
export const TAIL_SAMPLING_POLICY_TYPES: readonly string[] = [
  'always_sample',
  'drop',
  'latency',
  'status_code',
  'probabilistic',
  'string_attribute',
  'numeric_attribute',
  'boolean_attribute',
  'rate_limiting',
  'span_count',
  'trace_state',
  'and',
  'not',
  'composite',
  'ottl_condition',
];

const PROCESSOR_CHECKS: Record<string, (settings: SettingsReader) => void> = {
  memory_limiter: (settings) => {
    // memorylimiterprocessor Config.Validate: interval > 0, a limit, spike below the limit.
    const intervalMs = settings.duration('check_interval');
    if (intervalMs !== undefined && intervalMs <= 0)
      settings.error('check_interval', 'must be greater than zero');
    const limitMib = settings.integer('limit_mib');
    const percentage = settings.integer('limit_percentage');
    if (!limitMib && !percentage)
      settings.error(undefined, 'limit_mib or limit_percentage must be greater than zero');
    const spikeMib = settings.integer('spike_limit_mib');
    if (limitMib !== undefined && spikeMib !== undefined && limitMib > 0 && spikeMib >= limitMib) {
      settings.error('spike_limit_mib', 'must be smaller than limit_mib');
    }
  },
  batch: (settings) => {
    // batchprocessor Config.Validate: the max batch size cannot be below the batch size.
    settings.duration('timeout');
    const size = settings.integer('send_batch_size');
    const maxSize = settings.integer('send_batch_max_size');
    if (maxSize !== undefined && size !== undefined && maxSize !== 0 && maxSize < size) {
      settings.error('send_batch_max_size', 'must be greater than or equal to send_batch_size');
    }
  },
  tail_sampling: (settings) => {
    settings.duration('decision_wait');
    settings.integer('num_traces');
    checkSamplingPolicies(settings);
  },
};

function checkSamplingPolicies(settings: SettingsReader): void {
  const policies = settings.child('policies');
  if (policies === undefined) return;
  const items = seqItems(policies);
  if (!items) return settings.error('policies', 'expected a list of policies');
  const names = new Set<string>();
  items.forEach((policy, index) => {
    const name = scalarValue(mapValue(policy, 'name'));
    const type = scalarValue(mapValue(policy, 'type'));
    const at: KeySegment[] = ['policies', index];
    if (typeof name !== 'string' || name === '') settings.errorAt(policy, at, 'a policy needs a name');
    else if (names.has(name))
      settings.errorAt(mapValue(policy, 'name'), at, `duplicate policy name "${name}"`);
    else names.add(name);
    if (typeof type !== 'string') settings.errorAt(policy, at, 'a policy needs a type');
    else if (!TAIL_SAMPLING_POLICY_TYPES.includes(type)) {
      settings.errorAt(
        mapValue(policy, 'type'),
        [...at, 'type'],
        `unknown policy type "${type}" (expected one of ${TAIL_SAMPLING_POLICY_TYPES.join(', ')})`,
      );
    }
  });
}

/** Typed reads of one component's settings that report a wrong type at the value's node. */
class SettingsReader {
  constructor(
    private readonly config: unknown,
    /** Where component-wide problems point when the settings are empty (`memory_limiter:`). */
    private readonly keyNode: unknown,
    private readonly keyPath: readonly KeySegment[],
    private readonly problems: ProblemCollector,
  ) {}

  child(key: string): unknown {
    const value = mapValue(this.config, key);
    return isNullNode(value) ? undefined : value;
  }

  duration(key: string): number | undefined {
    const node = this.child(key);
    if (node === undefined) return undefined;
    const text = scalarValue(node);
    const millis = typeof text === 'string' ? goDurationOrUndefined(text) : undefined;
    if (millis === undefined) this.error(key, 'expected a duration such as 5s, 500ms or 1m30s');
    return millis;
  }

  /** A non-negative integer setting (sizes, MiB, counts). */
  integer(key: string): number | undefined {
    const node = this.child(key);
    if (node === undefined) return undefined;
    const value = scalarValue(node);
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
    this.error(key, 'expected a non-negative integer');
    return undefined;
  }

  /** A problem at `key`'s value (or at the component itself when `key` is undefined). */
  error(key: string | undefined, message: string): void {
    const whole = isNullNode(this.config) ? this.keyNode : this.config;
    const node = key === undefined ? whole : (mapEntry(this.config, key)?.value ?? whole);
    this.errorAt(node, key === undefined ? [] : [key], message);
  }

  errorAt(node: unknown, relativePath: readonly KeySegment[], message: string): void {
    this.problems.error(node, [...this.keyPath, ...relativePath], message);
  }
}

function goDurationOrUndefined(text: string): number | undefined {
  try {
    return parseGoDurationMillis(text);
  } catch {
    return undefined;
  }
}
