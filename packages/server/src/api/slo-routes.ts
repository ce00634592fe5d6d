import { parseSloSpec } from '../rules/slo/parse-slo-spec.ts';
import { sloDeclaration } from '../rules/slo/slo-declaration.ts';
import { SloRegistryError, type SloEntry, type SloRegistry } from '../rules/slo/slo-registry.ts';
import { sloStatus, type SloQueryEngine, type SloStatus } from '../rules/slo/slo-status.ts';
import { SloSpecError } from '../rules/slo/spec-fields.ts';
import type { SloSpec } from '../rules/slo/slo-spec.ts';
import { ApiError } from './api-error.ts';
import { sendJson } from './http-io.ts';
import { readJsonBody } from './json-body.ts';
import type { RequestContext, Router } from './router.ts';

const PREFIX = '/api/vigil/v1/slos';

export interface SloApi {
  registry: SloRegistry;
  /** Runs the status queries (a PromQLEngine over the store). */
  engine: SloQueryEngine;
  /** The status time; Date.now by default (tests pass a fixed clock). */
  nowMs?: () => number;
}

/** One SLO as the API shows it: its declaration (POSTable again), where it came from, its status. */
interface SloJson {
  slo: Record<string, unknown>;
  source: SloEntry['source'];
  status?: SloStatus;
}

/**
 * SLO management under /api/vigil/v1/slos (Vigil JSON API: `{"data": …}`, errors `{"error": …}`):
 * - `GET /slos`: every SLO with its status; `GET /slos/{name}`: one.
 * - `POST /slos` with a JSON declaration (the `vigil.slos:` entry format): 201 created, 200
 *   replaced, 400 with the validation error, 409 when the config declares that name or the limit is reached.
 * - `DELETE /slos/{name}`: 200; 404 unknown; 409 for config SLOs.
 * Changes reach the rule manager through the registry's `onChange`.
 *
 * @example
 * registerSloRoutes(router, { registry, engine: new PromQLEngine(new StoreSeriesSource(store)) });
 */
export function registerSloRoutes(router: Router, slos: SloApi): void {
  const nowMs = slos.nowMs ?? Date.now;
  router.get(PREFIX, 'vigil', async ({ response }) => {
    const data: SloJson[] = [];
    // One SLO after the other: each status is already eight queries at once.
    for (const entry of slos.registry.entries()) data.push(await entryJson(entry, slos.engine, nowMs()));
    sendJson(response, 200, { data });
  });
  router.get(`${PREFIX}/{name}`, 'vigil', async ({ response, pathParams }) => {
    const entry = slos.registry.get(pathParams.name ?? '');
    if (!entry) throw new ApiError(404, 'no such SLO');
    sendJson(response, 200, { data: await entryJson(entry, slos.engine, nowMs()) });
  });
  router.post(PREFIX, 'vigil', async (context) => {
    const spec = await readSpec(context);
    const { created } = await registryCall(() => slos.registry.put(spec));
    sendJson(context.response, created ? 201 : 200, {
      data: { slo: sloDeclaration(spec), source: 'api' } satisfies SloJson,
    });
  });
  router.delete(`${PREFIX}/{name}`, 'vigil', async ({ response, pathParams }) => {
    const name = pathParams.name ?? '';
    await registryCall(() => slos.registry.delete(name));
    sendJson(response, 200, { data: { name } });
  });
}

async function entryJson(entry: SloEntry, engine: SloQueryEngine, nowMs: number): Promise<SloJson> {
  return {
    slo: sloDeclaration(entry.spec),
    source: entry.source,
    // Status values are finite or null (slo-status.ts), so they survive JSON.
    status: await sloStatus(engine, entry.spec, nowMs),
  };
}

/** Validation errors name the field (`objective: expected …`) and never quote the body. */
async function readSpec(context: RequestContext): Promise<SloSpec> {
  const body = await readJsonBody(context);
  try {
    return parseSloSpec(body);
  } catch (error: unknown) {
    if (error instanceof SloSpecError) throw new ApiError(400, `invalid SLO: ${error.message}`);
    throw error;
  }
}

async function registryCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error: unknown) {
    if (error instanceof SloRegistryError)
      throw new ApiError(error.kind === 'not_found' ? 404 : 409, error.message);
    throw error;
  }
}
