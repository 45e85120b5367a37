/**
 * A WebAssembly runtime loaded on first use and shared by later solves. A failed load
 * does not poison later calls, and `reset()` drops the runtime (after a crash, or when
 * the load location changes) so the next `get()` loads a fresh one.
 */
export interface RuntimeCache<T> {
  get(): Promise<T>;
  reset(): void;
}

export function runtimeCache<T>(load: () => Promise<T>): RuntimeCache<T> {
  let runtime: Promise<T> | undefined;
  return {
    get(): Promise<T> {
      if (runtime === undefined) {
        const loading = load();
        runtime = loading;
        loading.catch(() => {
          if (runtime === loading) runtime = undefined;
        });
      }
      return runtime;
    },
    reset(): void {
      runtime = undefined;
    },
  };
}

/** The message of anything thrown. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
