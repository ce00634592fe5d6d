/**
 * The demo's control API: which failure scenarios are on, switchable live.
 *
 *   GET    /scenarios         → {"active": [...], "available": {"name": "what it does", ...}}
 *   PUT    /scenarios         body {"active": ["a", "b"]} (or a JSON array) → replaces the set
 *   PUT    /scenarios/{name}  → turns one on;  DELETE /scenarios/{name} → turns one off
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listen } from './dcgm-exporter.ts';
import { isScenarioName, SCENARIOS, validateScenarioNames, type ScenarioName } from './scenarios.ts';

export interface ScenarioControl {
  active(): ScenarioName[];
  set(scenarios: ScenarioName[]): void;
}

const MAX_BODY_BYTES = 64 * 1024;

class RequestError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of request) {
    text += String(chunk);
    if (text.length > MAX_BODY_BYTES) throw new RequestError(413, 'body too large');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new RequestError(400, 'body must be JSON: {"active": ["scenario", ...]}');
  }
}

function activeList(body: unknown): ScenarioName[] {
  const list = Array.isArray(body)
    ? body
    : typeof body === 'object' && body !== null
      ? (body as Record<string, unknown>)['active']
      : undefined;
  if (!Array.isArray(list)) throw new RequestError(400, 'body must be {"active": ["scenario", ...]}');
  try {
    return validateScenarioNames(list);
  } catch (error: unknown) {
    throw new RequestError(400, (error as Error).message);
  }
}

async function route(control: ScenarioControl, request: IncomingMessage): Promise<unknown> {
  const path = (request.url ?? '/').split('?')[0] ?? '/';
  const method = request.method ?? 'GET';
  if (path === '/scenarios' || path === '/scenarios/') {
    if (method === 'PUT' || method === 'POST') control.set(activeList(await readBody(request)));
    else if (method !== 'GET') throw new RequestError(405, 'method not allowed');
    return { active: control.active(), available: SCENARIOS };
  }
  const match = /^\/scenarios\/([a-z-]+)$/.exec(path);
  if (!match?.[1]) throw new RequestError(404, 'not found: try GET /scenarios');
  const name = match[1];
  if (!isScenarioName(name)) throw new RequestError(404, 'unknown scenario: GET /scenarios lists them');
  const others = control.active().filter((active) => active !== name);
  if (method === 'PUT' || method === 'POST') control.set([...others, name]);
  else if (method === 'DELETE') control.set(others);
  else if (method !== 'GET') throw new RequestError(405, 'method not allowed');
  return { name, active: control.active().includes(name), description: SCENARIOS[name] };
}

function send(response: ServerResponse, statusCode: number, body: unknown): void {
  response.writeHead(statusCode, { 'content-type': 'application/json' }).end(`${JSON.stringify(body)}\n`);
}

export function startControlServer(
  control: ScenarioControl,
  host: string,
  port: number,
): Promise<{ port: number; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    route(control, request).then(
      (body) => send(response, 200, body),
      (error: unknown) => {
        const statusCode = error instanceof RequestError ? error.statusCode : 500;
        send(response, statusCode, {
          error: error instanceof RequestError ? error.message : 'internal error',
        });
      },
    );
  });
  return listen(server, host, port);
}
