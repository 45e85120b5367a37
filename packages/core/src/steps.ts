import type { SolveRun } from './run.js';

/**
 * A computation written once as a generator that `yield`s at its checkpoints (an outer
 * loop turn, a phase boundary), driven either synchronously (the sync public API, which
 * must not change) or asynchronously (the registry's `solve`, which yields to the event
 * loop through `run.tick()` so that a timer-fired abort is seen in-thread).
 */
export type Steps<T> = Generator<void, T, void>;

/** Runs the steps to the end without yielding to the event loop. */
export function runSteps<T>(steps: Steps<T>): T {
  let r = steps.next();
  while (!r.done) r = steps.next();
  return r.value;
}

/** Runs the steps, giving the event loop a turn (via run.tick(), at most every 10 ms) at each checkpoint. */
export async function runStepsAsync<T>(steps: Steps<T>, run: SolveRun): Promise<T> {
  let r = steps.next();
  while (!r.done) {
    await run.tick();
    r = steps.next();
  }
  return r.value;
}

/**
 * Runs setup steps whose result is worthless once the run has stopped (a table the search
 * would have used): at the first checkpoint after a stop the generator is abandoned and
 * `undefined` returned, instead of finishing the setup in one stretch without yielding
 * (`run.tick()` no longer yields once the run has stopped).
 */
export async function runStepsUnlessStopped<T>(steps: Steps<T>, run: SolveRun): Promise<T | undefined> {
  let r = steps.next();
  while (!r.done) {
    await run.tick();
    if (run.shouldStop()) return undefined;
    r = steps.next();
  }
  return r.value;
}
