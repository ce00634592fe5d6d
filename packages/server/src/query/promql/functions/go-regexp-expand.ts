/**
 * Go's regexp.Regexp.ExpandString, which label_replace uses for its replacement: `$1`, `${1}`,
 * `$name`, `${name}` and `$$`. Unlike JavaScript's String#replace, a name takes the longest run
 * of letters, digits and underscores (`$1x` means group "1x", which is empty), and an unknown or
 * unmatched group expands to nothing.
 */

const NAME_CHAR = /[\p{L}\p{Nd}_]/u;

interface Reference {
  /** Group number, or -1 for a name. */
  number: number;
  name: string;
  rest: string;
}

/**
 * Expands `template` against a successful match.
 *
 * @example
 * expandTemplate('$1-${2}x', /^(a)(b)$/su.exec('ab')!); // 'a-bx'
 */
export function expandTemplate(template: string, match: RegExpExecArray): string {
  let result = '';
  let rest = template;
  for (let dollar = rest.indexOf('$'); dollar !== -1; dollar = rest.indexOf('$')) {
    result += rest.slice(0, dollar);
    rest = rest.slice(dollar + 1);
    if (rest.startsWith('$')) {
      result += '$';
      rest = rest.slice(1);
      continue;
    }
    const reference = extractReference(rest);
    if (!reference) {
      // Malformed: the `$` is literal text.
      result += '$';
      continue;
    }
    rest = reference.rest;
    result += groupText(match, reference);
  }
  return result + rest;
}

function groupText(match: RegExpExecArray, reference: Reference): string {
  if (reference.number >= 0) return match[reference.number] ?? '';
  return match.groups?.[reference.name] ?? '';
}

/** Go's extract: a name after `$`, optionally in braces; undefined when malformed. */
function extractReference(text: string): Reference | undefined {
  const braced = text.startsWith('{');
  const body = braced ? text.slice(1) : text;
  let length = 0;
  for (const char of body) {
    if (!NAME_CHAR.test(char)) break;
    length += char.length;
  }
  if (length === 0) return undefined;
  const name = body.slice(0, length);
  let rest = body.slice(length);
  if (braced) {
    if (!rest.startsWith('}')) return undefined;
    rest = rest.slice(1);
  }
  return { number: groupNumber(name), name, rest };
}

/** Go's group number: ASCII digits, no leading zero, parsing stops once it reaches 1e8; else -1. */
function groupNumber(name: string): number {
  let number = 0;
  for (const char of name) {
    if (char < '0' || char > '9' || number >= 1e8) return -1;
    number = number * 10 + Number(char);
  }
  return name.length > 1 && name.startsWith('0') ? -1 : number;
}
