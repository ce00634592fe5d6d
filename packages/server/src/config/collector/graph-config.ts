import { isMap, isScalar, isSeq, type Document, type LineCounter } from 'yaml';
import type { CollectorGraphConfig, PipelineConfig } from '../../pipeline/graph/collector-graph-config.ts';
import { isSignal } from './component-id.ts';

const COMPONENT_SECTIONS = ['processors', 'exporters', 'connectors', 'extensions'] as const;

/**
 * The pipeline graph's view of a checked config (analyze-collector-config.ts ran first): component
 * settings as plain values, pipelines in order, and where each node is, for settings errors found
 * when the components are created. Undefined when the file has no `service.pipelines`.
 */
export function readCollectorGraph(
  doc: Document,
  lineCounter: LineCounter,
  root: unknown,
  file: string,
): CollectorGraphConfig | undefined {
  const object = asRecord(root);
  const pipelines = asRecord(asRecord(object['service'])['pipelines']);
  if (Object.keys(pipelines).length === 0) return undefined;
  const graph: CollectorGraphConfig = {
    processors: asRecord(object['processors']),
    exporters: asRecord(object['exporters']),
    connectors: asRecord(object['connectors']),
    extensions: asRecord(object['extensions']),
    pipelines: [],
    file,
    positions: {},
  };
  for (const [id, value] of Object.entries(pipelines)) {
    const pipeline = readPipeline(id, value);
    if (pipeline) graph.pipelines.push(pipeline);
  }
  for (const section of [...COMPONENT_SECTIONS, 'service']) {
    recordPositions(doc.get(section, true), [section], lineCounter, graph.positions);
  }
  return graph;
}

function readPipeline(id: string, value: unknown): PipelineConfig | undefined {
  const signal = id.split('/')[0]!.trim();
  if (!isSignal(signal)) return undefined;
  const record = asRecord(value);
  const ids = (key: string): string[] =>
    Array.isArray(record[key]) ? (record[key] as unknown[]).filter((v) => typeof v === 'string') : [];
  return {
    id,
    signal,
    receivers: ids('receivers'),
    processors: ids('processors'),
    exporters: ids('exporters'),
  };
}

function recordPositions(
  node: unknown,
  keyPath: string[],
  lineCounter: LineCounter,
  out: Record<string, [number, number]>,
): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const path = [...keyPath, key];
      const range = (pair.key as { range?: [number, number, number] } | null)?.range;
      if (range) {
        const { line, col } = lineCounter.linePos(range[0]);
        out[path.join('.')] = [line, col];
      }
      recordPositions(pair.value, path, lineCounter, out);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => {
      const path = [...keyPath, String(index)];
      const range = (item as { range?: [number, number, number] } | null)?.range;
      if (range) {
        const { line, col } = lineCounter.linePos(range[0]);
        out[path.join('.')] = [line, col];
      }
      recordPositions(item, path, lineCounter, out);
    });
  }
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
