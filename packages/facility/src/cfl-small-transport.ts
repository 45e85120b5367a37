import { TransportKernel } from './kernels/transport-kernel.js';
import type { FacilityProblem } from './problem.js';
import { SiteTransport, unitCostsByClient } from './transportation.js';

/**
 * The transportation problem of split-demand CFL for a fixed open set, for the small exact
 * search (cfl-small.ts): the successive-shortest-path core of transportation.ts plus an early
 * exit, since most sets the search prices only have to be compared with the incumbent.
 *
 * Why the early exit is valid: with a super source feeding the overloaded sites, successive
 * shortest paths keep the flow of least cost among those with the same excesses, and the
 * unit cost of the shortest augmenting path never decreases from one augmentation to the
 * next (the first one is >= 0: every client starts at its cheapest site). So after an
 * augmentation whose path costs p per unit, the optimum is at least the current cost plus p
 * times the excess still to move; once that reaches the threshold the set cannot beat it.
 */
export class SmallTransport extends SiteTransport {
  /** Solves started and solves cut short by the threshold. */
  solves = 0;
  earlyExits = 0;

  /** The WebAssembly start / excess / augment (kernels/transport-kernel.ts), null where it cannot run. */
  private readonly kernel: TransportKernel | null;

  constructor(pr: FacilityProblem) {
    // The kernel computes the unit costs in its own memory (a fresh process would run the S x C
    // loop of unitCostsByClient interpreted).
    const kernel = TransportKernel.create(pr);
    super(pr, kernel ? kernel.views.uT : unitCostsByClient(pr), kernel?.views);
    this.kernel = kernel;
  }

  protected override start(open: Uint8Array): number {
    if (!this.kernel) return super.start(open);
    this.interrupted = false;
    const { cost, nOpen } = this.kernel.start(open, this.eps);
    this.nOpen = nOpen;
    return cost;
  }

  /**
   * The serving cost of the open set (opening costs not included): the optimum, or, when the
   * optimum is proven at or above `threshold`, a lower bound at or above it (then `flows`
   * must not be read); Infinity when the open sites cannot serve every client; NaN when
   * `stop` interrupted the solve (the set is then not known either way).
   */
  solve(open: Uint8Array, threshold: number): number {
    this.solves++;
    let cost = this.start(open);
    if (cost === Infinity) return Infinity;
    const margin = 1e-9 * Math.max(1, Math.abs(threshold));
    if (this.kernel) return this.finishByKernel(this.kernel, threshold, margin);
    let excess = this.excess();
    while (excess > 0) {
      if (this.stop()) {
        this.interrupted = true;
        return Number.NaN;
      }
      const moved = this.augment();
      if (moved < 0) return Infinity;
      cost += moved * this.pathCost;
      excess = this.excess();
      const bound = cost + excess * this.pathCost;
      if (bound >= threshold + margin) {
        this.earlyExits++;
        return bound;
      }
    }
    return cost;
  }

  /**
   * The loop of solve in WebAssembly (assembly/transport.ts solveRun: the same paths and values),
   * `stop` polled before the first path and then every STOP_CHECK_PATHS paths.
   */
  private finishByKernel(kernel: TransportKernel, threshold: number, margin: number): number {
    const loop = kernel.loop;
    let due = loop.solveRun(threshold, margin, 0);
    while (due) {
      if (this.stop()) {
        this.interrupted = true;
        return Number.NaN;
      }
      due = loop.solveRun(threshold, margin, STOP_CHECK_PATHS);
      this.augmentations += loop.runPaths();
    }
    this.pathCost = kernel.pathCost();
    if (loop.runExitedEarly()) this.earlyExits++;
    return loop.runOutcome();
  }
}

/** Augmenting paths between two stop checks of the WebAssembly loop (a few us each at these sizes). */
const STOP_CHECK_PATHS = 32;
