import type { GoValue } from './go/go-values.ts';
import { prometheusFuncs, type PrometheusFuncContext } from './prom-funcs.ts';
import { TemplateError } from './template-error.ts';
import type { TemplateQueryFn, TemplateQuerySample } from './template-types.ts';
import { TemplateExecError, TemplateParseError } from './text-template/errors.ts';
import { SuspendExecution } from './text-template/exec-eval.ts';
import { executeTemplate } from './text-template/exec.ts';
import { TemplateSet, type MissingKeyOption } from './text-template/template-set.ts';

/**
 * Prometheus's template Expander (template/template.go) over Vigil's text/template engine: parse
 * with Prometheus's function map, execute, and wrap errors as "error parsing/executing template
 * NAME: …". Any data can be dot; alert rules use expand.ts, which adds the alert variables.
 */

export interface ExpanderOptions {
  /** Template name, used in error messages. */
  name: string;
  /** Evaluation time, Unix ms: the `query` time and `now`. */
  timeMs: number;
  query?: TemplateQueryFn;
  externalURL?: string;
  pathPrefix?: string;
  /** text/template's missingkey option; Prometheus uses `zero`. */
  missingKey?: MissingKeyOption;
}

type QueryOutcome = { samples: readonly TemplateQuerySample[] } | { error: string };

class PendingQuery extends SuspendExecution {
  constructor(readonly expr: string) {
    super(`query ${expr} not run yet`);
  }
}

const NO_CONTEXT: PrometheusFuncContext = {
  timeMs: 0,
  externalURL: '',
  pathPrefix: '',
  query: () => {
    throw new Error('no query function is available to templates here');
  },
};

/**
 * The context the function map reads. Execution is synchronous, so it is set right before each
 * run and every parsed template can share one function map.
 */
let currentContext = NO_CONTEXT;
const FUNCS = prometheusFuncs(() => currentContext);

/** Rule templates repeat every evaluation; parsing once per text saves most of the work. */
const PARSE_CACHE_LIMIT = 2000;
const parseCache = new Map<string, TemplateSet | TemplateParseError>();

function parse(text: string, name: string, missingKey: MissingKeyOption): TemplateSet {
  const key = `${missingKey}\u0000${name}\u0000${text}`;
  let parsed = parseCache.get(key);
  if (parsed === undefined) {
    try {
      parsed = TemplateSet.parse(name, text, FUNCS, missingKey);
    } catch (error: unknown) {
      if (!(error instanceof TemplateParseError)) throw error;
      parsed = error;
    }
    if (parseCache.size >= PARSE_CACHE_LIMIT) parseCache.clear();
    parseCache.set(key, parsed);
  }
  if (parsed instanceof TemplateParseError) throw parsed;
  return parsed;
}

async function runQuery(expr: string, options: ExpanderOptions): Promise<QueryOutcome> {
  if (options.query === undefined) return { error: 'no query function is available to templates here' };
  try {
    return { samples: await options.query(expr, options.timeMs) };
  } catch (error: unknown) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

function contextFor(
  options: ExpanderOptions,
  cache: ReadonlyMap<string, QueryOutcome>,
): PrometheusFuncContext {
  return {
    timeMs: options.timeMs,
    externalURL: options.externalURL ?? '',
    pathPrefix: options.pathPrefix ?? '',
    query: (expr) => {
      const outcome = cache.get(expr);
      if (outcome === undefined) throw new PendingQuery(expr);
      if ('error' in outcome) throw new Error(outcome.error);
      return outcome.samples;
    },
  };
}

function executeWith(set: TemplateSet, data: GoValue, context: PrometheusFuncContext): string {
  currentContext = context;
  try {
    return executeTemplate(set, data);
  } finally {
    currentContext = NO_CONTEXT;
  }
}

/** Safety net: more distinct queries than this in one template is surely a runaway template. */
const MAX_QUERIES = 1000;

/**
 * Expands a template against `data` (dot). Template functions are synchronous in Go; here a
 * `query` whose result is not known yet suspends execution, the query runs, and execution starts
 * over with the result cached. Templates are pure, so the rerun produces the same output.
 * @example await expandTemplate('{{ humanize . }}', goFloat(1234567), { name: 't', timeMs: 0 }) // "1.235M"
 */
export async function expandTemplate(text: string, data: GoValue, options: ExpanderOptions): Promise<string> {
  let set: TemplateSet;
  try {
    set = parse(text, options.name, options.missingKey ?? 'zero');
  } catch (error: unknown) {
    throw wrap(error, `error parsing template ${options.name}`);
  }
  const cache = new Map<string, QueryOutcome>();
  const context = contextFor(options, cache);
  for (;;) {
    try {
      return executeWith(set, data, context);
    } catch (error: unknown) {
      if (!(error instanceof PendingQuery) || cache.size >= MAX_QUERIES)
        throw wrap(error, `error executing template ${options.name}`);
      cache.set(error.expr, await runQuery(error.expr, options));
    }
  }
}

/** Parse check only (Expander.ParseTest): undefined, or text/template's parse error message. */
export function parseTemplateError(text: string, name: string): string | undefined {
  try {
    parse(text, name, 'zero');
    return undefined;
  } catch (error: unknown) {
    return error instanceof Error ? error.message : String(error);
  }
}

function wrap(error: unknown, prefix: string): TemplateError {
  if (error instanceof TemplateParseError || error instanceof TemplateExecError)
    return new TemplateError(`${prefix}: ${error.message}`);
  if (error instanceof PendingQuery) return new TemplateError(`${prefix}: too many queries`);
  // Prometheus recovers panics while expanding, reporting them this way.
  return new TemplateError(
    `panic expanding template ${prefix.replace(/^error \w+ template /, '')}: ${String(error)}`,
  );
}
