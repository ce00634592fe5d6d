import type { Signal } from '../../model/signal.ts';

/** One `service.pipelines` entry: `traces`, `traces/sampled`, … with its component ids in order. */
export interface PipelineConfig {
  id: string;
  signal: Signal;
  receivers: string[];
  processors: string[];
  exporters: string[];
}

/**
 * The Collector-shaped part of a config file as plain values, read by load-config.ts after
 * analyze-collector-config.ts has checked its structure (ids, references, connector use).
 */
export interface CollectorGraphConfig {
  /** Component id → its settings (null for "all defaults"). */
  processors: Record<string, unknown>;
  exporters: Record<string, unknown>;
  connectors: Record<string, unknown>;
  extensions: Record<string, unknown>;
  pipelines: PipelineConfig[];
  /** The config file, for error messages. */
  file: string;
  /** `section.id.key…` → [line, column] of that node, so a component's SettingsError points at the file. */
  positions: Record<string, [number, number]>;
}

/** `otlp/tempo` → `otlp`. */
export function componentType(id: string): string {
  const slash = id.indexOf('/');
  return (slash < 0 ? id : id.slice(0, slash)).trim();
}
