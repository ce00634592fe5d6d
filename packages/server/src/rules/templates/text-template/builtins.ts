import { htmlEscapeString, jsEscapeString, queryEscape } from '../go/go-escape.ts';
import { sprint, sprintf, sprintln } from '../go/go-fmt.ts';
import { goFunc, GoFuncError, type GoFunc } from '../go/go-func.ts';
import { GO, goBool, goInt, goString, INVALID, zeroValue, type GoValue } from '../go/go-values.ts';
import { eq, lt } from './builtin-compare.ts';
import { indirect, isTrue } from './exec-values.ts';

/** text/template's builtin functions (funcs.go builtins()), with Go's error messages. */

const V = GO.reflectValue;
const ANY = GO.any;
const UTF8 = new TextEncoder();
const UTF8_DECODER = new TextDecoder();

function typeName(value: GoValue): string {
  return value.kind === 'invalid' ? '<nil>' : value.type.name;
}

/** evalArgs: one string argument as is, otherwise fmt.Sprint with pointers followed. */
function evalArgs(args: readonly GoValue[]): string {
  if (args.length === 1 && args[0]?.kind === 'string') return args[0].value;
  return sprint(
    args.map((arg) => {
      const [target] = indirect(arg);
      return target.kind === 'invalid' ? goString('<no value>') : target;
    }),
  );
}

function length([item = INVALID]: GoValue[]): GoValue {
  const [target, isNil] = indirect(item);
  if (isNil) throw new GoFuncError('len of nil pointer');
  if (target.kind === 'string') return goInt(UTF8.encode(target.value).length);
  if (target.kind === 'map') return goInt(target.value?.size ?? 0);
  if (target.kind === 'slice') return goInt(target.value?.length ?? 0);
  if (target.kind === 'invalid') throw new GoFuncError('reflect: call of reflect.Value.Type on zero Value');
  throw new GoFuncError(`len of type ${target.type.name}`);
}

/** indexArg: an int index within [0, cap]. */
function indexArg(index: GoValue, cap: number): number {
  if (index.kind === 'invalid') throw new GoFuncError('cannot index slice/array with nil');
  if (index.kind !== 'int' && index.kind !== 'uint')
    throw new GoFuncError(`cannot index slice/array with type ${index.type.name}`);
  if (index.value < 0n || index.value > BigInt(cap))
    throw new GoFuncError(`index out of range: ${index.value}`);
  return Number(index.value);
}

function indexOne(item: GoValue, index: GoValue): GoValue {
  const [target, isNil] = indirect(item);
  if (isNil) throw new GoFuncError('index of nil pointer');
  if (target.kind === 'slice' || target.kind === 'string') {
    const size = target.kind === 'string' ? UTF8.encode(target.value).length : (target.value ?? []).length;
    const x = indexArg(index, size);
    if (x === size) throw new GoFuncError(`index out of range: ${x}`);
    return target.kind === 'string'
      ? goInt(UTF8.encode(target.value)[x] ?? 0, GO.uint8)
      : ((target.value ?? [])[x] ?? INVALID);
  }
  if (target.kind === 'map') {
    if (index.kind === 'invalid') throw new GoFuncError('value is nil; should be of type string');
    if (index.kind !== 'string' || index.type.name !== 'string')
      throw new GoFuncError(`value has type ${index.type.name}; should be string`);
    return target.value?.get(index.value) ?? zeroValue(target.type.elem ?? ANY);
  }
  throw new GoFuncError(`can't index item of type ${typeName(target)}`);
}

function index([item = INVALID, ...indexes]: GoValue[]): GoValue {
  if (item.kind === 'invalid') throw new GoFuncError('index of untyped nil');
  return indexes.reduce(indexOne, item);
}

function slice([item = INVALID, ...indexes]: GoValue[]): GoValue {
  if (item.kind === 'invalid') throw new GoFuncError('slice of untyped nil');
  if (indexes.length > 3) throw new GoFuncError(`too many slice indexes: ${indexes.length}`);
  if (item.kind === 'string' && indexes.length === 3) throw new GoFuncError('cannot 3-index slice a string');
  if (item.kind !== 'string' && item.kind !== 'slice')
    throw new GoFuncError(`can't slice item of type ${item.type.name}`);
  const bytes = item.kind === 'string' ? UTF8.encode(item.value) : undefined;
  const size = bytes ? bytes.length : (item.value ?? []).length;
  const idx = [0, size, size];
  indexes.forEach((value, i) => (idx[i] = indexArg(value, size)));
  const [from = 0, to = size, max = size] = idx;
  if (from > to) throw new GoFuncError(`invalid slice index: ${from} > ${to}`);
  if (indexes.length === 3 && to > max) throw new GoFuncError(`invalid slice index: ${to} > ${max}`);
  if (item.kind === 'string') return goString(UTF8_DECODER.decode(bytes?.subarray(from, to)), item.type);
  return { kind: 'slice', type: item.type, value: (item.value ?? []).slice(from, to) };
}

function call([name = INVALID, fn = INVALID]: GoValue[]): GoValue {
  if (fn.kind === 'invalid') throw new GoFuncError('call of nil');
  // No function values exist in Prometheus template data, so anything called is a non-function.
  throw new GoFuncError(`non-function ${name.kind === 'string' ? name.value : ''} of type ${fn.type.name}`);
}

function compare(test: (a: GoValue, b: GoValue) => boolean): GoFunc {
  return goFunc([V, V], ([a = INVALID, b = INVALID]) => goBool(test(a, b)));
}

const le = (a: GoValue, b: GoValue): boolean => lt(a, b) || eq([a, b]);

export const BUILTINS: ReadonlyMap<string, GoFunc> = new Map<string, GoFunc>([
  // and/or short-circuit inside evalCall; these bodies never run.
  ['and', goFunc([V], () => INVALID, V)],
  ['or', goFunc([V], () => INVALID, V)],
  ['call', goFunc([V], call, V)],
  ['html', goFunc([], (args) => goString(htmlEscapeString(evalArgs(args))), ANY)],
  ['index', goFunc([V], index, V)],
  ['slice', goFunc([V], slice, V)],
  ['js', goFunc([], (args) => goString(jsEscapeString(evalArgs(args))), ANY)],
  ['len', goFunc([V], length)],
  ['not', goFunc([V], ([arg = INVALID]) => goBool(!isTrue(arg).truth))],
  ['print', goFunc([], (args) => goString(sprint(args)), ANY)],
  [
    'printf',
    goFunc(
      [GO.string],
      ([format, ...args]) => goString(sprintf(format?.kind === 'string' ? format.value : '', args)),
      ANY,
    ),
  ],
  ['println', goFunc([], (args) => goString(sprintln(args)), ANY)],
  ['urlquery', goFunc([], (args) => goString(queryEscape(evalArgs(args))), ANY)],
  ['eq', goFunc([V], (args) => goBool(eq(args)), V)],
  ['ne', compare((a, b) => !eq([a, b]))],
  ['lt', compare(lt)],
  ['le', compare(le)],
  ['gt', compare((a, b) => !le(a, b))],
  ['ge', compare((a, b) => !lt(a, b))],
]);
