import { StatusCode, type SpanKind } from '../../model/span.ts';
import type {
  AttributeFilter,
  AttributeScope,
  DependencyEdge,
  Operation,
  Store,
  TimeRange,
  TraceQuery,
  TraceSummary,
} from '../../storage/store.ts';
import { inferTypedValue } from './attribute-filter.ts';
import type { ClockSkewOptions } from './clock-skew.ts';
import type { JaegerTag, JaegerTraceSearch } from './jaeger-search-request.ts';
import { parseSpanKind, parseStatusCode } from './search-params.ts';
import { assembleTrace, type AssembledTrace } from './trace-tree.ts';

export interface TraceQueryOptions {
  /** Clock-skew adjustment for fetched traces; `false` disables it. Default: on, no cap. */
  clockSkew?: ClockSkewOptions | false;
  /** How many traces a search fetches from the store at once (each is one getTrace). */
  fetchConcurrency?: number;
}

/**
 * Trace queries on top of a Store: fetch + assemble (tree, orphans, clock skew), search, and the
 * Jaeger tag semantics the Store has no notion of (`error=true`, `span.kind`, `otel.status_code`
 * are synthetic Jaeger tags; a tag that is only ever a resource attribute is a Jaeger process tag).
 *
 * @example
 * const traces = new TraceQueryService(store);
 * const trace = await traces.getTrace('4bf92f3577b34da6a3ce929d0e0e4736');
 */
export class TraceQueryService {
  private readonly clockSkew: ClockSkewOptions | false;
  private readonly fetchConcurrency: number;

  constructor(
    private readonly store: Store,
    options: TraceQueryOptions = {},
  ) {
    this.clockSkew = options.clockSkew ?? {};
    this.fetchConcurrency = options.fetchConcurrency ?? 8;
  }

  /** The assembled trace, or undefined when no span of it is stored. */
  async getTrace(
    traceId: string,
    options: { adjustClockSkew?: boolean } = {},
  ): Promise<AssembledTrace | undefined> {
    const spans = await this.store.getTrace(traceId);
    if (spans.length === 0) return undefined;
    return assembleTrace(spans, { clockSkew: options.adjustClockSkew === false ? false : this.clockSkew });
  }

  searchTraces(query: TraceQuery): Promise<TraceSummary[]> {
    return this.store.searchTraces(query);
  }

  /** Full traces for a Jaeger search (Jaeger's /api/traces returns whole traces, not summaries). */
  async findJaegerTraces(search: JaegerTraceSearch): Promise<AssembledTrace[]> {
    let traceIds = search.traceIds;
    if (traceIds.length === 0) {
      const attributes = await this.resolveJaegerTags(search.query, search.tags);
      if (attributes === undefined) return [];
      const summaries = await this.store.searchTraces({ ...search.query, attributes });
      traceIds = summaries.map((summary) => summary.traceId);
    }
    const traces = await this.mapConcurrently(traceIds, (traceId) => this.getTrace(traceId));
    return traces.filter((trace): trace is AssembledTrace => trace !== undefined);
  }

  services(range?: TimeRange): Promise<string[]> {
    return this.store.services(range);
  }

  async operations(service: string, range?: TimeRange, kind?: SpanKind): Promise<Operation[]> {
    const operations = await this.store.operations(service, range);
    return kind === undefined ? operations : operations.filter((operation) => operation.kind === kind);
  }

  attributeKeys(scope: AttributeScope, range?: TimeRange): Promise<string[]> {
    return this.store.attributeKeys(scope, range);
  }

  attributeValues(scope: AttributeScope, key: string, range?: TimeRange, limit?: number): Promise<string[]> {
    return this.store.attributeValues(scope, key, range, limit);
  }

  dependencies(range: TimeRange): Promise<DependencyEdge[]> {
    return this.store.dependencies(range);
  }

  /**
   * Turns Jaeger tags into store filters, folding synthetic tags into the query. Returns undefined
   * when the tags cannot match anything (e.g. an unknown `span.kind`), so the search is empty.
   */
  private async resolveJaegerTags(
    query: TraceQuery,
    tags: JaegerTag[],
  ): Promise<AttributeFilter[] | undefined> {
    const filters: AttributeFilter[] = [...(query.attributes ?? [])];
    let resourceOnlyKeys: Set<string> | undefined;
    for (const tag of tags) {
      const folded = foldSyntheticTag(query, tag);
      if (folded === 'unmatchable') return undefined;
      if (folded === 'folded') continue;
      resourceOnlyKeys ??= await this.resourceOnlyKeys(query.range);
      const scope: AttributeScope = resourceOnlyKeys.has(tag.key) ? 'resource' : 'span';
      filters.push({ scope, key: tag.key, op: '=', value: inferTypedValue(tag.value) });
    }
    return filters;
  }

  private async resourceOnlyKeys(range?: TimeRange): Promise<Set<string>> {
    const [spanKeys, resourceKeys] = await Promise.all([
      this.store.attributeKeys('span', range),
      this.store.attributeKeys('resource', range),
    ]);
    const span = new Set(spanKeys);
    return new Set(resourceKeys.filter((key) => !span.has(key)));
  }

  private async mapConcurrently<T, R>(inputs: readonly T[], map: (input: T) => Promise<R>): Promise<R[]> {
    const results: R[] = new Array<R>(inputs.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < inputs.length) {
        const index = next++;
        results[index] = await map(inputs[index] as T);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.fetchConcurrency, inputs.length) }, worker));
    return results;
  }
}

/**
 * Tags that Jaeger's OTLP translator synthesizes (span.kind, otel.status_code, error) are span
 * fields in Vigil, so they become query fields instead of attribute filters.
 */
function foldSyntheticTag(query: TraceQuery, tag: JaegerTag): 'folded' | 'attribute' | 'unmatchable' {
  try {
    switch (tag.key) {
      case 'span.kind':
        return conflictOr(query, 'kind', parseSpanKind('tags', tag.value));
      case 'otel.status_code':
        return conflictOr(query, 'statusCode', parseStatusCode('tags', tag.value));
      case 'error':
        if (tag.value !== 'true') return 'attribute';
        return conflictOr(query, 'statusCode', StatusCode.ERROR);
      default:
        return 'attribute';
    }
  } catch {
    // A value Jaeger would compare as text and never find (e.g. span.kind=foo): nothing matches.
    return 'unmatchable';
  }
}

function conflictOr<K extends 'kind' | 'statusCode'>(
  query: TraceQuery,
  field: K,
  value: NonNullable<TraceQuery[K]>,
): 'folded' | 'unmatchable' {
  if (query[field] !== undefined && query[field] !== value) return 'unmatchable';
  query[field] = value;
  return 'folded';
}
