/**
 * Resource conditions evaluated once per distinct resource of a batch: records of one export share
 * their resource object by reference (model/resource.ts), as upstream evaluates per ResourceSpans.
 */
import type { ConditionSet } from './condition-set.ts';

export function resourceMatcher<R extends object>(conditions: ConditionSet<R>): (resource: R) => boolean {
  if (conditions.isEmpty) return () => false;
  const seen = new Map<R, boolean>();
  return (resource) => {
    let matched = seen.get(resource);
    if (matched === undefined) {
      matched = conditions.matches(resource);
      seen.set(resource, matched);
    }
    return matched;
  };
}
