/**
 * `@vigil/demo`: a simulated multi-process ML platform instrumented with the Vigil SDK, with
 * failure scenarios switchable by flag or live over HTTP. `vigil demo` runs it against an
 * in-process Vigil.
 *
 * @example
 * const platform = await startDemoPlatform({ otlpHttpEndpoint: 'http://127.0.0.1:4318', scenarios: ['canary-regression'] });
 * // … later
 * platform.setScenarios(['gpu-throttling']);
 * await platform.close();
 */
export { startDemoPlatform, SERVICE_NAMES, SERVICE_SPECS } from './platform.ts';
export type { DemoPlatform, DemoPlatformOptions } from './platform.ts';
export { parseScenarioList, SCENARIOS, SCENARIO_NAMES, isScenarioName } from './scenarios.ts';
export type { ScenarioName } from './scenarios.ts';
export { DcgmSimulator } from './dcgm-exporter.ts';
export type { LoadStats } from './load-generator.ts';
