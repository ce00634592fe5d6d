import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  DEFAULT_CORS_ALLOWED_HEADERS,
  DEFAULT_CORS_MAX_AGE_SECONDS,
  type CorsOptions,
} from './receiver-options.ts';

/**
 * CORS for browser OTLP exporters, following the Fetch standard's CORS protocol
 * (https://fetch.spec.whatwg.org/#http-cors-protocol) the way the Collector's confighttp does
 * through rs/cors: an origin that is not allowed gets no CORS headers at all, so the browser
 * blocks the response, while the request itself is still answered normally.
 *
 * @example
 * const cors = new CorsPolicy({ allowedOrigins: ['https://*.example.com'] });
 * if (req.method === 'OPTIONS') cors.answerPreflight(req, res);
 * else cors.decorate(req, res);
 */
export class CorsPolicy {
  private readonly originPatterns: RegExp[];
  private readonly anyOrigin: boolean;
  private readonly anyHeader: boolean;
  private readonly allowedHeaders: Set<string>;
  private readonly maxAgeSeconds: number;

  constructor(options: CorsOptions = {}) {
    const origins = options.allowedOrigins ?? [];
    this.anyOrigin = origins.includes('*');
    this.originPatterns = origins.map(originPattern);
    const headers = [...DEFAULT_CORS_ALLOWED_HEADERS, ...(options.allowedHeaders ?? [])];
    this.anyHeader = headers.includes('*');
    this.allowedHeaders = new Set(headers.map((h) => h.toLowerCase()));
    this.maxAgeSeconds = options.maxAgeSeconds ?? DEFAULT_CORS_MAX_AGE_SECONDS;
  }

  /** False when no origin is configured: OPTIONS is then just an unsupported method. */
  get enabled(): boolean {
    return this.originPatterns.length > 0;
  }

  isOriginAllowed(origin: string): boolean {
    const lowered = origin.toLowerCase();
    return this.originPatterns.some((pattern) => pattern.test(lowered));
  }

  /** Adds CORS headers to an actual (non-preflight) response when the Origin is allowed. */
  decorate(req: IncomingMessage, res: ServerResponse): void {
    if (!this.enabled) return;
    res.appendHeader('Vary', 'Origin');
    const origin = req.headers.origin;
    if (origin === undefined || !this.isOriginAllowed(origin)) return;
    res.setHeader('Access-Control-Allow-Origin', this.anyOrigin ? '*' : origin);
    // Lets browser exporters honour throttling (otlp-specification.md, "OTLP/HTTP Throttling").
    res.setHeader('Access-Control-Expose-Headers', 'Retry-After');
  }

  /**
   * Answers an OPTIONS preflight with 204. Allow-* headers are sent only when the origin, the
   * method (POST) and every requested header are allowed; otherwise the bare 204 makes the
   * browser refuse the cross-origin request.
   */
  answerPreflight(req: IncomingMessage, res: ServerResponse): void {
    res.appendHeader('Vary', ['Origin', 'Access-Control-Request-Method', 'Access-Control-Request-Headers']);
    const origin = req.headers.origin;
    const method = req.headers['access-control-request-method'];
    const requestedHeaders = parseHeaderList(req.headers['access-control-request-headers']);
    const allowed =
      origin !== undefined &&
      this.isOriginAllowed(origin) &&
      method?.toUpperCase() === 'POST' &&
      requestedHeaders.every((h) => this.anyHeader || this.allowedHeaders.has(h));
    if (allowed) {
      res.setHeader('Access-Control-Allow-Origin', this.anyOrigin ? '*' : origin);
      res.setHeader('Access-Control-Allow-Methods', 'POST');
      if (requestedHeaders.length > 0)
        res.setHeader('Access-Control-Allow-Headers', requestedHeaders.join(', '));
      if (this.maxAgeSeconds > 0) res.setHeader('Access-Control-Max-Age', String(this.maxAgeSeconds));
    }
    res.statusCode = 204;
    res.end();
  }
}

/**
 * `https://*.example.com` → /^https:\/\/[^/]*\.example\.com$/. A wildcard never spans a `/`, so
 * it stays inside the host part of an origin (scheme://host:port); a lone `*` allows every origin.
 * Origins compare case-insensitively (RFC 6454 §6.1 serialises scheme and host in lowercase).
 */
function originPattern(allowedOrigin: string): RegExp {
  if (allowedOrigin === '*') return /^.*$/;
  const escaped = allowedOrigin
    .toLowerCase()
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
    .join('[^/]*');
  return new RegExp(`^${escaped}$`);
}

function parseHeaderList(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h.length > 0);
}
