import { isPair, isScalar, isSeq, parse, visit, type Document, type Scalar } from 'yaml';
import type { KeySegment, ProblemCollector } from './problem.ts';

/** A reference that could not be resolved, at its offset in the substituted text. */
export interface EnvProblem {
  /** 1-based line and column of the `${` in the text given to substituteEnv. */
  line: number;
  column: number;
  message: string;
}

export interface EnvSubstitution {
  text: string;
  problems: EnvProblem[];
}

/** The Collector's env var name rule (confmap/internal/envvar ValidationPattern). */
const ENV_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** A config-source URI `scheme:rest` (confmap/expand.go schemePattern). */
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]+):/s;
const DEFAULT_SEPARATOR = ':-';

/**
 * Expands the OpenTelemetry Collector's environment references in `text`:
 * `${env:NAME}`, `${NAME}` (env is the Collector's default scheme), `${env:NAME:-default}`, and
 * `$$` for a literal `$` (so `$${env:X}` stays `${env:X}`, as confmap does since v0.106). A `$`
 * followed by anything else is literal: the Collector no longer expands bare `$NAME`.
 *
 * Unlike the Collector, which substitutes an empty value for an unset variable and only logs a
 * warning (envprovider Retrieve), an unset variable without a default is a problem here: an empty
 * endpoint or key is almost always a deployment mistake. Other config sources (`${file:...}`,
 * `${http:...}`) are problems too: Vigil does not fetch them.
 *
 * @example
 * substituteEnv('endpoint: ${env:HOST:-0.0.0.0}:4317 cost: $$5', { HOST: 'otel' });
 * // { text: 'endpoint: otel:4317 cost: $5', problems: [] }
 */
export function substituteEnv(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
): EnvSubstitution {
  const out: string[] = [];
  const problems: EnvProblem[] = [];
  let index = 0;
  while (index < text.length) {
    const dollar = text.indexOf('$', index);
    if (dollar < 0 || dollar === text.length - 1) break;
    out.push(text.slice(index, dollar));
    const next = text[dollar + 1];
    const close = next === '{' ? text.indexOf('}', dollar + 2) : -1;
    if (next === '$') {
      out.push('$');
      index = dollar + 2;
    } else if (close < 0) {
      out.push('$');
      index = dollar + 1;
    } else {
      const resolved = resolveReference(text.slice(dollar + 2, close), env);
      if (typeof resolved === 'string') out.push(resolved);
      else problems.push({ ...linePosition(text, dollar), message: resolved.problem });
      index = close + 1;
    }
  }
  out.push(text.slice(index));
  return { text: out.join(''), problems };
}

/** The value of one `${...}` body, or why it has none. */
function resolveReference(
  body: string,
  env: Readonly<Record<string, string | undefined>>,
): string | { problem: string } {
  if (body.includes('$')) {
    // confmap/expand.go expandURI rejects a '$' inside a URI; nesting is left out here too.
    return { problem: `the reference \${${body}} contains '$': nested references are not supported` };
  }
  const scheme = SCHEME.exec(body)?.[1];
  if (scheme !== undefined && scheme !== 'env') {
    return {
      problem: `config source "${scheme}" in \${${body}} is not supported (Vigil reads \${env:NAME} only)`,
    };
  }
  const reference = scheme === 'env' ? body.slice('env:'.length) : body;
  const separator = reference.indexOf(DEFAULT_SEPARATOR);
  const name = separator < 0 ? reference : reference.slice(0, separator);
  const fallback = separator < 0 ? undefined : reference.slice(separator + DEFAULT_SEPARATOR.length);
  if (!ENV_NAME.test(name)) {
    return { problem: `environment variable "${name}" has an invalid name: must match ${ENV_NAME.source}` };
  }
  const value = env[name] ?? fallback;
  if (value === undefined) {
    return {
      problem: `environment variable "${name}" is not set (give a default with \${env:${name}:-VALUE})`,
    };
  }
  return value;
}

function linePosition(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

/**
 * Substitutes references in every string value of a parsed document, in place, reporting problems
 * at the value's node. Keys are not expanded (the Collector expands values only). A value that is
 * exactly one reference takes the referenced value's YAML type, so `port: ${env:PORT}` is a number,
 * as confmap's NewRetrievedFromYAML makes it.
 */
export function expandEnvInDocument(
  doc: Document,
  env: Readonly<Record<string, string | undefined>>,
  problems: ProblemCollector,
): void {
  visit(doc, {
    Scalar(key, node, path) {
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('$')) return;
      const original = node.value;
      const { text, problems: found } = substituteEnv(original, env);
      for (const problem of found) problems.error(node, keyPathOf(path, node), problem.message);
      node.value = isSingleReference(original) && found.length === 0 ? typedValue(text) : text;
    },
  });
}

function isSingleReference(text: string): boolean {
  return /^\$\{[^${}]*\}$/.test(text);
}

/** `4317` → 4317, `true` → true; anything that is not a YAML scalar stays the string. */
function typedValue(text: string): unknown {
  try {
    const value: unknown = parse(text);
    return typeof value === 'number' || typeof value === 'boolean' ? value : text;
  } catch {
    return text;
  }
}

/** The key path of a node from the visitor's ancestor list (Pairs give keys, sequences indexes). */
function keyPathOf(path: readonly unknown[], node: Scalar): KeySegment[] {
  const keyPath: KeySegment[] = [];
  path.forEach((ancestor, position) => {
    if (isPair(ancestor))
      keyPath.push(isScalar(ancestor.key) ? String(ancestor.key.value) : String(ancestor.key));
    if (isSeq(ancestor)) keyPath.push(ancestor.items.indexOf(path[position + 1] ?? node));
  });
  return keyPath;
}
