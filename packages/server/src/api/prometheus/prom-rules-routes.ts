import { createHash } from 'node:crypto';
import { quoteGoString } from '../../query/promql/format-query.ts';
import { compileMatcher, type CompiledMatcher } from '../../query/promql/matchers.ts';
import type { AlertView, RuleGroupView, RuleManager, RuleView } from '../../rules/manager/rule-manager.ts';
import { sendJsonText } from '../http-io.ts';
import type { RequestContext, Router } from '../router.ts';
import { successBody } from './prom-json.ts';
import { parseMatchSelectors } from './prom-match.ts';
import { invalidParameter } from './prom-params.ts';

/**
 * GET /api/v1/rules and GET /api/v1/alerts in Prometheus's JSON (web/api/v1/api.go rules, alerts,
 * RuleDiscovery, RuleGroup, AlertingRule, RecordingRule, Alert): durations in float seconds, times
 * as RFC 3339 (Go's zero time before a first evaluation), alert values as Go's `%e` text.
 *
 * @example
 * registerRuleRoutes(router, manager);
 * // GET /api/v1/rules?type=alert&rule_group[]=ml_inference_slos&exclude_alerts=true
 */
export function registerRuleRoutes(router: Router, manager: Pick<RuleManager, 'groups' | 'alerts'>): void {
  router.get('/api/v1/rules', 'prometheus', (context) => {
    const data = rulesData(manager.groups(), parseRulesRequest(context));
    sendJsonText(context.response, 200, successBody(JSON.stringify(data)));
  });
  router.get('/api/v1/alerts', 'prometheus', ({ response }) => {
    sendJsonText(response, 200, successBody(JSON.stringify({ alerts: manager.alerts().map(alertJson) })));
  });
}

interface RulesRequest {
  ruleNames: ReadonlySet<string>;
  groupNames: ReadonlySet<string>;
  files: ReadonlySet<string>;
  matcherSets: CompiledMatcher[][];
  returnAlerting: boolean;
  returnRecording: boolean;
  excludeAlerts: boolean;
  /** 0: no pagination. */
  groupLimit: number;
  nextToken: string;
}

/** The parameters in Prometheus's order of validation, with its error wording. */
function parseRulesRequest({ query }: RequestContext): RulesRequest {
  const matcherSets = parseMatchSelectors(query.getAll('match[]')).map((matchers) =>
    matchers.map(compileMatcher),
  );
  const type = (query.get('type') ?? '').toLowerCase();
  if (type !== '' && type !== 'alert' && type !== 'record')
    throw invalidParameter('type', `not supported value ${quoteGoString(type)}`);
  return {
    ruleNames: new Set(query.getAll('rule_name[]')),
    groupNames: new Set(query.getAll('rule_group[]')),
    files: new Set(query.getAll('file[]')),
    matcherSets,
    returnAlerting: type !== 'record',
    returnRecording: type !== 'alert',
    excludeAlerts: parseExcludeAlerts(query.get('exclude_alerts') ?? ''),
    ...parsePagination(query),
  };
}

/** strconv.ParseBool after strings.ToLower. */
function parseExcludeAlerts(text: string): boolean {
  const lower = text.toLowerCase();
  if (lower === '') return false;
  if (lower === '1' || lower === 't' || lower === 'true') return true;
  if (lower === '0' || lower === 'f' || lower === 'false') return false;
  throw invalidParameter(
    'exclude_alerts',
    `error converting exclude_alerts: strconv.ParseBool: parsing ${quoteGoString(lower)}: invalid syntax`,
  );
}

/** group_limit / group_next_token (parseListRulesPaginationRequest). */
function parsePagination(query: URLSearchParams): { groupLimit: number; nextToken: string } {
  const limitText = query.get('group_limit') ?? '';
  const nextToken = query.get('group_next_token') ?? '';
  if (nextToken !== '' && limitText === '')
    throw invalidParameter(
      'group_next_token',
      'group_limit needs to be present in order to paginate over the groups',
    );
  if (limitText === '') return { groupLimit: 0, nextToken: '' };
  const integer = /^[+-]?\d+$/.test(limitText);
  if (!integer || Math.abs(Number(limitText)) > 2 ** 31 - 1) {
    const cause = integer ? 'value out of range' : 'invalid syntax';
    throw invalidParameter(
      'group_limit',
      `group_limit needs to be a valid number: strconv.ParseInt: parsing ${quoteGoString(limitText)}: ${cause}`,
    );
  }
  const groupLimit = Number(limitText);
  if (groupLimit <= 0) throw invalidParameter('group_limit', 'group_limit needs to be greater than 0');
  return { groupLimit, nextToken };
}

/** The page token of a group: SHA-1 of `file;name` in hex (getRuleGroupNextToken). */
function groupToken(group: RuleGroupView): string {
  return createHash('sha1').update(`${group.file};${group.name}`).digest('hex');
}

function rulesData(groups: readonly RuleGroupView[], request: RulesRequest): Record<string, unknown> {
  const selected: Record<string, unknown>[] = [];
  let nextToken: string | undefined;
  let foundToken = request.nextToken === '';
  for (const group of groups) {
    if (!foundToken) {
      if (groupToken(group) !== request.nextToken) continue;
      foundToken = true;
    }
    if (request.groupNames.size > 0 && !request.groupNames.has(group.name)) continue;
    if (request.files.size > 0 && !request.files.has(group.file)) continue;
    const rules = group.rules.filter((rule) => wanted(rule, request)).map((rule) => ruleJson(rule, request));
    // A group whose rules were all filtered out is left out.
    if (rules.length === 0) continue;
    if (request.groupLimit > 0 && selected.length === request.groupLimit) {
      nextToken = groupToken(group);
      break;
    }
    selected.push(groupJson(group, rules));
  }
  if (!foundToken)
    throw invalidParameter(
      'group_next_token',
      `invalid group_next_token '${request.nextToken}'. were rule groups changed?`,
    );
  return nextToken === undefined ? { groups: selected } : { groups: selected, groupNextToken: nextToken };
}

function wanted(rule: RuleView, request: RulesRequest): boolean {
  if (request.ruleNames.size > 0 && !request.ruleNames.has(rule.name)) return false;
  if (rule.type === 'alerting' ? !request.returnAlerting : !request.returnRecording) return false;
  // match[] selects on the rule's configured labels, any selector matching (matchesMatcherSets).
  if (request.matcherSets.length === 0) return true;
  return request.matcherSets.some((matchers) =>
    matchers.every((matcher) => matcher.matches(rule.labels[matcher.name] ?? '')),
  );
}

function groupJson(group: RuleGroupView, rules: Record<string, unknown>[]): Record<string, unknown> {
  return {
    name: group.name,
    file: group.file,
    rules,
    interval: group.intervalMs / 1000,
    limit: group.limit,
    evaluationTime: group.evaluationTimeMs / 1000,
    lastEvaluation: goTime(group.lastEvaluationMs),
  };
}

function ruleJson(rule: RuleView, request: RulesRequest): Record<string, unknown> {
  const lastError = rule.lastError === '' ? {} : { lastError: rule.lastError };
  const timing = {
    evaluationTime: rule.evaluationTimeMs / 1000,
    lastEvaluation: goTime(rule.lastEvaluationMs),
  };
  if (rule.type === 'recording') {
    const labels = Object.keys(rule.labels).length > 0 ? { labels: sortedRecord(rule.labels) } : {};
    return {
      name: rule.name,
      query: rule.query,
      ...labels,
      health: rule.health,
      ...lastError,
      ...timing,
      type: 'recording',
    };
  }
  return {
    state: rule.state,
    name: rule.name,
    query: rule.query,
    duration: rule.forMs / 1000,
    keepFiringFor: rule.keepFiringForMs / 1000,
    labels: sortedRecord(rule.labels),
    annotations: sortedRecord(rule.annotations),
    // Upstream leaves the list nil (JSON null) when alerts are excluded.
    alerts: request.excludeAlerts ? null : rule.alerts.map(alertJson),
    health: rule.health,
    ...lastError,
    ...timing,
    type: 'alerting',
  };
}

function alertJson(alert: AlertView): Record<string, unknown> {
  const keepFiringSince =
    alert.keepFiringSinceMs === undefined ? {} : { keepFiringSince: goTime(alert.keepFiringSinceMs) };
  return {
    labels: sortedRecord(alert.labels),
    annotations: sortedRecord(alert.annotations),
    state: alert.state,
    activeAt: goTime(alert.activeAtMs),
    ...keepFiringSince,
    value: formatGoExponent(alert.value),
  };
}

function sortedRecord(record: Readonly<Record<string, string>>): Record<string, string> {
  const sorted: Record<string, string> = {};
  for (const name of Object.keys(record).sort()) sorted[name] = record[name] ?? '';
  return sorted;
}

/** A time as Go's time.Time marshals it in UTC (RFC 3339, fraction without trailing zeros). */
export function goTime(timeMs: number | undefined): string {
  if (timeMs === undefined) return '0001-01-01T00:00:00Z';
  const iso = new Date(timeMs).toISOString();
  const [seconds = iso, fraction = ''] = iso.slice(0, -1).split('.');
  const trimmed = fraction.replace(/0+$/, '');
  return trimmed === '' ? `${seconds}Z` : `${seconds}.${trimmed}Z`;
}

/** strconv.FormatFloat(v, 'e', -1, 64): shortest digits, exponent with a sign and two digits. */
export function formatGoExponent(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (Object.is(value, -0)) return '-0e+00';
  const [mantissa = '', exponent = '+0'] = value.toExponential().split('e');
  const sign = exponent.startsWith('-') ? '-' : '+';
  return `${mantissa}e${sign}${exponent.replace(/^[+-]/, '').padStart(2, '0')}`;
}
