import type { Rng } from '@emplace/core';
import type { Incumbent } from './branch-and-bound.js';

/** Plans kept (the best distinct open sets). */
const ELITE_SIZE = 12;
/** Plans more than this fraction above the best one offered are not kept. */
const ELITE_WINDOW = 0.01;

/**
 * A pool of good single-source plans with distinct open sets: the Lagrangian repairs of the
 * branch-and-bound nodes, the iterated local search and the regions all offer theirs. Two
 * good plans mostly agree; the sites where they differ are the undecided ones, and an exact
 * re-optimisation of those sites together (a merge, as in path relinking or
 * construct-merge-solve) can combine the best of both, which neither plan's neighbourhood holds.
 */
export class SingleSourceElitePool {
  private readonly plans: { open: Uint8Array; value: number; key: string }[] = [];
  private best = Infinity;

  /** Keeps `inc` when it is within ELITE_WINDOW of the best plan and its open set is new (or it improves that set's value). */
  add(inc: Incumbent | null): void {
    if (!inc) return;
    if (inc.value < this.best) this.best = inc.value;
    if (inc.value > this.best * (1 + ELITE_WINDOW)) return;
    const key = openKey(inc.solution.open);
    const same = this.plans.find((p) => p.key === key);
    if (same) {
      if (inc.value < same.value) same.value = inc.value;
    } else this.plans.push({ open: Uint8Array.from(inc.solution.open), value: inc.value, key });
    this.plans.sort((a, b) => a.value - b.value || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    while (this.plans.length > ELITE_SIZE || (this.plans.length > 0 && this.plans[this.plans.length - 1]!.value > this.best * (1 + ELITE_WINDOW))) this.plans.pop();
  }

  /** A random kept open set other than `open` (seeded: replays), or null when there is none. */
  pick(open: Uint8Array, rng: Rng): Uint8Array | null {
    const key = openKey(open);
    const others = this.plans.filter((p) => p.key !== key);
    if (others.length === 0) return null;
    return others[rng.int(others.length)]!.open;
  }

  get size(): number {
    return this.plans.length;
  }
}

function openKey(open: Uint8Array): string {
  let s = '';
  for (let i = 0; i < open.length; i++) if (open[i]) s += `${i},`;
  return s;
}
