/**
 * The orchestrator ↔ service protocol, over the Node IPC channel of each child process. IPC (rather
 * than polling an HTTP API) means a child learns of a dead orchestrator at once: its channel
 * disconnects and it exits, so no service outlives the demo.
 */
import type { ScenarioName } from './scenarios.ts';
import { validateScenarioNames } from './scenarios.ts';

/** Child → orchestrator: the service listens on 127.0.0.1:`port`. */
export interface ReadyMessage {
  type: 'ready';
  port: number;
}

/** Orchestrator → child: where the other services listen, and which scenarios are on. */
export interface ConfigMessage {
  type: 'config';
  /** Process key (e.g. "fraud-model-v3.2") → base URL. */
  serviceUrls: Record<string, string>;
  scenarios: ScenarioName[];
}

/** Orchestrator → child: the active scenarios changed. */
export interface ScenariosMessage {
  type: 'scenarios';
  scenarios: ScenarioName[];
}

export type ParentMessage = ConfigMessage | ScenariosMessage;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseReadyMessage(message: unknown): ReadyMessage | undefined {
  if (!isRecord(message) || message['type'] !== 'ready') return undefined;
  const port = message['port'];
  return typeof port === 'number' && Number.isInteger(port) && port > 0 ? { type: 'ready', port } : undefined;
}

/** Validates a message from the orchestrator; undefined for anything malformed. */
export function parseParentMessage(message: unknown): ParentMessage | undefined {
  if (!isRecord(message)) return undefined;
  const scenarios = message['scenarios'];
  if (!Array.isArray(scenarios)) return undefined;
  let names: ScenarioName[];
  try {
    names = validateScenarioNames(scenarios);
  } catch {
    return undefined;
  }
  if (message['type'] === 'scenarios') return { type: 'scenarios', scenarios: names };
  const urls = message['serviceUrls'];
  if (message['type'] !== 'config' || !isRecord(urls)) return undefined;
  const serviceUrls: Record<string, string> = {};
  for (const [key, url] of Object.entries(urls)) if (typeof url === 'string') serviceUrls[key] = url;
  return { type: 'config', serviceUrls, scenarios: names };
}
