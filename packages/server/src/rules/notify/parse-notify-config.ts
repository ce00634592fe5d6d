/**
 * Reads alertmanager.yml into a {@link NotificationConfig}, with Alertmanager's defaults and the
 * checks of its config/config.go (receiver names unique and defined, root route without matchers,
 * non-zero intervals, known time intervals). Every error names file, line and key path.
 */
import { LineCounter, parseDocument } from 'yaml';
import { ConfigNode, NotificationConfigError } from './config-reader.ts';
import {
  compileMatcher,
  MatcherError,
  parseMatchers,
  sortMatchers,
  type CompiledMatcher,
} from './matchers.ts';
import {
  DEFAULT_PAGERDUTY_URL,
  DEFAULT_RESOLVE_TIMEOUT_MS,
  type GlobalConfig,
  type InhibitRuleConfig,
  type NotificationConfig,
  type RouteConfig,
} from './notify-config.ts';
import { parseReceivers } from './parse-receivers.ts';
import { parseTemplatesField } from './templates/template-files.ts';
import { parseTimeIntervals, type TimeInterval } from './time-intervals.ts';
import { isLegacyLabelName } from '../../model/prom-names.ts';

export { NotificationConfigError };

const TOP_LEVEL = [
  'global',
  'route',
  'inhibit_rules',
  'receivers',
  'templates',
  'time_intervals',
  'mute_time_intervals',
];
const GLOBAL = ['resolve_timeout', 'slack_api_url', 'pagerduty_url'];
const ROUTE = [
  'receiver',
  'group_by',
  'group_wait',
  'group_interval',
  'repeat_interval',
  'matchers',
  'match',
  'match_re',
  'continue',
  'routes',
  'mute_time_intervals',
  'active_time_intervals',
];
const INHIBIT = [
  'source_matchers',
  'target_matchers',
  'source_match',
  'source_match_re',
  'target_match',
  'target_match_re',
  'equal',
];

/**
 * Parses and validates an Alertmanager config file's text.
 *
 * @example
 * const config = parseNotificationConfig(readFileSync(path, 'utf8'), path);
 */
export function parseNotificationConfig(text: string, fileName: string): NotificationConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false });
  const first = doc.errors[0];
  if (first) {
    const { line } = lineCounter.linePos(first.pos[0]);
    throw new NotificationConfigError(`${fileName}:${line}: invalid YAML: ${first.code}`);
  }
  const root = ConfigNode.root({ fileName, doc, lineCounter });
  const fields = root.fields(TOP_LEVEL);
  const templates = parseTemplatesField(fields.get('templates'), fileName);
  const global = parseGlobal(fields.get('global'));
  const receivers = parseReceivers(fields.get('receivers'), global, root);
  const timeIntervals = parseNamedIntervals([
    fields.get('time_intervals'),
    fields.get('mute_time_intervals'),
  ]);
  const routeNode = fields.get('route');
  if (!routeNode?.present) throw root.error('no route provided in config');
  const route = parseRoute(routeNode);
  checkRootRoute(route, routeNode);
  checkRouteReferences(routeNode, route, new Set(receivers.map((r) => r.name)), timeIntervals);
  const inhibitRules = (fields.get('inhibit_rules')?.items() ?? []).map(parseInhibitRule);
  return { global, route, inhibitRules, receivers, timeIntervals, templates };
}

function parseGlobal(node: ConfigNode | undefined): GlobalConfig {
  const fields = node?.fields(GLOBAL) ?? new Map<string, ConfigNode>();
  const global: GlobalConfig = {
    resolveTimeoutMs: fields.get('resolve_timeout')?.durationMs() ?? DEFAULT_RESOLVE_TIMEOUT_MS,
    pagerdutyUrl: fields.get('pagerduty_url')?.httpUrl() ?? DEFAULT_PAGERDUTY_URL,
  };
  const slack = fields.get('slack_api_url')?.httpUrl();
  if (slack !== undefined) global.slackApiUrl = slack;
  return global;
}

function parseRoute(node: ConfigNode): RouteConfig {
  const fields = node.fields(ROUTE);
  const route: RouteConfig = {
    groupByAll: false,
    matchers: routeMatchers(fields, 'match', 'match_re', 'matchers'),
    continue: fields.get('continue')?.bool() ?? false,
    muteTimeIntervals: fields.get('mute_time_intervals')?.strings() ?? [],
    activeTimeIntervals: fields.get('active_time_intervals')?.strings() ?? [],
    routes: (fields.get('routes')?.items() ?? []).map(parseRoute),
  };
  const receiver = fields.get('receiver')?.string();
  if (receiver !== undefined && receiver !== '') route.receiver = receiver;
  const groupBy = fields.get('group_by');
  if (groupBy?.present) Object.assign(route, parseGroupBy(groupBy));
  const wait = fields.get('group_wait')?.durationMs();
  if (wait !== undefined) route.groupWaitMs = wait;
  const groupInterval = fields.get('group_interval');
  if (groupInterval) route.groupIntervalMs = nonZero(groupInterval, 'group_interval cannot be zero');
  const repeat = fields.get('repeat_interval');
  if (repeat) route.repeatIntervalMs = nonZero(repeat, 'repeat_interval cannot be zero');
  return route;
}

function nonZero(node: ConfigNode, message: string): number {
  const value = node.durationMs() ?? 0;
  if (value === 0) throw node.error(message);
  return value;
}

function parseGroupBy(node: ConfigNode): Pick<RouteConfig, 'groupBy' | 'groupByAll'> {
  const names = node.strings();
  if (names.includes('...')) {
    if (names.length > 1)
      throw node.error('cannot have wildcard group_by (`...`) and other labels at the same time');
    return { groupBy: [], groupByAll: true };
  }
  const seen = new Set<string>();
  for (const name of names) {
    if (!isLegacyLabelName(name)) throw node.error(`invalid label name "${name}" in group_by`);
    if (seen.has(name)) throw node.error(`duplicated label "${name}" in group_by`);
    seen.add(name);
  }
  return { groupBy: names, groupByAll: false };
}

/** The deprecated equality and regex maps plus the new-style list, as NewRoute merges them. */
function routeMatchers(
  fields: Map<string, ConfigNode>,
  eqKey: string,
  reKey: string,
  listKey: string,
): CompiledMatcher[] {
  const matchers: CompiledMatcher[] = [];
  const add = (node: ConfigNode, build: () => CompiledMatcher[]): void => {
    try {
      matchers.push(...build());
    } catch (error: unknown) {
      if (error instanceof MatcherError) throw node.error(error.message);
      throw error;
    }
  };
  for (const [key, type] of [
    [eqKey, '='],
    [reKey, '=~'],
  ] as const) {
    const node = fields.get(key);
    if (!node) continue;
    for (const [name, value] of Object.entries(node.stringMap())) {
      if (!isLegacyLabelName(name)) throw node.error(`"${name}" is not a valid label name`);
      add(node, () => [compileMatcher({ name, type, value })]);
    }
  }
  for (const item of fields.get(listKey)?.items() ?? [])
    add(item, () => parseMatchers(item.requiredString()));
  return sortMatchers(matchers);
}

function checkRootRoute(route: RouteConfig, node: ConfigNode): void {
  if (route.receiver === undefined) throw node.error('root route must specify a default receiver');
  if (route.matchers.length > 0) throw node.error('root route must not have any matchers');
  if (route.continue) throw node.error('cannot have continue in root route');
  if (route.muteTimeIntervals.length > 0 || route.activeTimeIntervals.length > 0)
    throw node.error('root route must not have any mute or active time intervals');
}

function checkRouteReferences(
  node: ConfigNode,
  route: RouteConfig,
  receivers: ReadonlySet<string>,
  intervals: ReadonlyMap<string, TimeInterval[]>,
): void {
  if (route.receiver !== undefined && !receivers.has(route.receiver))
    throw node.error(`undefined receiver "${route.receiver}" used in route`);
  for (const name of [...route.muteTimeIntervals, ...route.activeTimeIntervals]) {
    if (!intervals.has(name)) throw node.error(`undefined time interval "${name}" used in route`);
  }
  const children = node.fields(ROUTE).get('routes')?.items() ?? [];
  route.routes.forEach((child, index) => {
    const childNode = children[index];
    if (childNode) checkRouteReferences(childNode, child, receivers, intervals);
  });
}

function parseNamedIntervals(nodes: readonly (ConfigNode | undefined)[]): Map<string, TimeInterval[]> {
  const intervals = new Map<string, TimeInterval[]>();
  for (const item of nodes.flatMap((node) => node?.items() ?? [])) {
    const fields = item.fields(['name', 'time_intervals']);
    const name = (fields.get('name') ?? item).requiredString();
    if (intervals.has(name)) throw item.error(`time interval "${name}" is not unique`);
    intervals.set(
      name,
      fields.get('time_intervals') ? parseTimeIntervals(fields.get('time_intervals') as ConfigNode) : [],
    );
  }
  return intervals;
}

function parseInhibitRule(node: ConfigNode): InhibitRuleConfig {
  const fields = node.fields(INHIBIT);
  const equalNode = fields.get('equal');
  const equal = equalNode?.strings() ?? [];
  for (const name of equal)
    if (!isLegacyLabelName(name)) throw (equalNode ?? node).error(`"${name}" is not a valid label name`);
  return {
    sourceMatchers: routeMatchers(fields, 'source_match', 'source_match_re', 'source_matchers'),
    targetMatchers: routeMatchers(fields, 'target_match', 'target_match_re', 'target_matchers'),
    equal,
  };
}
