import type { AnnotationExpectation, EvalCommand, MessageMatcher } from './script-commands.ts';

/** Whether an error or annotation message satisfies an `expect … msg:/regex:` line. */
export function messageMatches(matcher: MessageMatcher, message: string): boolean {
  switch (matcher.kind) {
    case 'any':
      return true;
    case 'message':
      return matcher.message === message;
    case 'regex':
      // Go's Regexp.MatchString: a match anywhere in the message.
      return matcher.regex.test(message);
  }
}

export function describeMatcher(matcher: MessageMatcher): string {
  switch (matcher.kind) {
    case 'any':
      return 'any message';
    case 'message':
      return `message ${JSON.stringify(matcher.message)}`;
    case 'regex':
      return `pattern ${JSON.stringify(matcher.regex.source)}`;
  }
}

/** promqltest's checkExpectedFailure: every fail matcher must match the error message. */
export function checkExpectedFailure(command: EvalCommand, errorMessage: string): string | undefined {
  for (const matcher of command.fail.matchers) {
    if (!messageMatches(matcher, errorMessage))
      return `expected error matching ${describeMatcher(matcher)}, but got: ${errorMessage}`;
  }
  return undefined;
}

/**
 * promqltest's checkAnnotations. With `expect warn`/`expect info` lines every line must match an
 * annotation and every annotation of that kind must match a line; `no_warn`/`no_info` forbid the
 * kind; the old `eval_warn`/`eval_info` only require at least one. Otherwise anything goes.
 */
export function checkAnnotations(
  command: EvalCommand,
  warnings: readonly string[],
  infos: readonly string[],
): string | undefined {
  if (command.warn.required && warnings.length === 0)
    return 'expected warnings evaluating query but got none';
  if (command.info.required && infos.length === 0)
    return 'expected info annotations evaluating query but got none';
  return checkKind('warn', command.warn, warnings) ?? checkKind('info', command.info, infos);
}

function checkKind(
  kind: 'warn' | 'info',
  expectation: AnnotationExpectation,
  actual: readonly string[],
): string | undefined {
  if (expectation.forbidden && actual.length > 0)
    return `unexpected ${kind} annotations evaluating query: ${formatList(actual)}`;
  if (expectation.matchers.length === 0) return undefined;
  if (actual.length === 0) return `expected ${kind} annotations but none were found`;
  for (const matcher of expectation.matchers) {
    if (!actual.some((message) => messageMatches(matcher, message))) {
      return `expected ${kind} annotation matching ${describeMatcher(matcher)} but no matching annotation was found, found: ${formatList(actual)}`;
    }
  }
  const unexpected = actual.find(
    (message) => !expectation.matchers.some((matcher) => messageMatches(matcher, message)),
  );
  return unexpected === undefined
    ? undefined
    : `unexpected ${kind} annotation ${JSON.stringify(unexpected)} found`;
}

function formatList(messages: readonly string[]): string {
  return `[${messages.map((message) => JSON.stringify(message)).join(', ')}]`;
}
