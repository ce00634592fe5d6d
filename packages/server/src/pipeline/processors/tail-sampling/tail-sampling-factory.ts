import type { Signal } from '../../../model/signal.ts';
import type { ComponentContext, Consumer, ProcessorFactory, ProcessorInstance } from '../../graph/component.ts';
import { SettingsError } from '../../graph/component.ts';
import { TailSamplingProcessor } from './tail-sampling-processor.ts';
import { parseTailSamplingSettings } from './tail-sampling-settings.ts';

/**
 * The `tail_sampling` processor type (contrib processor/tailsamplingprocessor), traces only.
 * Settings problems surface as SettingsError with their key path; notes on settings upstream
 * accepts but ignores go to `context.log`.
 *
 * @example
 * const processor = tailSamplingFactory.create('traces', { decision_wait: '10s', policies }, next, context);
 */
export const tailSamplingFactory: ProcessorFactory = {
  type: 'tail_sampling',
  signals: ['traces'],
  create<S extends Signal>(signal: S, settings: unknown, next: Consumer<S>, context: ComponentContext): ProcessorInstance<S> {
    const parsed = parseTailSamplingSettings(settings, (line) => context.log(line));
    if (!isTracesConsumer(signal, next)) throw new SettingsError('tail_sampling processes traces only');
    // S is 'traces' here; TypeScript cannot narrow a type parameter from a value check.
    return new TailSamplingProcessor(parsed, next, context) as unknown as ProcessorInstance<S>;
  },
};

function isTracesConsumer(signal: Signal, _next: Consumer<Signal>): _next is Consumer<'traces'> {
  return signal === 'traces';
}
