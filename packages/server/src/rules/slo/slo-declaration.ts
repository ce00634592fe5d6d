/**
 * An SLO back in declaration form (snake_case, as parseSloSpec reads it): what the API shows and
 * the SLO store persists, so a GET answer can be POSTed again unchanged.
 */
import { formatExpr } from '../../query/promql/format-query.ts';
import { formatWindow } from './burn-rate-policy.ts';
import type { LatencySli, SliSpec, SloSpec } from './slo-spec.ts';

export type SloDeclaration = Record<string, unknown>;

/**
 * @example
 * parseSloSpec(sloDeclaration(spec)); // deep-equal to spec
 */
export function sloDeclaration(spec: SloSpec): SloDeclaration {
  const declaration: SloDeclaration = { name: spec.name };
  if (spec.service !== undefined) declaration.service = spec.service;
  if (spec.description !== undefined) declaration.description = spec.description;
  declaration.objective = spec.objectiveRatio;
  declaration.window = formatWindow(spec.windowMs);
  if (Object.keys(spec.labels).length > 0) declaration.labels = { ...spec.labels };
  if (spec.runbookUrl !== undefined) declaration.runbook_url = spec.runbookUrl;
  declaration.page_severity = spec.pageSeverity;
  declaration.ticket_severity = spec.ticketSeverity;
  declaration[spec.sli.kind] = sliDeclaration(spec.sli);
  return declaration;
}

function sliDeclaration(sli: SliSpec): SloDeclaration {
  switch (sli.kind) {
    case 'events':
      return sli.countsErrors
        ? { error_query: sli.numeratorQuery, total_query: sli.totalQuery }
        : { good_query: sli.numeratorQuery, total_query: sli.totalQuery };
    case 'latency':
      return {
        metric: sli.metric,
        ...(sli.matchers.length > 0 ? { matchers: matchersText(sli) } : {}),
        threshold: sli.threshold,
      };
    case 'spans':
      return sli.operation === undefined
        ? { service: sli.service }
        : { service: sli.service, operation: sli.operation };
    case 'quality':
      return { expr: sli.expr, threshold: sli.threshold };
  }
}

/** `{a="b"}`: the selector's braces as Prometheus prints them. */
function matchersText(sli: LatencySli): string {
  return formatExpr({
    kind: 'vector_selector',
    name: undefined,
    matchers: [...sli.matchers],
    offsetMs: 0,
    at: undefined,
    pos: { start: 0, end: 0 },
  });
}
