/** How many capturing groups a compiled pattern has (named or not). */
export function captureGroupCount(regex: RegExp): number {
  // An alternation with the empty pattern always matches "", and the match array has one slot per group.
  const probe = new RegExp(`${regex.source}|`, regex.flags).exec('');
  return probe ? probe.length - 1 : 0;
}
