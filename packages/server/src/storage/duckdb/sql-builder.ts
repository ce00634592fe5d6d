import type { AttributeValue } from '../../model/attributes.ts';
import type { AttributeFilter, TimeRange } from '../store.ts';
import { uintLiteral } from './dimension-decoder.ts';
import type { SqlParam } from './worker-protocol.ts';

/** Collects positional parameters: every value that came from a request is bound, never spliced. */
export class SqlBuilder {
  readonly params: SqlParam[] = [];
  param(value: SqlParam): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }
}

/**
 * A time-range condition with inlined literals: literal bounds let DuckDB skip row groups by their
 * zonemaps, which bound parameters do not always do. Literals come from bigints only (digits).
 */
export function rangeCondition(column: string, range: TimeRange | undefined): string[] {
  if (!range) return [];
  return [
    `${column} BETWEEN ${uintLiteral(range.startUnixNano, 'UBIGINT')} AND ${uintLiteral(range.endUnixNano, 'UBIGINT')}`,
  ];
}

/** An attribute's value as text, whatever its scalar type (for regex, values listing). */
export function attributeTextSql(alias: string, key: string): string {
  return `coalesce(${alias}attr_str[${key}], ${alias}attr_int[${key}]::VARCHAR, ${alias}attr_dbl[${key}]::VARCHAR, ${alias}attr_bool[${key}]::VARCHAR)`;
}

const COMPARISON = { '=': '=', '!=': '<>', '>': '>', '>=': '>=', '<': '<', '<=': '<=' } as const;

function numericValue(value: AttributeValue): number | bigint | null {
  if (typeof value === 'bigint' || typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
    return /^-?\d+$/.test(value.trim()) ? BigInt(value.trim()) : Number(value);
  }
  return null;
}

/**
 * One attribute filter over the typed maps at `alias` (`s.` spans, `r.` resources). A filter only
 * matches records that have the attribute, so `!=` and `!~` mean "present and different".
 * Numbers compare numerically across the int and double maps (an int attribute `> 2.5` works).
 */
export function attributeCondition(filter: AttributeFilter, alias: string, sql: SqlBuilder): string {
  const key = sql.param(filter.key);
  const { op, value } = filter;
  if (op === '=~' || op === '!~') {
    if (typeof value !== 'string') throw new TypeError('a regex filter needs a string value');
    const match = `regexp_full_match(${attributeTextSql(alias, key)}, ${sql.param(value)})`;
    return op === '=~' ? match : `NOT ${match}`;
  }
  const cmp = COMPARISON[op];
  if (typeof value === 'boolean') {
    if (op !== '=' && op !== '!=') throw new TypeError('booleans compare with = and != only');
    return `${alias}attr_bool[${key}] ${cmp} ${sql.param(value)}`;
  }
  const numeric =
    op === '=' || op === '!='
      ? typeof value === 'string'
        ? null
        : numericValue(value)
      : numericValue(value);
  if (numeric !== null) {
    const asDouble = sql.param(Number(numeric));
    const asInt = typeof numeric === 'bigint' ? `${sql.param(numeric)}::BIGINT` : asDouble;
    const intSide =
      typeof numeric === 'bigint' ? `${alias}attr_int[${key}]` : `${alias}attr_int[${key}]::DOUBLE`;
    return `(${intSide} ${cmp} ${asInt} OR ${alias}attr_dbl[${key}] ${cmp} ${asDouble})`;
  }
  if (typeof value !== 'string') throw new TypeError('unsupported attribute filter value type');
  return `${alias}attr_str[${key}] ${cmp} ${sql.param(value)}`;
}

/** Span attributes copied into their own columns (span attribute first, else resource). */
const PROMOTED_COLUMNS: Record<string, string> = {
  'ml.model.name': 'model_name',
  'ml.model.version': 'model_version',
  'http.route': 'http_route',
};

/**
 * Extra conditions implied by a filter that a dedicated column can check faster than the maps:
 * a span attribute `ml.model.version = 'x'` implies model_version = 'x' (never the converse).
 */
export function promotedCondition(filter: AttributeFilter, sql: SqlBuilder): string | null {
  if (filter.op !== '=' || typeof filter.value !== 'string') return null;
  if (filter.scope === 'resource' && filter.key === 'service.name')
    return `s.service = ${sql.param(filter.value)}`;
  const column = filter.scope === 'span' ? PROMOTED_COLUMNS[filter.key] : undefined;
  return column ? `s.${column} = ${sql.param(filter.value)}` : null;
}
