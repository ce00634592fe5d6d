/**
 * Go's `regexp.Expand` template language, which Prometheus relabeling uses for `replacement` and
 * `target_label`: `$1`, `${1}`, `$name`, `${name}`, `$$` for a literal dollar. JavaScript's
 * `String.replace` differs (`$1x` is group 1 then "x" there; in Go it is the group named "1x",
 * which is empty), so relabeling expands templates itself.
 */

const NAME_CHAR = /[\p{L}\p{N}_]/u;

/**
 * Expands `template` with the groups of `match`, as Go's `(*Regexp).ExpandString`.
 *
 * @example
 * expandGoTemplate('$1-${2}x', /^(a)(b)$/.exec('ab')!); // 'a-bx'
 */
export function expandGoTemplate(template: string, match: RegExpExecArray): string {
  let out = '';
  let rest = template;
  for (let dollar = rest.indexOf('$'); dollar >= 0; dollar = rest.indexOf('$')) {
    out += rest.slice(0, dollar);
    rest = rest.slice(dollar + 1);
    if (rest.startsWith('$')) {
      out += '$';
      rest = rest.slice(1);
      continue;
    }
    const reference = extractReference(rest);
    if (!reference) {
      // Go treats a malformed reference as a raw "$".
      out += '$';
      continue;
    }
    rest = rest.slice(reference.length);
    out += groupText(match, reference.name);
  }
  return out + rest;
}

function extractReference(text: string): { name: string; length: number } | undefined {
  const braced = text.startsWith('{');
  let index = braced ? 1 : 0;
  while (index < text.length && NAME_CHAR.test(text[index] ?? '')) index++;
  const name = text.slice(braced ? 1 : 0, index);
  if (name === '') return undefined;
  if (braced) {
    if (text[index] !== '}') return undefined;
    index++;
  }
  return { name, length: index };
}

function groupText(match: RegExpExecArray, name: string): string {
  const number = groupNumber(name);
  if (number >= 0) return match[number] ?? '';
  return match.groups?.[name] ?? '';
}

/** Go's rule: all digits, below 1e8, no leading zero; otherwise -1 (the reference is a name). */
function groupNumber(name: string): number {
  if (!/^\d+$/.test(name) || (name.length > 1 && name.startsWith('0'))) return -1;
  const number = Number(name);
  return number >= 1e8 ? -1 : number;
}
