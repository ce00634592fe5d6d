import type { BinaryExpr, BinaryOp, VectorMatching } from './ast.ts';
import { PromQLError } from './errors.ts';
import type { EvalValue, StepSeries } from './eval-types.ts';
import type { Evaluator } from './evaluator.ts';
import { dropMetricName } from './labels.ts';
import { matchVectors } from './vector-matching.ts';
import { setOperation } from './set-operations.ts';
import { mergeSameLabels as mergeSameLabelsChecked } from './series-merge.ts';

/**
 * Binary operators (promql/engine.go VectorBinop, VectorscalarBinop, scalarBinop): arithmetic
 * drops the metric name, comparisons filter unless `bool`, vector–vector operands are matched
 * by signature (vector-matching.ts), and/or/unless are set operations (set-operations.ts).
 */
export async function evalBinary(ev: Evaluator, expr: BinaryExpr): Promise<EvalValue> {
  const lhs = await ev.eval(expr.lhs);
  const rhs = await ev.eval(expr.rhs);
  if (lhs.type === 'scalar' && rhs.type === 'scalar') return scalarBinary(expr, lhs.values, rhs.values);
  if (lhs.type === 'vector' && rhs.type === 'scalar')
    return vectorScalar(expr, lhs.series, rhs.values, false);
  if (lhs.type === 'scalar' && rhs.type === 'vector') return vectorScalar(expr, rhs.series, lhs.values, true);
  if (lhs.type === 'vector' && rhs.type === 'vector') {
    const matching: VectorMatching = expr.matching ?? {
      card: 'one-to-one',
      on: false,
      matchingLabels: [],
      include: [],
    };
    if (isSetOp(expr.op))
      return {
        type: 'vector',
        series: setOperation(expr.op, lhs.series, rhs.series, matching, ev.ctx.grid.count),
      };
    return { type: 'vector', series: matchVectors(ev, expr, matching, lhs.series, rhs.series) };
  }
  throw new PromQLError('execution', 'binary expression must contain only scalar and instant vector types');
}

export function isSetOp(op: BinaryOp): op is 'and' | 'or' | 'unless' {
  return op === 'and' || op === 'or' || op === 'unless';
}

export function isComparison(op: BinaryOp): boolean {
  return op === '==' || op === '!=' || op === '>' || op === '<' || op === '>=' || op === '<=';
}

/** Arithmetic results lose the metric name (engine.go shouldDropMetricName). */
export function dropsMetricName(op: BinaryOp): boolean {
  return !isComparison(op) && !isSetOp(op);
}

/** One operation on two floats: the value, and whether a comparison keeps the element. */
export function applyOp(op: BinaryOp, lhs: number, rhs: number): [number, boolean] {
  switch (op) {
    case '+':
      return [lhs + rhs, true];
    case '-':
      return [lhs - rhs, true];
    case '*':
      return [lhs * rhs, true];
    case '/':
      return [lhs / rhs, true];
    case '%':
      return [lhs % rhs, true];
    case '^':
      return [goPow(lhs, rhs), true];
    case 'atan2':
      return [Math.atan2(lhs, rhs), true];
    case '==':
      return [lhs, lhs === rhs];
    case '!=':
      return [lhs, lhs !== rhs];
    case '>':
      return [lhs, lhs > rhs];
    case '<':
      return [lhs, lhs < rhs];
    case '>=':
      return [lhs, lhs >= rhs];
    case '<=':
      return [lhs, lhs <= rhs];
    default:
      throw new PromQLError('execution', `operator "${op}" not allowed for operations on floats`);
  }
}

/** Go's math.Pow, which differs from JS `**` for a base of 1 and a base of -1 with infinite exponents. */
function goPow(base: number, exponent: number): number {
  if (base === 1) return 1;
  if (base === -1 && !Number.isFinite(exponent) && !Number.isNaN(exponent)) return 1;
  return base ** exponent;
}

function scalarBinary(expr: BinaryExpr, lhs: Float64Array, rhs: Float64Array): EvalValue {
  const values = new Float64Array(lhs.length);
  for (let step = 0; step < lhs.length; step++) {
    const [value, keep] = applyOp(expr.op, lhs[step] ?? NaN, rhs[step] ?? NaN);
    values[step] = isComparison(expr.op) ? (keep ? 1 : 0) : value;
  }
  return { type: 'scalar', values };
}

function vectorScalar(
  expr: BinaryExpr,
  series: readonly StepSeries[],
  scalar: Float64Array,
  swap: boolean,
): EvalValue {
  const comparison = isComparison(expr.op);
  const dropName = dropsMetricName(expr.op) || expr.returnBool;
  const result: StepSeries[] = [];
  for (const input of series) {
    const out: StepSeries = {
      labels: dropName ? dropMetricName(input.labels) : input.labels,
      values: new Float64Array(input.values.length),
      present: new Uint8Array(input.values.length),
    };
    let any = false;
    for (let step = 0; step < input.values.length; step++) {
      if (input.present[step] !== 1) continue;
      const vectorValue = input.values[step] ?? 0;
      const scalarValue = scalar[step] ?? NaN;
      let [value, keep] = swap
        ? applyOp(expr.op, scalarValue, vectorValue)
        : applyOp(expr.op, vectorValue, scalarValue);
      // A comparison keeps the vector element's value even when the scalar is on the left.
      if (comparison && swap) value = vectorValue;
      if (expr.returnBool) {
        value = keep ? 1 : 0;
        keep = true;
      }
      if (!keep) continue;
      out.values[step] = value;
      out.present[step] = 1;
      any = true;
    }
    if (any) result.push(out);
  }
  return { type: 'vector', series: dropName ? mergeSameLabelsChecked(result) : result };
}
