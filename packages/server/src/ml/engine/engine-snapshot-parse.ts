/**
 * Validation of an engine snapshot read back from disk: it may be truncated, hand-edited or from
 * another Vigil version, so every field is checked before anything is restored (a half-applied
 * file would leave the engine in a state no span stream produces). Errors are TypeErrors naming
 * the field (json-fields.ts), never its value.
 */
import type { LogSketchJson } from '../stats/log-sketch.ts';
import type { MlEngineSnapshot, GenAiSnapshot, VersionSnapshot } from './engine-snapshot.ts';
import { ENGINE_SKETCH_ACCURACY, ENGINE_SNAPSHOT_FORMAT } from './engine-snapshot.ts';
import type { GenAiSlotJson } from './genai-entry.ts';
import { array, count, finite, integer, optionalSketchJson, pair, record, string } from './json-fields.ts';
import type { MlEngineCounters } from './ml-ingest.ts';
import type { VersionSlotJson } from './version-slot.ts';

const COUNTER_KEYS: readonly (keyof MlEngineCounters)[] = [
  'modelSpans',
  'droppedVersionSpans',
  'lateSpans',
  'droppedFeatureValues',
  'otherClassPredictions',
];
/** Phase sketches per slot: preprocess, forward pass, postprocess. */
const PHASE_COUNT = 3;

/** Checks a snapshot field by field; throws TypeError naming the first bad field. */
export function parseEngineSnapshot(json: unknown): MlEngineSnapshot {
  const root = record(json, 'snapshot');
  if (root['format'] !== ENGINE_SNAPSHOT_FORMAT) throw new TypeError('snapshot.format: unsupported');
  const slotMs = finite(root['slotMs'], 'snapshot.slotMs');
  if (!(slotMs > 0)) throw new TypeError('snapshot.slotMs: expected a number > 0');
  const counters = record(root['counters'], 'snapshot.counters');
  return {
    format: ENGINE_SNAPSHOT_FORMAT,
    slotMs,
    savedAtMs: finite(root['savedAtMs'], 'snapshot.savedAtMs'),
    counters: Object.fromEntries(
      COUNTER_KEYS.map((key) => [key, count(counters[key], `snapshot.counters.${key}`)]),
    ) as unknown as MlEngineCounters,
    versions: array(root['versions'], 'snapshot.versions').map((item, i) =>
      parseVersion(item, `snapshot.versions[${i}]`),
    ),
    genAi: array(root['genAi'], 'snapshot.genAi').map((item, i) => parseGenAi(item, `snapshot.genAi[${i}]`)),
  };
}

function parseVersion(json: unknown, where: string): VersionSnapshot {
  const item = record(json, where);
  return {
    model: string(item['model'], `${where}.model`),
    version: string(item['version'], `${where}.version`),
    firstSeenMs: finite(item['firstSeenMs'], `${where}.firstSeenMs`),
    lastSeenMs: finite(item['lastSeenMs'], `${where}.lastSeenMs`),
    apdexThresholdMs: count(item['apdexThresholdMs'], `${where}.apdexThresholdMs`),
    requestsTotal: count(item['requestsTotal'], `${where}.requestsTotal`),
    errorsTotal: count(item['errorsTotal'], `${where}.errorsTotal`),
    services: strings(item['services'], `${where}.services`),
    placements: array(item['placements'], `${where}.placements`).map((entry) => {
      const [host, gpus] = pair(entry, `${where}.placements[]`);
      return [string(host, `${where}.placements[]`), strings(gpus, `${where}.placements[]`)];
    }),
    featureKeys: strings(item['featureKeys'], `${where}.featureKeys`),
    classNames: strings(item['classNames'], `${where}.classNames`),
    slots: slots(item['slots'], `${where}.slots`, parseVersionSlot),
  };
}

function parseVersionSlot(json: unknown, where: string): VersionSlotJson {
  const slot = record(json, where);
  const phasesMs = array(slot['phasesMs'], `${where}.phasesMs`);
  if (phasesMs.length !== PHASE_COUNT)
    throw new TypeError(`${where}.phasesMs: expected ${PHASE_COUNT} entries`);
  return {
    requests: count(slot['requests'], `${where}.requests`),
    errors: count(slot['errors'], `${where}.errors`),
    apdexSatisfied: count(slot['apdexSatisfied'], `${where}.apdexSatisfied`),
    apdexTolerating: count(slot['apdexTolerating'], `${where}.apdexTolerating`),
    latencyMs: engineSketch(slot['latencyMs'], `${where}.latencyMs`),
    scores: engineSketch(slot['scores'], `${where}.scores`),
    classes: array(slot['classes'], `${where}.classes`).map((entry) => {
      const [name, classCount] = pair(entry, `${where}.classes[]`);
      return [string(name, `${where}.classes[]`), count(classCount, `${where}.classes[]`)];
    }),
    features: array(slot['features'], `${where}.features`).map((entry) => {
      const [key, sketch] = pair(entry, `${where}.features[]`);
      const parsed = engineSketch(sketch, `${where}.features[]`);
      if (parsed === null) throw new TypeError(`${where}.features[]: expected an object`);
      return [string(key, `${where}.features[]`), parsed];
    }),
    // Sums of span attributes: finite, but a client may send negative values, as ingest accepts.
    nullCount: finite(slot['nullCount'], `${where}.nullCount`),
    featureCount: finite(slot['featureCount'], `${where}.featureCount`),
    preprocessSpans: count(slot['preprocessSpans'], `${where}.preprocessSpans`),
    gpuSeconds: count(slot['gpuSeconds'], `${where}.gpuSeconds`),
    gpuSpans: count(slot['gpuSpans'], `${where}.gpuSpans`),
    phasesMs: phasesMs.map((sketch, i) => engineSketch(sketch, `${where}.phasesMs[${i}]`)),
  };
}

function parseGenAi(json: unknown, where: string): GenAiSnapshot {
  const item = record(json, where);
  return {
    model: string(item['model'], `${where}.model`),
    system: string(item['system'], `${where}.system`),
    firstSeenMs: finite(item['firstSeenMs'], `${where}.firstSeenMs`),
    lastSeenMs: finite(item['lastSeenMs'], `${where}.lastSeenMs`),
    slots: slots(item['slots'], `${where}.slots`, parseGenAiSlot),
  };
}

function parseGenAiSlot(json: unknown, where: string): GenAiSlotJson {
  const slot = record(json, where);
  return {
    requests: count(slot['requests'], `${where}.requests`),
    errors: count(slot['errors'], `${where}.errors`),
    inputTokens: finite(slot['inputTokens'], `${where}.inputTokens`),
    outputTokens: finite(slot['outputTokens'], `${where}.outputTokens`),
    outputTokenSeconds: count(slot['outputTokenSeconds'], `${where}.outputTokenSeconds`),
    timeToFirstTokenMs: engineSketch(slot['timeToFirstTokenMs'], `${where}.timeToFirstTokenMs`),
  };
}

function slots<T>(json: unknown, where: string, parse: (json: unknown, where: string) => T): [number, T][] {
  return array(json, where).map((entry, i) => {
    const [index, slot] = pair(entry, `${where}[${i}]`);
    return [integer(index, `${where}[${i}][0]`), parse(slot, `${where}[${i}][1]`)];
  });
}

function strings(json: unknown, where: string): string[] {
  return array(json, where).map((item) => string(item, `${where}[]`));
}

/** `null` or a sketch the engine's own sketches can merge with. */
function engineSketch(json: unknown, where: string): LogSketchJson | null {
  const sketch = optionalSketchJson(json, where);
  if (sketch !== null && sketch.relativeAccuracy !== ENGINE_SKETCH_ACCURACY)
    throw new TypeError(`${where}.relativeAccuracy: not the engine's sketch accuracy`);
  return sketch;
}
