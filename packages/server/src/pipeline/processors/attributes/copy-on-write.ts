/**
 * Maps a batch where most records may come back unchanged: `edit` returns the record itself when it
 * left it alone. The input array is never written; a new array is made only once something changed.
 *
 * @example
 * const out = mapChanged(spans, (span) => (skip(span) ? span : withNewAttributes(span)));
 */
export function mapChanged<T>(records: T[], edit: (record: T) => T): T[] {
  let out: T[] | undefined;
  for (let index = 0; index < records.length; index++) {
    const record = records[index] as T;
    const edited = edit(record);
    if (edited === record) continue;
    out ??= records.slice();
    out[index] = edited;
  }
  return out ?? records;
}
