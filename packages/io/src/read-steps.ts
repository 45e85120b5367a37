import { EmplaceError, SolveRun, runSteps, type Steps } from '@emplace/core';

/** A reader stopped by its signal (the caller asked for it: not a malformed file). */
export class ReadAbortedError extends EmplaceError {}

/** Options of the async readers: the signal that stops them. */
export interface AsyncReadOptions {
  /** Aborting it stops the reader at its next checkpoint with a ReadAbortedError. */
  signal?: AbortSignal | undefined;
}

/**
 * Every reader is written once as steps (a generator that yields every few thousand lines
 * or values, well under a millisecond of work); the sync API runs them straight through.
 */
export const readSync: <T>(steps: Steps<T>) => T = runSteps;

/**
 * Runs a reader's steps giving the event loop a turn at most every 10 ms (core's SolveRun
 * tick), so timers and signal handlers run during a long parse; throws a ReadAbortedError
 * naming `what` at the first checkpoint after `signal` aborts.
 */
export async function readAsync<T>(steps: Steps<T>, what: string, options: AsyncReadOptions = {}): Promise<T> {
  const signal = options.signal;
  if (signal?.aborted) throw new ReadAbortedError(`reading ${what} was aborted`);
  const run = new SolveRun(signal !== undefined ? { signal } : {}, `io:${what}`, 'min');
  let r = steps.next();
  while (!r.done) {
    if (await run.tick()) {
      steps.return(undefined as T);
      throw new ReadAbortedError(`reading ${what} was aborted`);
    }
    r = steps.next();
  }
  return r.value;
}
