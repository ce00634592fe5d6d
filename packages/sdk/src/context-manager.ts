/**
 * A context manager on Node's AsyncLocalStorage, so `context.active()` follows a request across
 * `await`, timers and callbacks. It is the same design as `@opentelemetry/context-async-hooks`'
 * AsyncLocalStorageContextManager, written here to keep the SDK's dependency set to packages the
 * workspace already has; `bind` covers functions only (event emitters are returned unchanged).
 */
import { ROOT_CONTEXT, type Context, type ContextManager } from '@opentelemetry/api';
import { AsyncLocalStorage } from 'node:async_hooks';

export class AsyncLocalStorageContextManager implements ContextManager {
  readonly #storage = new AsyncLocalStorage<Context>();

  active(): Context {
    return this.#storage.getStore() ?? ROOT_CONTEXT;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    const callback = thisArg === undefined ? fn : (fn.bind(thisArg) as F);
    // No spread when there are no arguments: the common case on every span's hot path.
    return args.length === 0 ? this.#storage.run(context, callback) : this.#storage.run(context, callback, ...args);
  }

  bind<T>(context: Context, target: T): T {
    if (typeof target !== 'function') return target;
    const fn = target as (...args: unknown[]) => unknown;
    const storage = this.#storage;
    const bound = function (this: unknown, ...args: unknown[]): unknown {
      return storage.run(context, () => fn.apply(this, args));
    };
    return bound as T;
  }

  enable(): this {
    return this;
  }

  disable(): this {
    this.#storage.disable();
    return this;
  }
}
