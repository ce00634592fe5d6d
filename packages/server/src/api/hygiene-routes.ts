import { parseDurationMs } from '../query/promql/literals.ts';
import type { AlertHistory } from '../rules/hygiene/alert-history.ts';
import type { AcknowledgementTarget } from '../rules/hygiene/hygiene-types.ts';
import { ApiError } from './api-error.ts';
import { sendJson } from './http-io.ts';
import { readJsonBody } from './json-body.ts';
import type { Router } from './router.ts';

const PREFIX = '/api/vigil/v1/alerts';
const DEFAULT_WINDOW_MS = 7 * 86_400_000;
const MAX_WINDOW_MS = 365 * 86_400_000;
const MAX_BY_LENGTH = 200;
const MAX_COMMENT_LENGTH = 2000;
const FINGERPRINT = /^[0-9a-f]{16}$/;

export interface HygieneRoutesOptions {
  /** The report and acknowledgement time; Date.now by default (tests pass a fixed clock). */
  nowMs?: () => number;
}

/**
 * The alert hygiene API (docs/api.md, "Alert hygiene"):
 * - `GET /alerts/hygiene?window=7d`: the report (rules/hygiene/hygiene-report.ts) over the last
 *   `window` (a Prometheus duration, default 7d, at most 365d).
 * - `POST /alerts/acknowledgements` with `{"labels": {...}, "by": "...", "comment": "..."}` or
 *   `{"fingerprint": "<16 hex>", "by": "..."}`: 201 with the acknowledgement; 400 names the bad field.
 * - `GET /alerts/acknowledgements`: every kept acknowledgement, newest first.
 *
 * @example
 * registerHygieneRoutes(router, new AlertHistory({ dir: dataDir }));
 */
export function registerHygieneRoutes(
  router: Router,
  history: AlertHistory,
  options: HygieneRoutesOptions = {},
): void {
  const nowMs = options.nowMs ?? Date.now;
  router.get(`${PREFIX}/hygiene`, 'vigil', ({ response, query }) => {
    const windowMs = parseWindow(query.get('window'));
    sendJson(response, 200, { data: history.hygieneReport(nowMs(), windowMs) });
  });
  router.get(`${PREFIX}/acknowledgements`, 'vigil', ({ response }) => {
    sendJson(response, 200, { data: [...history.acknowledgements()].reverse() });
  });
  router.post(`${PREFIX}/acknowledgements`, 'vigil', async (context) => {
    const request = parseAcknowledgement(await readJsonBody(context));
    const ack = history.acknowledge(request.target, request.by, nowMs(), request.comment);
    sendJson(context.response, 201, { data: ack });
  });
}

function parseWindow(text: string | null): number {
  if (text === null || text === '') return DEFAULT_WINDOW_MS;
  const windowMs = parseDurationMs(text);
  if (windowMs === undefined || windowMs <= 0 || windowMs > MAX_WINDOW_MS)
    throw new ApiError(
      400,
      "invalid parameter 'window': expected a duration between 1ms and 365d, such as 7d or 24h",
    );
  return windowMs;
}

interface AcknowledgementRequest {
  target: AcknowledgementTarget;
  by: string;
  comment?: string;
}

/** Validates the body; messages name the field and never repeat what was sent. */
function parseAcknowledgement(body: unknown): AcknowledgementRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ApiError(400, 'expected a JSON object with labels or fingerprint, and by');
  const { labels, fingerprint, by, comment } = body as Record<string, unknown>;
  if (typeof by !== 'string' || by.trim() === '' || by.length > MAX_BY_LENGTH)
    throw new ApiError(
      400,
      `invalid field 'by': expected who acknowledges, 1 to ${MAX_BY_LENGTH} characters`,
    );
  if (comment !== undefined && (typeof comment !== 'string' || comment.length > MAX_COMMENT_LENGTH))
    throw new ApiError(
      400,
      `invalid field 'comment': expected a string of at most ${MAX_COMMENT_LENGTH} characters`,
    );
  if ((labels === undefined) === (fingerprint === undefined))
    throw new ApiError(400, "expected exactly one of 'labels' and 'fingerprint'");
  const request = { by, ...(comment === undefined ? {} : { comment }) };
  if (fingerprint !== undefined) {
    if (typeof fingerprint !== 'string' || !FINGERPRINT.test(fingerprint))
      throw new ApiError(
        400,
        "invalid field 'fingerprint': expected 16 lower-case hex digits, as in notifications",
      );
    return { ...request, target: fingerprint };
  }
  if (!isLabelSet(labels))
    throw new ApiError(400, "invalid field 'labels': expected a non-empty object of string values");
  return { ...request, target: labels };
}

function isLabelSet(value: unknown): value is Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return (
    entries.length > 0 && entries.every(([name, labelValue]) => name !== '' && typeof labelValue === 'string')
  );
}
