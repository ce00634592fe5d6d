/**
 * Helpers for end-to-end tests: an in-process Vigil on ephemeral ports with a fresh data directory,
 * and a JSON GET against its query API.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig, type VigilConfig } from '../config/vigil-config.ts';
import { startVigil, type RunningVigil } from './start-vigil.ts';

export async function startTestVigil(
  overrides: (config: VigilConfig) => void = () => {},
): Promise<RunningVigil> {
  const config = defaultConfig();
  config.dataDir = mkdtempSync(join(tmpdir(), 'vigil-e2e-'));
  config.otlpGrpc.port = 0;
  config.otlpHttp.port = 0;
  config.api.port = 0;
  overrides(config);
  return startVigil(config);
}

export async function getJson(vigil: RunningVigil, path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`http://127.0.0.1:${vigil.ports.api}${path}`);
  return { status: response.status, body: await response.json() };
}

/** OTel HrTime [seconds, nanos] → exact Unix nanoseconds as a decimal string. */
export function hrTimeToNanosText([seconds, nanos]: [number, number]): string {
  return (BigInt(seconds) * 1_000_000_000n + BigInt(nanos)).toString();
}
