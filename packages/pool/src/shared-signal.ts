/**
 * An AbortSignal whose `aborted` reads a flag in shared memory. A solver running in a
 * worker blocks the worker's event loop, so an 'abort' message from the host would only
 * be seen after the solve; a shared flag is seen at the solver's next poll of
 * `signal.aborted` (SolveRun.shouldStop, HiGHS's interrupt callback), i.e. at once.
 * It is a real AbortSignal (instanceof passes, listeners work): the worker also aborts
 * the controller when the host's message arrives, for code that listens to the event.
 */
export function sharedAbortSignal(flag: Int32Array): { signal: AbortSignal; controller: AbortController } {
  const controller = new AbortController();
  const signal = controller.signal;
  const own = Object.getOwnPropertyDescriptor(AbortSignal.prototype, 'aborted')!.get!;
  Object.defineProperty(signal, 'aborted', {
    configurable: true,
    get: () => Atomics.load(flag, 0) !== 0 || (own.call(signal) as boolean),
  });
  return { signal, controller };
}
