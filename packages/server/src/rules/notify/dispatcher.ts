/**
 * The dispatcher (Alertmanager dispatch/dispatch.go): sorts alerts into aggregation groups, one
 * per matching route and group_by label values, bounded in number.
 */
import { AggregationGroup } from './aggregation-group.ts';
import type { StoredAlert } from './alert-store.ts';
import { labelSetString, pickLabels, sortedCopy } from './label-set.ts';
import type { Route } from './route-tree.ts';

export class Dispatcher {
  private readonly groups = new Map<string, AggregationGroup>();

  constructor(
    private readonly root: Route,
    private readonly maxGroups: number,
  ) {}

  /**
   * Inserts the alert into the group of each matching route (processAlert). Returns how many
   * groups could not be created because the limit was reached.
   */
  dispatch(alert: StoredAlert, nowMs: number): number {
    let refused = 0;
    for (const route of this.root.match(alert.labels)) {
      const { groupBy, groupByAll } = route.options;
      const groupLabels = groupByAll ? sortedCopy(alert.labels) : pickLabels(alert.labels, groupBy);
      const labelsString = labelSetString(groupLabels);
      const mapKey = `${route.id}\u0000${labelsString}`;
      let group = this.groups.get(mapKey);
      // An empty group is one maintenance would have removed: start afresh, with a new group_wait.
      if (group?.empty === true && !group.flushing) group = undefined;
      if (group === undefined) {
        if (!this.groups.has(mapKey) && this.groups.size >= this.maxGroups) {
          refused++;
          continue;
        }
        group = new AggregationGroup(route, groupLabels, labelsString, nowMs);
        this.groups.set(mapKey, group);
      }
      group.insert(alert, nowMs);
    }
    return refused;
  }

  /** Groups due for a flush at `nowMs`. */
  due(nowMs: number): AggregationGroup[] {
    return [...this.groups.values()].filter((group) => group.isDue(nowMs));
  }

  /** Drops empty groups (doMaintenance), so a new alert starts a fresh group_wait. */
  removeEmpty(): void {
    for (const [key, group] of this.groups) if (group.empty && !group.flushing) this.groups.delete(key);
  }

  get size(): number {
    return this.groups.size;
  }

  /** The receivers an alert's labels route to (the API's `receivers`), in tree order. */
  receiversFor(labels: StoredAlert['labels']): string[] {
    return [...new Set(this.root.match(labels).map((route) => route.options.receiver))];
  }
}
