import { isMap, isScalar, isSeq } from 'yaml';

/** One `key: value` of a YAML mapping, keeping the nodes so problems can point at either. */
export interface MapEntry {
  key: string;
  keyNode: unknown;
  /** The value node; `null` for `key:` with nothing after it (the Collector's "use defaults"). */
  value: unknown;
}

/** The entries of a YAML mapping node, or undefined when `node` is not a mapping. */
export function mapEntries(node: unknown): MapEntry[] | undefined {
  if (!isMap(node)) return undefined;
  return node.items.map((pair) => ({
    key: isScalar(pair.key) ? String(pair.key.value) : String(pair.key),
    keyNode: pair.key,
    value: pair.value ?? null,
  }));
}

/** The value node under `key` of a mapping node (undefined when absent or not a mapping). */
export function mapValue(node: unknown, key: string): unknown {
  return mapEntries(node)?.find((entry) => entry.key === key)?.value;
}

/** The entry (key node and value) under `key`, for problems that point at the key. */
export function mapEntry(node: unknown, key: string): MapEntry | undefined {
  return mapEntries(node)?.find((entry) => entry.key === key);
}

/** The items of a YAML sequence node, or undefined when `node` is not a sequence. */
export function seqItems(node: unknown): unknown[] | undefined {
  return isSeq(node) ? node.items : undefined;
}

/** A scalar node's value, or undefined when `node` is not a scalar. */
export function scalarValue(node: unknown): unknown {
  return isScalar(node) ? node.value : undefined;
}

/** True for an absent value or an explicit `null`/`~`/empty value. */
export function isNullNode(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}
