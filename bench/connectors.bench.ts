/**
 * Connector throughput: ~1M synthetic ML spans (gateway CLIENT → model SERVER pairs plus inference
 * phase spans, ml.model.* attributes, 3 models × 4 versions × 4 replicas) through `spanmetrics` and
 * `servicegraph`, one core, batches of 1000 spans as a receiver hands them on. Prints spans/s.
 *
 *   node --import tsx bench/connectors.bench.ts [spans=1000000]
 */
import type { Attributes } from '../packages/server/src/model/attributes.ts';
import { newAttributes } from '../packages/server/src/model/attributes.ts';
import type { MetricPoint } from '../packages/server/src/model/metric-point.ts';
import type { Resource, Scope } from '../packages/server/src/model/resource.ts';
import type { Span, SpanKind } from '../packages/server/src/model/span.ts';
import type { ComponentContext, Consumer } from '../packages/server/src/pipeline/graph/component.ts';
import { createServiceGraphConnector } from '../packages/server/src/pipeline/connectors/servicegraph/servicegraph-connector.ts';
import { createSpanMetricsConnector } from '../packages/server/src/pipeline/connectors/spanmetrics/spanmetrics-connector.ts';

const SPAN_COUNT = Number(process.argv[2] ?? 1_000_000);
const BATCH = 1000;
const MODELS = ['fraud-detector', 'ranker', 'embedder'];
const PHASES = ['inference.preprocess', 'inference.forward_pass', 'inference.postprocess'];
const SCOPE: Scope = {
  name: 'bench',
  version: '1',
  attributes: newAttributes(),
  droppedAttributesCount: 0,
  schemaUrl: '',
};

function attributes(entries: Record<string, string | bigint | number | boolean>): Attributes {
  return Object.assign(newAttributes(), entries);
}

function resourceOf(service: string, replica: number): Resource {
  const attrs = attributes({
    'service.name': service,
    'service.instance.id': `${service}-${replica}`,
    'host.name': `gpu-${replica}`,
  });
  return { attributes: attrs, droppedAttributesCount: 0, schemaUrl: '', serviceName: service };
}

function span(
  traceId: string,
  spanId: string,
  parent: string,
  name: string,
  kind: SpanKind,
  res: Resource,
  attrs: Attributes,
  durationNanos: bigint,
): Span {
  const start = 1_760_000_000_000_000_000n;
  return {
    traceId,
    spanId,
    parentSpanId: parent,
    traceState: '',
    flags: 1,
    name,
    kind,
    startTimeUnixNano: start,
    endTimeUnixNano: start + durationNanos,
    attributes: attrs,
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    statusCode: durationNanos % 50n === 0n ? 2 : 0,
    statusMessage: '',
    resource: res,
    scope: SCOPE,
  };
}

/** Batches of 5-span traces; resources are shared per batch, as a decoded OTLP request shares them. */
function makeBatches(): Span[][] {
  const batches: Span[][] = [];
  let n = 0;
  while (n < SPAN_COUNT) {
    const replica = batches.length % 4;
    const gateway = resourceOf('gateway', replica);
    const models = MODELS.map((m) => resourceOf(`${m}-server`, replica));
    const batch: Span[] = [];
    while (batch.length < BATCH) {
      const t = (n + batch.length).toString(16).padStart(32, '0');
      const model = (n + batch.length) % MODELS.length;
      const ml = attributes({
        'ml.model.name': MODELS[model] ?? '',
        'ml.model.version': `v${(n + batch.length) % 4}`,
        'ml.request.batch_size': 8n,
      });
      const duration = BigInt(1 + ((n + batch.length) % 997)) * 100_000n;
      const res = models[model] ?? gateway;
      batch.push(
        span(
          t,
          t.slice(16, 31) + '1',
          '',
          'POST /predict',
          3,
          gateway,
          attributes({ 'http.route': '/predict' }),
          duration * 2n,
        ),
      );
      batch.push(span(t, t.slice(0, 15) + '2', t.slice(16, 31) + '1', 'predict', 2, res, ml, duration));
      PHASES.forEach((phase, i) =>
        batch.push(
          span(t, t.slice(0, 15) + String(3 + i), t.slice(0, 15) + '2', phase, 1, res, ml, duration / 3n),
        ),
      );
    }
    n += batch.length;
    batches.push(batch);
  }
  return batches;
}

function context(): ComponentContext {
  return {
    id: 'bench',
    log: () => undefined,
    nowMs: () => 1_760_000_000_000,
    scheduler: { every: () => () => undefined },
    dataDir: '',
    storageDirectory: () => '',
  };
}

async function measure(
  name: string,
  create: (emit: Consumer<'metrics'>) => Consumer<'traces'> & { flush(nowMs: number): Promise<void> },
  batches: Span[][],
): Promise<void> {
  let points = 0;
  const emit: Consumer<'metrics'> = {
    consume: (p: MetricPoint[]) => Promise.resolve(void (points += p.length)),
  };
  const connector = create(emit);
  await connector.consume(batches[0] ?? []); // warm-up batch
  const started = performance.now();
  let spans = 0;
  for (const batch of batches) {
    await connector.consume(batch);
    spans += batch.length;
  }
  await connector.flush(1_760_000_060_000);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${name}: ${spans} spans in ${seconds.toFixed(2)} s = ${Math.round(spans / seconds)} spans/s (${points} points at flush)`,
  );
}

async function main(): Promise<void> {
  const batches = makeBatches();
  const ctx = context();
  await measure('spanmetrics', (emit) => createSpanMetricsConnector({}, emit, ctx), batches);
  await measure(
    'spanmetrics (exemplars on)',
    (emit) => createSpanMetricsConnector({ exemplars: { enabled: true } }, emit, ctx),
    batches,
  );
  await measure(
    'servicegraph',
    (emit) => createServiceGraphConnector({ store: { max_items: 100_000 } }, emit, ctx),
    batches,
  );
}

await main();
