/**
 * A list of compiled conditions for one context, ORed as the filter processor ORs them ("if any
 * condition is met, the telemetry is dropped"), with error_mode applied to conditions that fail
 * while evaluating (ottl.ConditionSequence.Eval with PropagateError / IgnoreError / SilentError).
 */
import { SettingsError } from '../../graph/component.ts';
import type { Predicate } from './ottl/compile.ts';
import { compileCondition } from './ottl/compile.ts';
import type { OttlContext } from './ottl/context.ts';
import { OttlParseError, OttlRuntimeError } from './ottl/parse-error.ts';

export type ErrorMode = 'propagate' | 'ignore' | 'silent';
export const ERROR_MODES: readonly ErrorMode[] = ['propagate', 'ignore', 'silent'];

/** A condition failed under error_mode propagate: the batch is refused, as upstream returns the error. */
export class FilterConditionError extends Error {
  override readonly name = 'FilterConditionError';
}

/** How a set reacts to a failing condition; `log` gets one line per condition, the first time it fails. */
export interface ErrorPolicy {
  mode: ErrorMode;
  log(line: string): void;
}

interface Condition<T> {
  source: string;
  predicate: Predicate<T>;
  loggedFailure: boolean;
}

export class ConditionSet<T> {
  private constructor(
    private readonly conditions: Condition<T>[],
    private readonly policy: ErrorPolicy,
  ) {}

  /**
   * Compiles each condition; a parse error becomes SettingsError at `[...keyPath, index]`.
   *
   * @example
   * ConditionSet.compile(['name == "ping"'], SPAN_CONTEXT, ['traces', 'span'], policy).matches(span);
   */
  static compile<T>(
    sources: readonly string[],
    context: OttlContext<T>,
    keyPath: readonly (string | number)[],
    policy: ErrorPolicy,
  ): ConditionSet<T> {
    const conditions = sources.map((source, index) => {
      try {
        return { source, predicate: compileCondition(source, context), loggedFailure: false };
      } catch (error: unknown) {
        if (!(error instanceof OttlParseError)) throw error;
        throw new SettingsError(
          `unable to parse OTTL condition ${JSON.stringify(source)}: ${error.message}`,
          [...keyPath, index],
        );
      }
    });
    return new ConditionSet(conditions, policy);
  }

  /** A set of predicates that cannot fail (the legacy include/exclude matchers). */
  static ofPredicates<T>(predicates: readonly Predicate<T>[], policy: ErrorPolicy): ConditionSet<T> {
    return new ConditionSet(
      predicates.map((predicate) => ({ source: 'include/exclude', predicate, loggedFailure: false })),
      policy,
    );
  }

  get isEmpty(): boolean {
    return this.conditions.length === 0;
  }

  /** True when any condition holds. Throws FilterConditionError under error_mode propagate. */
  matches(record: T): boolean {
    for (const condition of this.conditions) {
      try {
        if (condition.predicate(record)) return true;
      } catch (error: unknown) {
        if (!(error instanceof OttlRuntimeError)) throw error;
        this.failed(condition, error);
      }
    }
    return false;
  }

  private failed(condition: Condition<T>, error: OttlRuntimeError): void {
    if (this.policy.mode === 'propagate') {
      throw new FilterConditionError(`failed to eval condition: ${condition.source}, ${error.message}`);
    }
    if (this.policy.mode === 'ignore' && !condition.loggedFailure) {
      condition.loggedFailure = true;
      this.policy.log(
        `condition ${JSON.stringify(condition.source)} failed (${error.message}); error_mode ignore counts it as false (logged once)`,
      );
    }
  }
}
