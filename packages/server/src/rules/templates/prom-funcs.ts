import { queryEscape } from './go/go-escape.ts';
import { formatFloat } from './go/go-float-format.ts';
import { goFunc, GoFuncError, NIL_POINTER_PANIC, type GoFunc } from './go/go-func.ts';
import { matchGo, mustCompileGoRegexp, compileGoRegexp, replaceAllGo } from './go/go-regexp.ts';
import { goTitle, goToLower, goToUpper } from './go/go-strings.ts';
import { timeString } from './go/go-time.ts';
import {
  compareGoStrings,
  GO,
  goBool,
  goFloat,
  goInt,
  goMap,
  goPtr,
  goSlice,
  goString,
  goStringMap,
  goStruct,
  goTime,
  INVALID,
  type GoValue,
} from './go/go-values.ts';
import { stripDomain, stripPort } from './host-port.ts';
import {
  convertToFloat,
  floatToDurationNanos,
  floatToUnixNanos,
  humanize,
  humanize1024,
  humanizeDuration,
  humanizePercentage,
} from './humanize.ts';
import { parsePrometheusDurationMs } from './prom-duration.ts';
import type { TemplateQuerySample } from './template-types.ts';

/** What Prometheus's template functions need from the expansion (NewTemplateExpander's arguments). */
export interface PrometheusFuncContext {
  /** The samples of `expr` at the evaluation time; throws for a failed (or not yet run) query. */
  readonly query: (expr: string) => readonly TemplateQuerySample[];
  readonly timeMs: number;
  readonly externalURL: string;
  readonly pathPrefix: string;
}

const S = GO.string;
const ANY = GO.any;

function str(value: GoValue | undefined): string {
  return value?.kind === 'string' ? value.value : '';
}

/** The sample a *sample points to; a nil pointer panics in Go, which the call reports. */
function sampleFields(value: GoValue | undefined): ReadonlyMap<string, GoValue> {
  if (value?.kind !== 'ptr' || value.value?.kind !== 'struct') throw new GoFuncError(NIL_POINTER_PANIC);
  return value.value.value;
}

function sampleLabel(sample: GoValue | undefined, name: string): string {
  const labels = sampleFields(sample).get('Labels');
  return labels?.kind === 'map' ? str(labels.value?.get(name)) : '';
}

/** A query result as Prometheus hands it to templates: a queryResult of *sample. */
export function queryResultValue(samples: readonly TemplateQuerySample[]): GoValue {
  const items = samples.map((sample): GoValue => {
    const fields = new Map<string, GoValue>([
      ['Labels', goStringMap(sample.labels)],
      ['Value', goFloat(sample.value)],
    ]);
    return goPtr(GO.samplePtr, goStruct(GO.sample, fields));
  });
  return goSlice(GO.queryResult, items);
}

function queryFuncs(context: () => PrometheusFuncContext): [string, GoFunc][] {
  return [
    ['query', goFunc([S], ([expr]) => queryResultValue(context().query(str(expr))))],
    [
      'first',
      goFunc([GO.queryResult], ([result]) => {
        const first = result?.kind === 'slice' ? result.value?.[0] : undefined;
        if (first === undefined) throw new GoFuncError('first() called on vector with no elements');
        return first;
      }),
    ],
    ['label', goFunc([S, GO.samplePtr], ([name, sample]) => goString(sampleLabel(sample, str(name))))],
    ['value', goFunc([GO.samplePtr], ([sample]) => sampleFields(sample).get('Value') ?? INVALID)],
    ['strvalue', goFunc([GO.samplePtr], ([sample]) => goString(sampleLabel(sample, '__value__')))],
    [
      'sortByLabel',
      goFunc([S, GO.queryResult], ([name, result]) => {
        // sort.Stable on the slice itself, as Prometheus does.
        if (result?.kind === 'slice')
          result.value?.sort((a, b) =>
            compareGoStrings(sampleLabel(a, str(name)), sampleLabel(b, str(name))),
          );
        return result ?? goSlice(GO.queryResult, []);
      }),
    ],
  ];
}

/** A (interface{}) (string, error) function over convertToFloat. */
function numberFunc(format: (value: number) => string): GoFunc {
  return goFunc([ANY], ([value]) => goString(format(convertToFloat(value ?? goFloat(0)))));
}

function formatFuncs(): [string, GoFunc][] {
  return [
    ['humanize', numberFunc(humanize)],
    ['humanize1024', numberFunc(humanize1024)],
    ['humanizeDuration', numberFunc(humanizeDuration)],
    ['humanizePercentage', numberFunc(humanizePercentage)],
    [
      'humanizeTimestamp',
      numberFunc((seconds) => {
        const nanos = floatToUnixNanos(seconds);
        return nanos === undefined ? formatFloat(seconds, 'g', 4) : timeString(nanos);
      }),
    ],
    [
      'toTime',
      goFunc([ANY], ([value]) => {
        const nanos = floatToUnixNanos(convertToFloat(value ?? goFloat(0)));
        if (nanos === undefined) throw new GoFuncError('value is NaN or Inf');
        return goPtr(GO.timePtr, goTime(nanos));
      }),
    ],
    [
      'toDuration',
      goFunc([ANY], ([value]) => {
        const nanos = floatToDurationNanos(convertToFloat(value ?? goFloat(0)));
        if (nanos === undefined) throw new GoFuncError('value is NaN or Inf');
        return goPtr(GO.durationPtr, goInt(nanos, GO.duration));
      }),
    ],
    [
      'parseDuration',
      goFunc([S], ([text]) => {
        try {
          return goFloat(parsePrometheusDurationMs(str(text)) / 1000);
        } catch (error: unknown) {
          throw new GoFuncError(error instanceof Error ? error.message : String(error));
        }
      }),
    ],
  ];
}

function stringFuncs(): [string, GoFunc][] {
  return [
    ['title', goFunc([S], ([text]) => goString(goTitle(str(text))))],
    ['toUpper', goFunc([S], ([text]) => goString(goToUpper(str(text))))],
    ['toLower', goFunc([S], ([text]) => goString(goToLower(str(text))))],
    ['match', goFunc([S, S], ([pattern, text]) => goBool(matchGo(compileGoRegexp(str(pattern)), str(text))))],
    [
      'reReplaceAll',
      goFunc([S, S, S], ([pattern, replacement, text]) =>
        goString(replaceAllGo(mustCompileGoRegexp(str(pattern)), str(text), str(replacement))),
      ),
    ],
    ['graphLink', goFunc([S], ([expr]) => goString(`/graph?g0.expr=${queryEscape(str(expr))}&g0.tab=0`))],
    ['tableLink', goFunc([S], ([expr]) => goString(`/graph?g0.expr=${queryEscape(str(expr))}&g0.tab=1`))],
    ['safeHtml', goFunc([S], ([text]) => goString(str(text), GO.html))],
    ['stripPort', goFunc([S], ([text]) => goString(stripPort(str(text))))],
    ['stripDomain', goFunc([S], ([text]) => goString(stripDomain(str(text))))],
  ];
}

function otherFuncs(context: () => PrometheusFuncContext): [string, GoFunc][] {
  return [
    [
      'args',
      goFunc(
        [],
        (args) => goMap(GO.mapStringAny, new Map(args.map((arg, i): [string, GoValue] => [`arg${i}`, arg]))),
        ANY,
      ),
    ],
    ['pathPrefix', goFunc([], () => goString(context().pathPrefix))],
    ['externalURL', goFunc([], () => goString(context().externalURL))],
    ['now', goFunc([], () => goFloat(context().timeMs / 1000))],
  ];
}

/**
 * Prometheus's template function map (template/template.go NewTemplateExpander, Prometheus 3):
 * queries, number and time formatting, strings, links and the rest. `context` is read at call
 * time, so one map (and templates parsed with it) serves every expansion.
 */
export function prometheusFuncs(context: () => PrometheusFuncContext): ReadonlyMap<string, GoFunc> {
  return new Map([...queryFuncs(context), ...formatFuncs(), ...stringFuncs(), ...otherFuncs(context)]);
}
