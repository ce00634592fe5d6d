/**
 * The filter processor's own metric-context functions (processor/filterprocessor README,
 * "HasAttrKeyOnDatapoint" and "HasAttrOnDatapoint"): true when any point of the metric has the key
 * (and value).
 */
import type { ConverterDefinition, Getter } from '../context.ts';
import { OttlParseError } from '../parse-error.ts';
import type { ValueExpr } from '../ast.ts';
import type { MetricGroup } from './metric-context.ts';

function literalString(expr: ValueExpr | undefined, name: string, column: number): string {
  if (expr?.kind === 'literal' && typeof expr.value === 'string') return expr.value;
  throw new OttlParseError(`${name} takes string literals`, column);
}

const hasAttrKey: ConverterDefinition<MetricGroup> = {
  returns: 'bool',
  arity: 1,
  compile(_args, argExprs, column): Getter<MetricGroup> {
    const key = literalString(argExprs[0], 'HasAttrKeyOnDatapoint', column);
    return (group) => group.points.some((p) => p.attributes[key] !== undefined);
  },
};

const hasAttr: ConverterDefinition<MetricGroup> = {
  returns: 'bool',
  arity: 2,
  compile(_args, argExprs, column): Getter<MetricGroup> {
    const key = literalString(argExprs[0], 'HasAttrOnDatapoint', column);
    const value = literalString(argExprs[1], 'HasAttrOnDatapoint', column);
    return (group) => group.points.some((p) => p.attributes[key] === value);
  },
};

export const METRIC_CONVERTERS: Readonly<Record<string, ConverterDefinition<MetricGroup>>> = {
  HasAttrKeyOnDatapoint: hasAttrKey,
  HasAttrOnDatapoint: hasAttr,
};
