/**
 * The routing tree (Alertmanager dispatch/route.go): each node's options inherit from its parent,
 * and an alert goes to the deepest matching nodes, depth-first, left to right, stopping at the
 * first matching sibling unless that sibling has `continue: true`.
 */
import type { LabelSet } from './label-set.ts';
import { matchersString, matchesAll, type CompiledMatcher } from './matchers.ts';
import type { RouteConfig } from './notify-config.ts';

/** Options of a route after inheritance (RouteOpts). */
export interface RouteOptions {
  receiver: string;
  groupBy: ReadonlySet<string>;
  groupByAll: boolean;
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
  /** Not inherited, as in Alertmanager's NewRoute. */
  muteTimeIntervals: readonly string[];
  activeTimeIntervals: readonly string[];
}

/** DefaultRouteOpts: the root route's defaults. */
export const DEFAULT_ROUTE_OPTIONS = {
  groupWaitMs: 30_000,
  groupIntervalMs: 5 * 60_000,
  repeatIntervalMs: 4 * 3_600_000,
} as const;

/** One node of the routing tree. */
export class Route {
  readonly options: RouteOptions;
  readonly matchers: readonly CompiledMatcher[];
  readonly continue: boolean;
  readonly routes: readonly Route[];
  /** Route.Key(): the matchers of the path from the root, e.g. `{}/{severity="page"}`. */
  readonly key: string;
  /** Route.ID(): the key plus the position among siblings, unique in the tree. */
  readonly id: string;

  constructor(config: RouteConfig, parent?: Route, position?: number) {
    const inherited = parent?.options;
    this.options = {
      receiver: config.receiver ?? inherited?.receiver ?? '',
      groupBy: config.groupBy !== undefined ? new Set(config.groupBy) : (inherited?.groupBy ?? new Set()),
      groupByAll: config.groupBy !== undefined ? config.groupByAll : (inherited?.groupByAll ?? false),
      groupWaitMs: config.groupWaitMs ?? inherited?.groupWaitMs ?? DEFAULT_ROUTE_OPTIONS.groupWaitMs,
      groupIntervalMs:
        config.groupIntervalMs ?? inherited?.groupIntervalMs ?? DEFAULT_ROUTE_OPTIONS.groupIntervalMs,
      repeatIntervalMs:
        config.repeatIntervalMs ?? inherited?.repeatIntervalMs ?? DEFAULT_ROUTE_OPTIONS.repeatIntervalMs,
      muteTimeIntervals: config.muteTimeIntervals,
      activeTimeIntervals: config.activeTimeIntervals,
    };
    this.matchers = config.matchers;
    this.continue = config.continue;
    this.key = `${parent ? `${parent.key}/` : ''}${matchersString(config.matchers)}`;
    this.id = position === undefined ? this.key : `${this.key}/${position}`;
    this.routes = config.routes.map((child, index) => new Route(child, this, index));
  }

  /** Route.Match: the matching nodes for a label set, empty when this node does not match. */
  match(labels: LabelSet): Route[] {
    if (!matchesAll(this.matchers, labels)) return [];
    const all: Route[] = [];
    for (const child of this.routes) {
      const matches = child.match(labels);
      all.push(...matches);
      if (matches.length > 0 && !child.continue) break;
    }
    // No child matched: this node itself is the match.
    if (all.length === 0) all.push(this);
    return all;
  }

  /** Every node, depth first (Route.Walk). */
  walk(visit: (route: Route) => void): void {
    visit(this);
    for (const child of this.routes) child.walk(visit);
  }
}
