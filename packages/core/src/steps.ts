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
 * Runs setup steps whose result is worth little once the run has stopped (a table the search
 * would have used): once the run has stopped they go on for at most `graceMs` (a setup nearly
 * done is finished, so that the cheap plan after it can be returned), then the generator is
 * abandoned at its next checkpoint and `undefined` returned, instead of finishing the setup
 * however long it takes.
 */
export async function runStepsUnlessStopped<T>(steps: Steps<T>, run: SolveRun, graceMs = 0): Promise<T | undefined> {
  let stoppedAt = -1;
  let r = steps.next();
  while (!r.done) {
    await run.tick();
    if (run.shouldStop()) {
      const now = performance.now();
      if (stoppedAt < 0) stoppedAt = now;
      if (now - stoppedAt >= graceMs) return undefined;
    }
    r = steps.next();
  }
  return r.value;
}

/**
 * Steps delegated to (`yield*`) until the run stops: their checkpoints are the caller's, and
 * at the first checkpoint after `stop()` they are abandoned and `undefined` returned (the
 * generator form of runStepsUnlessStopped, for steps driven inside other steps).
 */
export function* stepsUnlessStopped<T>(steps: Steps<T>, stop: () => boolean): Steps<T | undefined> {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (stop()) return undefined;
    yield;
  }
}
