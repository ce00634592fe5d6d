import { parseDurationMillis } from '../config/duration.ts';
import type { DriftReference, RangeMs } from '../ml/ml-types.ts';
import { UnknownModelError, type MlQueries } from '../ml/ml-queries.ts';
import { BaselineLimitError } from '../ml/engine/baseline-store.ts';
import { nowUnixNano } from '../model/units.ts';
import { InvalidParameterError } from '../query/traces/invalid-parameter-error.ts';
import { firstParam } from '../query/traces/search-params.ts';
import { parseRange } from '../query/traces/trace-search-request.ts';
import { ApiError } from './api-error.ts';
import { sendJson } from './http-io.ts';
import { readJsonBody } from './json-body.ts';
import type { RequestContext, Router } from './router.ts';

const PREFIX = '/api/vigil/v1/ml';
/** Timelines and gap reports: at most this many steps per answer. */
const MAX_STEPS = 11_000;
const NAME_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;

/**
 * The ML analytics API (docs/ml-analytics.md): models and versions, canary verdicts, drift,
 * baselines, latency timelines, inference phases, tail at scale, failure-mode reports, GPU
 * correlation and GenAI. Every GET takes `start`/`end`/`lookback` as the trace API does.
 */
export function registerMlRoutes(router: Router, ml: MlQueries): void {
  const get = (path: string, handle: (context: RequestContext, range: RangeMs) => unknown): void => {
    router.get(`${PREFIX}${path}`, 'vigil', async (context) => {
      const data = await answer(() => handle(context, rangeMs(context.query)));
      sendJson(context.response, 200, { data });
    });
  };
  get('/models', (_c, range) => ml.models(range));
  get('/deployments', (_c, range) => ml.deployments(range));
  get('/compare', ({ query }, range) =>
    ml.compare(
      required(query, 'model'),
      optional(query, 'baseline'),
      optional(query, 'candidate'),
      range,
      confidence(query),
    ),
  );
  get('/drift', ({ query }, range) =>
    ml.drift(required(query, 'model'), required(query, 'version'), range, driftReference(query)),
  );
  get('/timeline', ({ query }, range) =>
    ml.timeline(required(query, 'model'), required(query, 'version'), range, stepMs(query, range)),
  );
  get('/genai', (_c, range) => ml.genAi(range));
  get('/phases', ({ query }, range) => ml.phases(range, optional(query, 'model')));
  get('/tail-at-scale', ({ query }, range) => ml.tailAtScale(range, optional(query, 'service')));
  get('/reports/propagation-gaps', ({ query }, range) => ml.propagationGaps(range, stepMs(query, range)));
  get('/reports/clock-skew', (_c, range) => ml.clockSkew(range));
  get('/reports/cardinality', () => ({ link: '/api/v1/status/tsdb', cli: 'vigil cardinality' }));
  get('/gpu', ({ query }, range) => ml.gpu(range, stepMs(query, range)));
  get('/baselines', () => ml.baselines());
  router.post(`${PREFIX}/baselines`, 'vigil', async (context) => {
    const body = await readJsonBody(context);
    const data = await answer(() => pinBaseline(ml, body));
    sendJson(context.response, 201, { data });
  });
  router.delete(`${PREFIX}/baselines/{name}`, 'vigil', async ({ response, pathParams }) => {
    const name = pathParams['name'] ?? '';
    if (!NAME_PATTERN.test(name))
      throw new InvalidParameterError('name', 'letters, digits and _ . : - (at most 128)');
    if (!(await ml.deleteBaseline(name))) throw new ApiError(404, 'no baseline of that name');
    response.writeHead(204).end();
  });
}

/** Unknown models answer 404; everything else goes to the central error handler. */
async function answer(run: () => unknown): Promise<unknown> {
  try {
    return await run();
  } catch (error: unknown) {
    if (error instanceof UnknownModelError) throw new ApiError(404, error.message);
    if (error instanceof BaselineLimitError) throw new ApiError(409, error.message);
    throw error;
  }
}

function rangeMs(query: URLSearchParams): RangeMs {
  const range = parseRange(query, nowUnixNano());
  return { startMs: Number(range.startUnixNano / 1_000_000n), endMs: Number(range.endUnixNano / 1_000_000n) };
}

function required(query: URLSearchParams, name: string): string {
  const value = optional(query, name);
  if (value === undefined) throw new InvalidParameterError(name, 'a model or version name');
  return value;
}

function optional(query: URLSearchParams, name: string): string | undefined {
  const value = firstParam(query, name);
  if (value === undefined || value === '') return undefined;
  if (!NAME_PATTERN.test(value))
    throw new InvalidParameterError(name, 'letters, digits and _ . : - (at most 128)');
  return value;
}

function confidence(query: URLSearchParams): number {
  const text = firstParam(query, 'confidence');
  if (text === undefined) return 0.95;
  const value = Number(text);
  if (!(value >= 0.5 && value < 1))
    throw new InvalidParameterError('confidence', 'a number in [0.5, 1), e.g. 0.95');
  return value;
}

function stepMs(query: URLSearchParams, range: RangeMs): number {
  const text = firstParam(query, 'step');
  const spanMs = Math.max(1, range.endMs - range.startMs);
  if (text === undefined) return Math.max(60_000, Math.ceil(spanMs / 250 / 60_000) * 60_000);
  let step: number;
  try {
    step = parseDurationMillis(text);
  } catch {
    throw new InvalidParameterError('step', 'a duration such as 1m');
  }
  if (step <= 0 || spanMs / step > MAX_STEPS)
    throw new InvalidParameterError('step', `positive, at most ${MAX_STEPS} steps`);
  return step;
}

/** `reference=previous` (default), `reference=baseline:NAME`, or `reference_start`/`reference_end`. */
function driftReference(query: URLSearchParams): DriftReference {
  const start = firstParam(query, 'reference_start');
  const end = firstParam(query, 'reference_end');
  if (start !== undefined || end !== undefined) {
    if (start === undefined)
      throw new InvalidParameterError('reference_start', 'a timestamp, together with reference_end');
    if (end === undefined)
      throw new InvalidParameterError('reference_end', 'a timestamp, together with reference_start');
    return { kind: 'range', range: rangeMs(new URLSearchParams({ start, end })) };
  }
  const text = firstParam(query, 'reference') ?? 'previous';
  if (text === 'previous') return { kind: 'previous' };
  const name = text.startsWith('baseline:') ? text.slice('baseline:'.length) : '';
  if (!NAME_PATTERN.test(name)) throw new InvalidParameterError('reference', '"previous" or "baseline:NAME"');
  return { kind: 'baseline', name };
}

async function pinBaseline(ml: MlQueries, body: unknown): Promise<unknown> {
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const text = (name: string): string => {
    const value = fields[name];
    if (typeof value !== 'string' || !NAME_PATTERN.test(value))
      throw new InvalidParameterError(name, 'letters, digits and _ . : - (at most 128)');
    return value;
  };
  const params = new URLSearchParams();
  for (const key of ['start', 'end', 'lookback']) {
    const value = fields[key];
    if (typeof value === 'string' || typeof value === 'number') params.set(key, String(value));
  }
  return ml.pinBaseline(text('name'), text('model'), text('version'), rangeMs(params));
}
