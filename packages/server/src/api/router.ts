import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './api-error.ts';

/** Which API a route belongs to; decides the error body format. */
export type ApiFlavor = 'vigil' | 'jaeger' | 'prometheus' | 'plain';

export interface RequestContext {
  request: IncomingMessage;
  response: ServerResponse;
  /** Path parameters by name, percent-decoded. */
  pathParams: Readonly<Record<string, string>>;
  query: URLSearchParams;
}

export type RouteHandler = (context: RequestContext) => Promise<void> | void;

interface Route {
  method: string;
  segments: readonly string[];
  flavor: ApiFlavor;
  /** The pattern as registered, a low-cardinality label for metrics. */
  pattern: string;
  handler: RouteHandler;
}

export interface RouteMatch {
  route: Route;
  pathParams: Record<string, string>;
}

/**
 * A small path router: patterns are `/`-separated segments where `{name}` captures one segment
 * (percent-decoded, so `/api/services/a%2Fb/operations` captures `a/b`). Exact segments win over
 * captures regardless of registration order.
 *
 * @example
 * router.get('/api/traces/{traceId}', 'jaeger', async ({ pathParams }) => { ... });
 */
export class Router {
  private readonly routes: Route[] = [];

  get(pattern: string, flavor: ApiFlavor, handler: RouteHandler): void {
    this.add('GET', pattern, flavor, handler);
  }

  /** A POST route; the handler reads the body itself (see prometheus/prom-form.ts). */
  post(pattern: string, flavor: ApiFlavor, handler: RouteHandler): void {
    this.add('POST', pattern, flavor, handler);
  }

  /** A DELETE route (Alertmanager's silence expiry, acknowledgements). */
  delete(pattern: string, flavor: ApiFlavor, handler: RouteHandler): void {
    this.add('DELETE', pattern, flavor, handler);
  }

  private add(method: string, pattern: string, flavor: ApiFlavor, handler: RouteHandler): void {
    this.routes.push({ method, segments: splitPath(pattern), flavor, pattern, handler });
    // Literal segments first, so `/api/traces/{id}` never shadows `/api/traces/search`-style paths.
    this.routes.sort((a, b) => literalScore(b) - literalScore(a));
  }

  /**
   * The route for a path: a match, or a 404/405 ApiError. `flavorOf` guesses the API from the path
   * prefix for errors of unknown routes.
   */
  match(method: string, path: string): RouteMatch {
    const segments = splitPath(path);
    let pathMatched = false;
    for (const route of this.routes) {
      const pathParams = matchSegments(route.segments, segments);
      if (pathParams === undefined) continue;
      pathMatched = true;
      if (route.method === method || (method === 'HEAD' && route.method === 'GET'))
        return { route, pathParams };
    }
    if (pathMatched) throw new ApiError(405, 'method not allowed');
    throw new ApiError(404, 'no such route');
  }
}

function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

function literalScore(route: Route): number {
  return route.segments.filter((segment) => !segment.startsWith('{')).length;
}

function matchSegments(
  pattern: readonly string[],
  path: readonly string[],
): Record<string, string> | undefined {
  if (pattern.length !== path.length) return undefined;
  const params: Record<string, string> = Object.create(null) as Record<string, string>;
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i] ?? '';
    const actual = path[i] ?? '';
    if (expected.startsWith('{') && expected.endsWith('}')) {
      params[expected.slice(1, -1)] = decodeSegment(actual);
    } else if (expected !== actual) {
      return undefined;
    }
  }
  return params;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ApiError(400, 'malformed percent-encoding in the path');
  }
}

/** The API a path belongs to, for errors on paths no route matched. */
export function flavorOf(path: string): ApiFlavor {
  if (path.startsWith('/api/vigil/')) return 'vigil';
  if (path.startsWith('/api/v1/')) return 'prometheus';
  // Alertmanager's v2 API (alerts, silences) answers errors as JSON, like Vigil's own API.
  if (path.startsWith('/api/v2/')) return 'vigil';
  if (path.startsWith('/api/')) return 'jaeger';
  return 'plain';
}
