import type { SettingsReader } from '../../graph/settings-reader.ts';
import type { NamedPolicy, PolicyEvaluator } from './decision.ts';
import { blockOf, int64, LEAF_POLICY_PARSERS } from './policy-block-settings.ts';
import {
  AndPolicy,
  CompositePolicy,
  type CompositeSubPolicy,
  DropPolicy,
  NotPolicy,
} from './policies/combinator-policies.ts';
import { AlwaysSamplePolicy } from './policies/trace-policies.ts';

/** Where a policy sits decides which types it may have (upstream's PolicyCfg / *SubPolicyCfg structs). */
type PolicyLevel = 'top' | 'composite' | 'and' | 'not';

/** The type blocks every policy struct has (upstream sharedPolicyCfg), incl. ones Vigil cannot run. */
const SHARED_KEYS = [
  'name',
  'type',
  'latency',
  'numeric_attribute',
  'probabilistic',
  'status_code',
  'string_attribute',
  'rate_limiting',
  'span_count',
  'trace_state',
  'boolean_attribute',
  'ottl_condition',
  'trace_flags',
  'bytes_limiting',
];
const KEYS_BY_LEVEL: Readonly<Record<PolicyLevel, readonly string[]>> = {
  top: [...SHARED_KEYS, 'composite', 'and', 'not', 'drop'],
  composite: [...SHARED_KEYS, 'and'],
  and: SHARED_KEYS,
  not: SHARED_KEYS,
};
const COMBINATORS_BY_LEVEL: Readonly<Record<PolicyLevel, readonly string[]>> = {
  top: ['composite', 'and', 'not', 'drop'],
  composite: ['and'],
  and: [],
  not: [],
};
/** Upstream policy types Vigil does not implement: refused by name rather than as unknown. */
const UNSUPPORTED_TYPES = ['ottl_condition', 'trace_flags', 'bytes_limiting'];

/**
 * Parses `policies`, refusing what upstream refuses when it loads them (loadSamplingPolicies: empty
 * or duplicate names, unknown types) with the key path of the offending value. `warn` gets notes on
 * settings upstream accepts but ignores (a `policy_order` name that is no sub-policy).
 */
export function parsePolicies(settings: SettingsReader, warn: (line: string) => void): NamedPolicy[] {
  const names = new Set<string>();
  return settings.list('policies').map((policy) => {
    const name = policyName(policy);
    if (names.has(name)) throw policy.error(`duplicate policy name "${name}"`, 'name');
    names.add(name);
    const evaluator = policyEvaluator(policy, 'top', warn);
    return { name, evaluator, keepReason: { policyName: name, adjustedCount: evaluator.adjustedCount } };
  });
}

function policyName(policy: SettingsReader): string {
  const name = policy.string('name', '');
  if (name === '') throw policy.error('policy name cannot be empty', policy.has('name') ? 'name' : undefined);
  return name;
}

function policyEvaluator(policy: SettingsReader, level: PolicyLevel, warn: (line: string) => void): PolicyEvaluator {
  policy.allowOnly(KEYS_BY_LEVEL[level]);
  const type = policy.string('type', '');
  if (type === 'always_sample') return new AlwaysSamplePolicy();
  const leaf = LEAF_POLICY_PARSERS[type];
  if (leaf) return leaf(blockOf(policy, type));
  if (COMBINATORS_BY_LEVEL[level].includes(type)) return combinator(policy, type, warn);
  if (UNSUPPORTED_TYPES.includes(type)) {
    throw policy.error(`sampling policy type ${type} is not supported by Vigil`, 'type');
  }
  throw policy.error(`unknown sampling policy type ${type}`, policy.has('type') ? 'type' : undefined);
}

function combinator(policy: SettingsReader, type: string, warn: (line: string) => void): PolicyEvaluator {
  const block = blockOf(policy, type);
  switch (type) {
    case 'and':
      block.allowOnly(['and_sub_policy']);
      return new AndPolicy(block.list('and_sub_policy').map((sub) => policyEvaluator(sub, 'and', warn)));
    case 'drop':
      block.allowOnly(['drop_sub_policy']);
      return new DropPolicy(block.list('drop_sub_policy').map((sub) => policyEvaluator(sub, 'and', warn)));
    case 'not': {
      block.allowOnly(['not_sub_policy']);
      const sub = block.child('not_sub_policy');
      if (!sub) throw block.error('"not_sub_policy" is required', 'not_sub_policy');
      return new NotPolicy(policyEvaluator(sub, 'not', warn));
    }
    default:
      return compositePolicy(policy.string('name', ''), block, warn);
  }
}

/**
 * Upstream composite_helper.go: a rate_allocation percent > 0 gives that share of
 * max_total_spans_per_second, a percent of 0 an equal share; a sub-policy with no allocation gets
 * 0 spans per second, so it never samples (upstream does the same; the README says to allocate
 * every sub-policy). Vigil evaluates in `policy_order` (then any unlisted sub-policies in written
 * order); upstream parses policy_order but evaluates in composite_sub_policy order.
 */
function compositePolicy(name: string, block: SettingsReader, warn: (line: string) => void): PolicyEvaluator {
  block.allowOnly(['max_total_spans_per_second', 'policy_order', 'composite_sub_policy', 'rate_allocation']);
  const maxTotal = int64(block, 'max_total_spans_per_second');
  const subs = block.list('composite_sub_policy').map((sub) => ({
    name: sub.string('name', ''),
    evaluator: policyEvaluator(sub, 'composite', warn),
  }));
  const allocations = rateAllocations(block, maxTotal, subs.length);
  const withBudget: CompositeSubPolicy[] = subs.map((sub) => ({
    ...sub,
    allocatedSpansPerSecond: allocations.get(sub.name) ?? 0,
  }));
  const order = block.strings('policy_order');
  for (const listed of order) {
    if (!subs.some((sub) => sub.name === listed)) {
      warn(`tail_sampling composite "${name}": policy_order names "${listed}", which is no composite_sub_policy`);
    }
  }
  const rank = (sub: CompositeSubPolicy): number => {
    const index = order.indexOf(sub.name);
    return index === -1 ? order.length : index;
  };
  return new CompositePolicy(name, maxTotal, [...withBudget].sort((a, b) => rank(a) - rank(b)));
}

function rateAllocations(block: SettingsReader, maxTotal: number, subCount: number): Map<string, number> {
  const equalShare = subCount > 0 ? maxTotal / subCount : 0;
  const allocations = new Map<string, number>();
  for (const allocation of block.list('rate_allocation')) {
    allocation.allowOnly(['policy', 'percent']);
    const percent = int64(allocation, 'percent');
    allocations.set(allocation.string('policy', ''), percent > 0 ? (percent / 100) * maxTotal : equalShare);
  }
  return allocations;
}
