import {
  visit,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type Document,
  type LineCounter,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';

/** 1-based line and column, as yaml.v3's Node.Line/Column (and so Prometheus's rulefmt) count them. */
export interface YamlPosition {
  line: number;
  column: number;
}

/** A node with aliases resolved; `node` is null for an empty or `null` value. */
export interface YamlValue {
  node: Scalar | YAMLMap | YAMLSeq | null;
  /** Where the value was written: the alias (`*x`) when it came through one, so errors point at the use. */
  position: YamlPosition;
}

/** One `key: value` of a mapping, merge keys (`<<: *anchor`) already applied. */
export interface YamlEntry {
  /** The key as a string; undefined when the key is not a scalar (a mapping used as a key). */
  key: string | undefined;
  keyPosition: YamlPosition;
  value: YamlValue;
}

// yaml.v3 refuses deeper merge chains long before this; the bound only stops a cyclic `<<`.
const MAX_MERGE_DEPTH = 16;

/**
 * Reads a parsed YAML document the way Go's yaml.v3 decodes it into structs: aliases are followed,
 * `<<` merge keys are expanded (explicit keys win over merged ones, earlier merged maps over later
 * ones), and every node carries its source position for error messages.
 */
export class YamlReader {
  constructor(
    private readonly document: Document.Parsed,
    private readonly lineCounter: LineCounter,
  ) {}

  /** The document's root value. */
  root(): YamlValue {
    return this.resolve(this.document.contents, { line: 1, column: 1 });
  }

  /** Position of a source offset. */
  positionAt(offset: number): YamlPosition {
    const { line, col } = this.lineCounter.linePos(offset);
    return { line, column: col };
  }

  /**
   * yaml.v3's wording for a repeated key (`mapping key "name" already defined at line 2`), for the
   * duplicate whose key starts at `offset`; undefined when no such key is found.
   */
  duplicateKeyMessage(offset: number): string | undefined {
    let message: string | undefined;
    visit(this.document, {
      Map: (_, map) => {
        const keys = map.items.map((pair) => (isScalar(pair.key) ? pair.key : undefined));
        const index = keys.findIndex((key) => key?.range?.[0] === offset);
        const duplicate = keys[index];
        if (duplicate === undefined) return undefined;
        const first = keys.find((key) => key !== undefined && scalarText(key) === scalarText(duplicate));
        const line = this.positionOf(first)?.line ?? 0;
        message = `mapping key ${JSON.stringify(scalarText(duplicate))} already defined at line ${line}`;
        return visit.BREAK;
      },
    });
    return message;
  }

  /** Follows an alias; keeps the alias's own position. */
  resolve(node: unknown, fallback: YamlPosition): YamlValue {
    const position = this.positionOf(node) ?? fallback;
    const target = isAlias(node) ? node.resolve(this.document) : node;
    if (isScalar(target) && target.value === null) return { node: null, position };
    if (isScalar(target) || isMap(target) || isSeq(target)) return { node: target, position };
    return { node: null, position };
  }

  /** The entries of a mapping, with merge keys expanded. */
  entries(map: YAMLMap, depth = 0): YamlEntry[] {
    const explicit: YamlEntry[] = [];
    const merged: YamlEntry[] = [];
    for (const pair of map.items) {
      const keyPosition = this.positionOf(pair.key) ?? this.positionOf(map) ?? { line: 1, column: 1 };
      const key = this.resolve(pair.key, keyPosition);
      const value = this.resolve(pair.value, keyPosition);
      if (isMergeKey(pair.key) && depth < MAX_MERGE_DEPTH) {
        merged.push(...this.mergedEntries(value, depth + 1));
        continue;
      }
      explicit.push({ key: scalarKey(key.node), keyPosition, value });
    }
    const seen = new Set(explicit.map((entry) => entry.key));
    const result = [...explicit];
    for (const entry of merged) {
      if (seen.has(entry.key)) continue;
      seen.add(entry.key);
      result.push(entry);
    }
    return result;
  }

  private mergedEntries(value: YamlValue, depth: number): YamlEntry[] {
    if (isMap(value.node)) return this.entries(value.node, depth);
    if (!isSeq(value.node)) return [];
    // `<<: [*a, *b]`: each map in turn; entries of earlier maps win (yaml.v3 decoder.merge).
    return value.node.items.flatMap((item) => {
      const resolved = this.resolve(item, value.position);
      return isMap(resolved.node) ? this.entries(resolved.node, depth) : [];
    });
  }

  private positionOf(node: unknown): YamlPosition | undefined {
    if (!isAlias(node) && !isScalar(node) && !isMap(node) && !isSeq(node)) return undefined;
    const offset = node.range?.[0];
    return offset === undefined ? undefined : this.positionAt(offset);
  }
}

function isMergeKey(node: unknown): boolean {
  return isScalar(node) && node.type === 'PLAIN' && node.source === '<<';
}

function scalarKey(node: YamlValue['node']): string | undefined {
  if (node === null) return '';
  return isScalar(node) ? scalarText(node) : undefined;
}

/**
 * A scalar as yaml.v3 decodes it into a Go string: its source text (`1.0` stays "1.0", `0x1F` stays
 * "0x1F"), whatever type YAML resolves it to; null becomes "".
 */
export function scalarText(scalar: Scalar): string {
  if (scalar.value === null) return '';
  // `source` is set on every scalar the parser composed; only constructed nodes lack it.
  return scalar.source ?? '';
}

/**
 * The YAML tag yaml.v3 names in "cannot unmarshal !!str `abc` into int" errors, with the value
 * shortened as yaml.v3's decoder.terror shortens it (over 10 characters: the first 7 and "...").
 */
export function describeNode(value: YamlValue): string {
  const node = value.node;
  if (node === null) return '!!null';
  if (isMap(node)) return '!!map';
  if (isSeq(node)) return '!!seq';
  const text = scalarText(node);
  const shown = text.length > 10 ? `${text.slice(0, 7)}...` : text;
  return `${scalarTag(node)} \`${shown}\``;
}

function scalarTag(scalar: Scalar): string {
  if (typeof scalar.value === 'boolean') return '!!bool';
  if (typeof scalar.value === 'number' || typeof scalar.value === 'bigint')
    return Number.isInteger(scalar.value) && !/[.eE]|inf|nan/i.test(scalar.source ?? '')
      ? '!!int'
      : '!!float';
  return '!!str';
}
