import type { LineCounter } from 'yaml';

/** One finding in a config file, at the place a user has to look to fix it. */
export interface Problem {
  /** 1-based line of the YAML node the problem is about. */
  readonly line: number;
  /** 1-based column of that node. */
  readonly column: number;
  /** Where in the config tree, e.g. `service.pipelines.traces` or `processors.batch.timeout`. */
  readonly keyPath: string;
  readonly message: string;
}

/**
 * What validation found: `errors` make the Collector (and Vigil) refuse the file; `notes` are what
 * the user should know but that does not stop start-up (planned components, unused ones, discovery
 * mechanisms this host cannot run).
 */
export interface ConfigAnalysis {
  errors: Problem[];
  notes: Problem[];
}

/** A path segment: a map key or a sequence index. */
export type KeySegment = string | number;

/**
 * `FILE:LINE:COL: keyPath: message`, the compiler-style line editors and CI annotations understand.
 *
 * @example
 * formatProblem({ line: 3, column: 5, keyPath: 'service.pipelines.traces', message: 'm' }, 'c.yaml');
 * // 'c.yaml:3:5: service.pipelines.traces: m'
 */
export function formatProblem(problem: Problem, fileName: string): string {
  const where = `${fileName}:${problem.line}:${problem.column}`;
  return problem.keyPath === ''
    ? `${where}: ${problem.message}`
    : `${where}: ${problem.keyPath}: ${problem.message}`;
}

/** `['service', 'pipelines', 'traces']` → `service.pipelines.traces`; indexes print as `[0]`. */
export function joinKeyPath(keyPath: readonly KeySegment[]): string {
  return keyPath.reduce<string>((text, segment) => {
    if (typeof segment === 'number') return `${text}[${segment}]`;
    return text === '' ? segment : `${text}.${segment}`;
  }, '');
}

interface Ranged {
  range?: readonly [number, number, number] | null;
}

/** Collects problems, turning YAML node offsets into line and column through the LineCounter. */
export class ProblemCollector {
  private readonly errors: Problem[] = [];
  private readonly notes: Problem[] = [];

  constructor(private readonly lineCounter: LineCounter) {}

  /** `node` is a yaml Node (or Pair key); without a source range the problem is placed at 1:1. */
  error(node: unknown, keyPath: readonly KeySegment[], message: string): void {
    this.errors.push(this.problem(node, keyPath, message));
  }

  note(node: unknown, keyPath: readonly KeySegment[], message: string): void {
    this.notes.push(this.problem(node, keyPath, message));
  }

  /** Adds a problem whose position is already known (e.g. from the YAML parser). */
  errorAtOffset(offset: number, keyPath: readonly KeySegment[], message: string): void {
    const { line, col } = this.lineCounter.linePos(offset);
    this.errors.push({ line, column: col, keyPath: joinKeyPath(keyPath), message });
  }

  /** Problems in file order, so the report reads top to bottom. */
  result(): ConfigAnalysis {
    const byPosition = (a: Problem, b: Problem): number => a.line - b.line || a.column - b.column;
    return { errors: [...this.errors].sort(byPosition), notes: [...this.notes].sort(byPosition) };
  }

  private problem(node: unknown, keyPath: readonly KeySegment[], message: string): Problem {
    const range = (node as Ranged | null | undefined)?.range;
    const { line, col } = range ? this.lineCounter.linePos(range[0]) : { line: 1, col: 1 };
    return { line, column: col, keyPath: joinKeyPath(keyPath), message };
  }
}
