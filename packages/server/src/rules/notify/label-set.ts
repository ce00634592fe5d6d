/**
 * Alertmanager's view of a label set (prometheus/common model.LabelSet): its fingerprint, its
 * String() form used in group keys, and the small helpers the dispatcher needs.
 */

/** Labels of an alert, as Alertmanager's model.LabelSet. */
export type LabelSet = Readonly<Record<string, string>>;

const FNV_OFFSET_64 = 0xcbf29ce484222325n;
const FNV_PRIME_64 = 0x100000001b3n;
const MASK_64 = 0xffffffffffffffffn;
/** model.SeparatorByte: cannot occur in valid UTF-8 label text. */
const SEPARATOR_BYTE = 0xff;

const utf8 = new TextEncoder();

/** Names sorted by byte order, as Go's sort.Strings does for ASCII names. */
export function sortedNames(labels: LabelSet): string[] {
  return Object.keys(labels).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * model.LabelSet.Fingerprint (labelSetToFingerprint in common/model/signature.go): FNV-1a 64 over
 * the sorted `name 0xff value 0xff` bytes, as 16 lower-case hex digits (Fingerprint.String).
 * Alertmanager identifies alerts, and the webhook payload's `fingerprint`, by it.
 *
 * @example
 * fingerprint({}); // 'cbf29ce484222325' (the FNV offset basis)
 */
export function fingerprint(labels: LabelSet): string {
  let hash = FNV_OFFSET_64;
  const addByte = (byte: number): void => {
    hash = ((hash ^ BigInt(byte)) * FNV_PRIME_64) & MASK_64;
  };
  for (const name of sortedNames(labels)) {
    for (const byte of utf8.encode(name)) addByte(byte);
    addByte(SEPARATOR_BYTE);
    for (const byte of utf8.encode(labels[name] ?? '')) addByte(byte);
    addByte(SEPARATOR_BYTE);
  }
  return hash.toString(16).padStart(16, '0');
}

/**
 * model.LabelSet.String(): `{a="1", b="2"}`, names sorted, values quoted as Go's %q does (JSON
 * string quoting agrees for printable text). Part of Alertmanager's group keys.
 */
export function labelSetString(labels: LabelSet): string {
  return `{${sortedNames(labels)
    .map((name) => `${name}=${JSON.stringify(labels[name] ?? '')}`)
    .join(', ')}}`;
}

/**
 * An empty record without a prototype: `__proto__` is a valid label name, and assigning it on a
 * plain object would change the object's prototype instead of adding a label.
 */
export function emptyRecord(): Record<string, string> {
  return Object.create(null) as Record<string, string>;
}

/** The labels whose names are in `names` (a route's group_by). */
export function pickLabels(labels: LabelSet, names: ReadonlySet<string>): Record<string, string> {
  const picked = emptyRecord();
  for (const name of sortedNames(labels)) if (names.has(name)) picked[name] = labels[name] ?? '';
  return picked;
}

/** A copy with names in sorted order, so JSON output is stable. */
export function sortedCopy(labels: LabelSet): Record<string, string> {
  const copy = emptyRecord();
  for (const name of sortedNames(labels)) copy[name] = labels[name] ?? '';
  return copy;
}

/** Whether both label sets have the same pairs. */
export function labelSetsEqual(a: LabelSet, b: LabelSet): boolean {
  const names = Object.keys(a);
  if (names.length !== Object.keys(b).length) return false;
  return names.every((name) => Object.hasOwn(b, name) && b[name] === a[name]);
}
