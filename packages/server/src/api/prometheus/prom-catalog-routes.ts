import { PromQLError } from '../../query/promql/errors.ts';
import { compareStrings, sortedLabelNames, type Labels } from '../../query/promql/labels.ts';
import type { MetricMetadata } from '../../query/promql/series-source.ts';
import { quoteGoString } from '../../query/promql/format-query.ts';
import type { RequestContext } from '../router.ts';
import {
  TRUNCATED_WARNING,
  type PromApiContext,
  type PromEndpoint,
  type PromResult,
} from './prom-api-context.ts';
import { labelsJson } from './prom-json.ts';
import { parseMatchSelectors } from './prom-match.ts';
import {
  MAX_TIME_MS,
  MIN_TIME_MS,
  badData,
  formValue,
  invalidParameter,
  limitParam,
  timeParam,
} from './prom-params.ts';

/** /api/v1/series, labels, label/{name}/values, metadata, status/buildinfo (web/api/v1/api.go). */
export const CATALOG_ENDPOINTS: readonly PromEndpoint[] = [
  { name: 'series', path: '/api/v1/series', post: true, handler: series },
  { name: 'labels', path: '/api/v1/labels', post: true, handler: labelNames },
  { name: 'label_values', path: '/api/v1/label/{name}/values', post: false, handler: labelValues },
  { name: 'metadata', path: '/api/v1/metadata', post: false, handler: metadata },
  { name: 'buildinfo', path: '/api/v1/status/buildinfo', post: false, handler: buildInfo },
  { name: 'tsdb_status', path: '/api/v1/status/tsdb', post: false, handler: tsdbStatus },
];

interface CatalogRange {
  startMs: number;
  endMs: number;
  /** What the client asked for (0: none), capped by the server's maximum. */
  limit: number;
}

/** `limit`, `start`, `end` in Prometheus's order of validation; no range check (as upstream). */
function catalogRange(params: URLSearchParams, api: PromApiContext): CatalogRange {
  const requested = limitParam(params);
  const startMs = timeParam(params, 'start', MIN_TIME_MS);
  const endMs = timeParam(params, 'end', MAX_TIME_MS);
  const limit = requested > 0 ? Math.min(requested, api.maxCatalogResults) : api.maxCatalogResults;
  return { startMs, endMs, limit };
}

/** Cuts a sorted result to `limit`, with Prometheus's warning when something was cut. */
function limited<T>(items: T[], limit: number): { items: T[]; warnings: string[] } {
  if (items.length <= limit) return { items, warnings: [] };
  return { items: items.slice(0, limit), warnings: [TRUNCATED_WARNING] };
}

async function series(
  params: URLSearchParams,
  _request: RequestContext,
  api: PromApiContext,
): Promise<PromResult> {
  const matchTexts = params.getAll('match[]');
  if (matchTexts.length === 0) throw badData('no match[] parameter provided');
  const range = catalogRange(params, api);
  const selectors = withParameterName('match[]', () => parseMatchSelectors(matchTexts));
  // One more than the limit (toHintLimit), so a cut result is known to be cut.
  const found = await api.catalog.series(selectors, range.startMs, range.endMs, range.limit + 1);
  const { items, warnings } = limited([...found].sort(compareLabels), range.limit);
  return { dataJson: `[${items.map(labelsJson).join(',')}]`, warnings };
}

async function labelNames(
  params: URLSearchParams,
  _request: RequestContext,
  api: PromApiContext,
): Promise<PromResult> {
  const range = catalogRange(params, api);
  const selectors = parseMatchSelectors(params.getAll('match[]'));
  const names = await api.catalog.labelNames(selectors, range.startMs, range.endMs, range.limit + 1);
  const { items, warnings } = limited(uniqueSorted(names), range.limit);
  return { dataJson: JSON.stringify(items), warnings };
}

async function labelValues(
  params: URLSearchParams,
  request: RequestContext,
  api: PromApiContext,
): Promise<PromResult> {
  const name = unescapeLabelName(request.pathParams.name ?? '');
  if (name === '' || !isWellFormed(name)) throw badData(`invalid label name: ${quoteGoString(name)}`);
  const range = catalogRange(params, api);
  const selectors = parseMatchSelectors(params.getAll('match[]'));
  const values = await api.catalog.labelValues(name, selectors, range.startMs, range.endMs, range.limit + 1);
  const { items, warnings } = limited(uniqueSorted(values), range.limit);
  return { dataJson: JSON.stringify(items), warnings };
}

async function metadata(
  params: URLSearchParams,
  _request: RequestContext,
  api: PromApiContext,
): Promise<PromResult> {
  const limit = optionalInteger(params, 'limit');
  const limitPerMetric = optionalInteger(params, 'limit_per_metric');
  const metric = formValue(params, 'metric');
  // A negative limit means none (Prometheus's default -1); Vigil's cap applies either way.
  const metricLimit = limit < 0 ? api.maxCatalogResults : Math.min(limit, api.maxCatalogResults);
  const byMetric = await api.catalog.metadata(metric === '' ? undefined : metric, metricLimit);
  const fields: string[] = [];
  for (const [name, entries] of byMetric) {
    if (fields.length >= metricLimit) break;
    const kept = limitPerMetric > 0 ? entries.slice(0, limitPerMetric) : entries;
    fields.push(`${JSON.stringify(name)}:${JSON.stringify(kept.map(metadataJson))}`);
  }
  return { dataJson: `{${fields.join(',')}}` };
}

function buildInfo(
  _params: URLSearchParams,
  _request: RequestContext,
  api: PromApiContext,
): Promise<PromResult> {
  return Promise.resolve({ dataJson: JSON.stringify(api.buildInfo) });
}

/**
 * /api/v1/status/tsdb: where the series come from (Prometheus's TSDB stats; `limit` default 10),
 * plus Vigil's `growthDrivers` — the label with most distinct values in each top metric.
 */
async function tsdbStatus(
  params: URLSearchParams,
  _request: RequestContext,
  api: PromApiContext,
): Promise<PromResult> {
  const text = formValue(params, 'limit');
  const limit = text === '' ? 10 : Number(text);
  if (!Number.isInteger(limit) || limit < 1) throw badData('limit must be a positive number');
  return { dataJson: JSON.stringify(await api.catalog.cardinality(Math.min(limit, api.maxCatalogResults))) };
}

/** metricMetadata's `limit`/`limit_per_metric`: any integer, -1 when absent. */
function optionalInteger(params: URLSearchParams, name: string): number {
  const text = formValue(params, name);
  if (text === '') return -1;
  if (!/^[+-]?\d{1,18}$/.test(text)) throw badData(`${name} must be a number`);
  return Number(text);
}

function metadataJson(entry: MetricMetadata): MetricMetadata {
  return { type: entry.type, help: entry.help, unit: entry.unit };
}

/** Runs a parse whose errors Prometheus reports as `invalid parameter "name": …`. */
function withParameterName<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (error: unknown) {
    if (error instanceof PromQLError && error.type === 'bad_data')
      throw invalidParameter(name, error.message);
    throw error;
  }
}

function uniqueSorted(texts: readonly string[]): string[] {
  return [...new Set(texts)].sort(compareStrings);
}

/** labels.Compare: label by label in name order, by name then value; a prefix sorts first. */
function compareLabels(a: Labels, b: Labels): number {
  const namesA = sortedLabelNames(a);
  const namesB = sortedLabelNames(b);
  for (let i = 0; i < Math.min(namesA.length, namesB.length); i++) {
    const nameA = namesA[i] ?? '';
    const nameB = namesB[i] ?? '';
    if (nameA !== nameB) return compareStrings(nameA, nameB);
    const order = compareStrings(a.get(nameA) ?? '', b.get(nameB) ?? '');
    if (order !== 0) return order;
  }
  return namesA.length - namesB.length;
}

/**
 * Label names in a path may use Prometheus's `U__` escaping for UTF-8 names (model.UnescapeName
 * with ValueEncodingEscaping): `U__` prefix, `__` for `_`, `_<hex>_` for a code point. A name
 * that does not unescape cleanly is taken as written, as upstream does.
 */
export function unescapeLabelName(name: string): string {
  if (!name.startsWith('U__')) return name;
  let result = '';
  const body = name.slice(3);
  for (let i = 0; i < body.length; i++) {
    const char = body[i] ?? '';
    if (char !== '_') {
      result += char;
      continue;
    }
    if (body[i + 1] === '_') {
      result += '_';
      i += 1;
      continue;
    }
    const end = body.indexOf('_', i + 1);
    const hex = end < 0 ? '' : body.slice(i + 1, end);
    if (!/^[0-9a-fA-F]{1,6}$/.test(hex) || parseInt(hex, 16) > 0x10ffff) return name;
    result += String.fromCodePoint(parseInt(hex, 16));
    i = end;
  }
  return result;
}

/** UTF-8 validity (Prometheus 3's label name rule): no lone surrogates. */
function isWellFormed(text: string): boolean {
  return !/\p{Cs}/u.test(text);
}
