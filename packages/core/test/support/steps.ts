import { createGame, createGraph, createPlacementModel, Rng, type GameModel, type Graph, type PlacementModel } from '@emplace/core';

/**
 * Shared pieces of the packages' "in steps" tests (issue 13): inputs big enough that a
 * solver passes many checkpoints, and aborts that land after a counted number of
 * event-loop turns (never a timer), so a test reaches the same phase on any machine.
 */

/** `n` random points in the plane (seeded); costs are rounded Euclidean distances, sites are the clients. */
export function euclideanModel(n: number, seed: number): PlacementModel {
  const r = new Rng(seed);
  const x = Float64Array.from({ length: n }, () => r.next() * 1000);
  const y = Float64Array.from({ length: n }, () => r.next() * 1000);
  const cost = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) cost[i * n + j] = Math.round(Math.hypot(x[i]! - x[j]!, y[i]! - y[j]!));
  return createPlacementModel({ sites: n, clients: n, cost });
}

/** A side x side grid graph (node a * side + b), each edge weighted by `weight(rng)` in row-major order. */
export function weightedGrid(side: number, rng: Rng, weight: (r: Rng) => number): Graph {
  const u: number[] = [];
  const v: number[] = [];
  const w: number[] = [];
  for (let a = 0; a < side; a++) {
    for (let b = 0; b < side; b++) {
      const id = a * side + b;
      if (b + 1 < side) u.push(id), v.push(id + 1), w.push(weight(rng));
      if (a + 1 < side) u.push(id), v.push(id + side), w.push(weight(rng));
    }
  }
  return createGraph({ n: side * side, edges: { u, v, w } });
}

/** A game of n players whose value is |S|^2 + (mask mod 7): every coalition differs, so an LP per coalition has no shortcut. */
export const popcountGame = (n: number): GameModel =>
  createGame({
    players: n,
    value: {
      mask: (m: number) => {
        let c = 0;
        for (let r = m; r; r &= r - 1) c++;
        return c * c + (m % 7);
      },
    },
  });

/** Starts `run` with a signal and aborts it after `turns` turns of the event loop (setImmediate). */
export function abortAfterTurns<T>(turns: number, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ctl = new AbortController();
  const pending = run(ctl.signal);
  let left = turns;
  const turn = (): void => {
    if (--left <= 0) ctl.abort();
    else setImmediate(turn);
  };
  setImmediate(turn);
  return pending;
}

/**
 * A signal that reads as aborted from its `after`-th read of `aborted` on (never, for
 * Infinity): solvers poll it only at their checkpoints, so the abort lands at a counted
 * checkpoint, the same on any machine. Listeners are accepted and never called.
 */
export function abortAtRead(after: number): { signal: AbortSignal; reads: () => number; fired: () => boolean } {
  let reads = 0;
  const signal = {
    get aborted() {
      return ++reads >= after;
    },
    addEventListener() {},
    removeEventListener() {},
  } as unknown as AbortSignal;
  return { signal, reads: () => reads, fired: () => reads >= after };
}

/** Runs a steps generator to its end without an event loop: its return value and how many times it paused. */
export function drainSteps<T>(steps: Iterator<unknown, T>): { value: T; pauses: number } {
  let pauses = 0;
  let r = steps.next();
  while (!r.done) {
    pauses++;
    r = steps.next();
  }
  return { value: r.value, pauses };
}
