import type { AttributeValue, Attributes } from '../../../model/attributes.ts';
import type { Signal, SignalBatch } from '../../../model/signal.ts';
import { attrs } from '../../../storage/contract-fixtures.ts';
import type { ComponentContext, Consumer } from '../../graph/component.ts';
import { SettingsReader } from '../../graph/settings-reader.ts';
import { testComponentContext } from '../../graph/test-context.ts';
import { applyAttributeActions } from './apply-actions.ts';
import { parseAttributeActions } from './attribute-actions.ts';

/** Test support: runs an `actions` list (as YAML would give it) over one attribute map. */
export function runActions(actions: unknown[], input: Record<string, AttributeValue>): Attributes {
  const parsed = parseAttributeActions(SettingsReader.of({ actions }), 'actions');
  return applyAttributeActions(parsed, attrs(input));
}

/** A plain object of an attribute map, for deepEqual against an expected table row. */
export function plain(attributes: Attributes): Record<string, AttributeValue> {
  return { ...attributes };
}

/** Test support: a downstream consumer that keeps every batch it was given. */
export class RecordingConsumer<S extends Signal> implements Consumer<S> {
  readonly batches: SignalBatch[S][] = [];

  consume(records: SignalBatch[S]): Promise<void> {
    this.batches.push(records);
    return Promise.resolve();
  }

  last(): SignalBatch[S] {
    const batch = this.batches[this.batches.length - 1];
    if (!batch) throw new Error('nothing was consumed');
    return batch;
  }
}

/** Test support: a context whose log lines are kept; these processors use no clock or timers. */
export function testContext(): ComponentContext & { lines: string[] } {
  return testComponentContext({ id: 'attributes' });
}
