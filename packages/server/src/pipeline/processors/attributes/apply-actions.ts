import type { AttributeValue, Attributes } from '../../../model/attributes.ts';
import { newAttributes } from '../../../model/attributes.ts';
import type { AttributeAction, ValueSource } from './attribute-actions.ts';
import { convertAttributeValue } from './convert-value.ts';
import { hashAttributeValue } from './hash-value.ts';

/**
 * Applies the actions in order to one attribute map, as the Collector's `AttrProc.Process`
 * (internal/coreinternal/attraction/attraction.go), without touching the input: the result is the
 * input object itself when nothing changed, else a new map (copy-on-write, pipeline/graph/component.ts).
 *
 * @example
 * const out = applyAttributeActions(actions, span.attributes);
 * if (out !== span.attributes) span = { ...span, attributes: out };
 */
export function applyAttributeActions(actions: readonly AttributeAction[], attributes: Attributes): Attributes {
  const editor = new AttributeEditor(attributes);
  for (const action of actions) applyAction(action, editor);
  return editor.result();
}

function applyAction(action: AttributeAction, editor: AttributeEditor): void {
  switch (action.action) {
    case 'insert': {
      const value = sourceValue(action.source, editor);
      if (value !== undefined && !editor.has(action.key)) editor.set(action.key, value);
      return;
    }
    case 'update': {
      const value = sourceValue(action.source, editor);
      if (value !== undefined && editor.has(action.key)) editor.set(action.key, value);
      return;
    }
    case 'upsert': {
      const value = sourceValue(action.source, editor);
      if (value !== undefined) editor.set(action.key, value);
      return;
    }
    case 'delete':
      editor.remove(action.key);
      for (const key of matchingKeys(action.pattern, editor)) editor.remove(key);
      return;
    case 'hash':
      hash(action.key, editor);
      // As upstream, keys are matched after `key` was hashed: a pattern that also matches `key`
      // hashes it a second time, and Vigil must produce the same digest a Collector would.
      for (const key of matchingKeys(action.pattern, editor)) hash(key, editor);
      return;
    case 'extract':
      return extract(action.key, action.pattern, action.groupNames, editor);
    case 'convert': {
      const value = editor.get(action.key);
      if (value !== undefined) editor.set(action.key, convertAttributeValue(value, action.convertedType));
      return;
    }
  }
}

/** A configured value, or the current value of `from_attribute` (undefined: absent, do nothing). */
function sourceValue(source: ValueSource, editor: AttributeEditor): AttributeValue | undefined {
  return 'value' in source ? source.value : editor.get(source.fromAttribute);
}

/** Present keys the pattern finds, collected before any is changed (upstream's getMatchingKeys). */
function matchingKeys(pattern: RegExp | undefined, editor: AttributeEditor): string[] {
  return pattern ? editor.keys().filter((key) => pattern.test(key)) : [];
}

function hash(key: string, editor: AttributeEditor): void {
  const value = editor.get(key);
  if (value !== undefined) editor.set(key, hashAttributeValue(value));
}

/** Only string values are searched; each named group is written as a string, overwriting. */
function extract(key: string, pattern: RegExp, groupNames: readonly string[], editor: AttributeEditor): void {
  const value = editor.get(key);
  if (typeof value !== 'string') return;
  const match = pattern.exec(value);
  if (!match?.groups) return;
  // A group that took no part in the match is "" in Go's FindStringSubmatch.
  for (const name of groupNames) editor.set(name, match.groups[name] ?? '');
}

/** Reads through to the input map and copies it on the first write. */
class AttributeEditor {
  private current: Attributes;
  private owned = false;

  constructor(private readonly original: Attributes) {
    this.current = original;
  }

  has(key: string): boolean {
    return Object.hasOwn(this.current, key);
  }

  get(key: string): AttributeValue | undefined {
    return this.has(key) ? this.current[key] : undefined;
  }

  keys(): string[] {
    return Object.keys(this.current);
  }

  set(key: string, value: AttributeValue): void {
    // Writing the value already there changes nothing, so it must not cost a copy.
    if (this.has(key) && Object.is(this.current[key], value)) return;
    this.own()[key] = value;
  }

  remove(key: string): void {
    if (!this.has(key)) return;
    if (this.owned) {
      delete this.current[key];
      return;
    }
    this.current = copyAttributes(this.original, key);
    this.owned = true;
  }

  result(): Attributes {
    return this.current;
  }

  private own(): Attributes {
    if (!this.owned) {
      this.current = copyAttributes(this.original, undefined);
      this.owned = true;
    }
    return this.current;
  }
}

/** A null-prototype copy, optionally without one key; a keys loop is faster than Object.assign in V8. */
function copyAttributes(source: Attributes, without: string | undefined): Attributes {
  const copy = newAttributes();
  for (const key of Object.keys(source)) if (key !== without) copy[key] = source[key] ?? null;
  return copy;
}
