import type { PromFamilyMetadata, PromMetadata, PromMetricType } from '../../../model/prom-series.ts';

/**
 * Metric family metadata (type, help, unit) in the worker: each distinct entry is stored once in
 * `prom_metadata` and kept here for /api/v1/metadata. A family can have several entries, as in
 * Prometheus when targets disagree.
 */
export class MetadataRegistry {
  private readonly byFamily = new Map<string, Map<string, PromMetadata>>();

  private static key(entry: PromFamilyMetadata): string {
    return JSON.stringify([entry.metricFamily, entry.type, entry.help, entry.unit]);
  }

  /** The entries not stored yet, each once. */
  unseen(entries: readonly PromFamilyMetadata[]): PromFamilyMetadata[] {
    const fresh = new Map<string, PromFamilyMetadata>();
    for (const entry of entries) {
      const key = MetadataRegistry.key(entry);
      if (!this.byFamily.get(entry.metricFamily)?.has(key)) fresh.set(key, entry);
    }
    return [...fresh.values()];
  }

  add(entries: readonly PromFamilyMetadata[]): void {
    for (const entry of entries) {
      let family = this.byFamily.get(entry.metricFamily);
      if (!family) {
        family = new Map();
        this.byFamily.set(entry.metricFamily, family);
      }
      family.set(MetadataRegistry.key(entry), { type: entry.type, help: entry.help, unit: entry.unit });
    }
  }

  /** Rows of `SELECT metric_family, type, help, unit FROM prom_metadata`. */
  load(rows: readonly unknown[][]): void {
    const text = (value: unknown): string => (typeof value === 'string' ? value : '');
    this.add(
      rows.map(([metricFamily, type, help, unit]) => ({
        metricFamily: text(metricFamily),
        type: text(type) as PromMetricType,
        help: text(help),
        unit: text(unit),
      })),
    );
  }

  /** Families sorted by name, at most `limit` of them; only `metric` when given. */
  families(metric: string | undefined, limit: number): [string, PromMetadata[]][] {
    const names =
      metric === undefined ? [...this.byFamily.keys()].sort() : this.byFamily.has(metric) ? [metric] : [];
    return names
      .slice(0, Math.max(0, limit))
      .map((name) => [name, [...(this.byFamily.get(name)?.values() ?? [])]]);
  }
}
