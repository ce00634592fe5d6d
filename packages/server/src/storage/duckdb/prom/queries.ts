import type {
  PromLabels,
  PromMetadata,
  PromSeriesSamples,
  SeriesMatcher,
} from '../../../model/prom-series.ts';
import { compilePromRegex } from '../../../model/prom-series.ts';
import type { CardinalityStatus, SeriesSelectors } from '../../store.ts';
import type { PromRead, SelectedSeries } from './protocol.ts';
import type { HeadStatus } from './series-store.ts';
import { forEachSelected } from './protocol.ts';
import type { WorkerClient } from '../worker-client.ts';

/** The worker's head and sample WAL status (series-store.ts HeadStatus). */
export async function readHeadStatus(client: WorkerClient): Promise<HeadStatus> {
  return (await client.promRead({ op: 'head-status' })) as HeadStatus;
}

function labelsFromFlat(flat: readonly string[]): PromLabels {
  const labels = new Map<string, string>();
  for (let i = 0; i < flat.length; i += 2) labels.set(flat[i] ?? '', flat[i + 1] ?? '');
  return labels;
}

/** Throws the SyntaxError of an invalid regex here, with its position, rather than in the worker. */
function checkMatchers(matchers: readonly SeriesMatcher[]): SeriesMatcher[] {
  for (const matcher of matchers)
    if (matcher.type === '=~' || matcher.type === '!~') compilePromRegex(matcher.value);
  return matchers.map(({ name, type, value }) => ({ name, type, value }));
}

function checkSelectors(selectors: SeriesSelectors): SeriesMatcher[][] {
  return selectors.map(checkMatchers);
}

/**
 * The main thread's side of the Prometheus reads: requests to the worker's series state and the
 * unpacking of selected series into per-series views of the two transferred arrays.
 */
export class PromQueries {
  /** Labels by series ref, as the worker sent them in `labelEpoch` (it sends each ref's once per epoch). */
  private readonly labelsByRef = new Map<number, PromLabels>();
  private labelEpoch = 0;

  constructor(private readonly client: WorkerClient) {}

  /**
   * Series with their samples. Samples still in the worker's head are views of its shared
   * memory, not copies: they never change, and callers must not write to them.
   */
  async selectSeries(
    matchers: readonly SeriesMatcher[],
    minTimeMs: number,
    maxTimeMs: number,
  ): Promise<PromSeriesSamples[]> {
    const read: PromRead = { op: 'select', matchers: checkMatchers(matchers), minTimeMs, maxTimeMs };
    const selected = (await this.client.promRead(read)) as SelectedSeries;
    // Synchronously after the reply, so replies update the cache in the order the worker sent them.
    if (selected.labelEpoch !== this.labelEpoch) {
      this.labelsByRef.clear();
      this.labelEpoch = selected.labelEpoch ?? 0;
    }
    const series: PromSeriesSamples[] = [];
    forEachSelected(selected, (i, timestampsMs, values) => {
      const ref = selected.refs[i] ?? 0;
      let labels = this.labelsByRef.get(ref);
      const flat = selected.labels[i];
      if (flat) {
        labels = labelsFromFlat(flat);
        this.labelsByRef.set(ref, labels);
      }
      if (labels) series.push({ labels, timestampsMs, values });
    });
    return series;
  }

  async findSeries(
    selectors: SeriesSelectors,
    minTimeMs: number,
    maxTimeMs: number,
    limit: number,
  ): Promise<PromLabels[]> {
    const read: PromRead = {
      op: 'find-series',
      selectors: checkSelectors(selectors),
      minTimeMs,
      maxTimeMs,
      limit,
    };
    return ((await this.client.promRead(read)) as string[][]).map(labelsFromFlat);
  }

  async labelNames(
    selectors: SeriesSelectors,
    minTimeMs: number,
    maxTimeMs: number,
    limit: number,
  ): Promise<string[]> {
    const read: PromRead = {
      op: 'label-names',
      selectors: checkSelectors(selectors),
      minTimeMs,
      maxTimeMs,
      limit,
    };
    return (await this.client.promRead(read)) as string[];
  }

  async labelValues(
    name: string,
    selectors: SeriesSelectors,
    minTimeMs: number,
    maxTimeMs: number,
    limit: number,
  ): Promise<string[]> {
    const read: PromRead = {
      op: 'label-values',
      name,
      selectors: checkSelectors(selectors),
      minTimeMs,
      maxTimeMs,
      limit,
    };
    return (await this.client.promRead(read)) as string[];
  }

  /** Samples in the head (not yet compacted) and the sample WAL's size. */
  headStatus(): Promise<HeadStatus> {
    return readHeadStatus(this.client);
  }

  async cardinality(limit: number): Promise<CardinalityStatus> {
    return (await this.client.promRead({ op: 'cardinality', limit })) as CardinalityStatus;
  }

  async metricMetadata(metric: string | undefined, limit: number): Promise<Map<string, PromMetadata[]>> {
    const families = (await this.client.promRead({ op: 'metadata', metric, limit })) as [
      string,
      PromMetadata[],
    ][];
    return new Map(families);
  }
}
