/**
 * Component and pipeline ids as the Collector parses them (component/identifiable.go): `type` or
 * `type/name`, where the type matches typeRegexp and the name is non-empty without spaces.
 */
const TYPE = /^[a-zA-Z][0-9a-zA-Z_]{0,62}$/;
const NAME = /^[^\s]+$/;

export const SIGNALS = ['traces', 'metrics', 'logs'] as const;
export type Signal = (typeof SIGNALS)[number];

export type ParsedId = { type: string; name?: string } | { problem: string };

/**
 * Splits `otlp/tempo` into type `otlp` and name `tempo`, or says why the id is invalid.
 *
 * @example
 * parseComponentId('otlp/tempo'); // { type: 'otlp', name: 'tempo' }
 */
export function parseComponentId(id: string): ParsedId {
  const slash = id.indexOf('/');
  const type = slash < 0 ? id.trim() : id.slice(0, slash).trim();
  const name = slash < 0 ? undefined : id.slice(slash + 1).trim();
  if (type === '') return { problem: `id "${id}": the part before / must not be empty` };
  if (!TYPE.test(type)) {
    return {
      problem: `id "${id}": invalid type "${type}": must start with a letter and contain only letters, digits and _`,
    };
  }
  if (name === undefined) return { type };
  if (name === '') return { problem: `id "${id}": the part after / must not be empty` };
  if (!NAME.test(name)) return { problem: `id "${id}": the name after / must not contain spaces` };
  return { type, name };
}

export function isSignal(type: string): type is Signal {
  return (SIGNALS as readonly string[]).includes(type);
}
