import type { ProgressEvent, SolveRun } from '@emplace/core';
import type { Incumbent } from './branch-and-bound.js';

/**
 * Bookkeeping shared by the depth-first Lagrangian searches (sites: branch-and-bound.ts,
 * single source: single-source.ts): the incumbent, the open nodes, the least bound of the
 * closed ones, and the proven global bound = min(closed, open, current node, incumbent).
 */
export abstract class SearchState<N extends { lb: number }> {
  protected incumbent: Incumbent | null;
  protected readonly stack: N[] = [];
  protected current: N | null = null;
  protected currentLb = -Infinity;
  protected closedMin = Infinity;
  protected nodes = 0;
  protected iterations = 0;
  protected fixedAtRoot = 0;

  constructor(
    protected readonly run: SolveRun,
    start: Incumbent | null,
    /** Every feasible objective is a multiple of this (0 = none). */
    private readonly granule: number,
    private readonly phase: string,
    private readonly report: ((inc: Incumbent) => void) | undefined,
  ) {
    this.incumbent = start;
  }

  protected ub(): number {
    return this.incumbent ? this.incumbent.value : Infinity;
  }

  /** Half the relative tolerance of the incumbent, in objective units. */
  protected tolAbs(): number {
    return Math.max(1e-12, 0.5 * this.run.tolerance * Math.max(1, Math.abs(this.ub())));
  }

  /** Node bounds at or above this prune. */
  protected limit(): number {
    return this.ub() - this.tolAbs();
  }

  /** A node bound rounded up to the objective granule (valid: no feasible value lies in between). */
  protected nb(L: number): number {
    if (!(this.granule > 0) || !Number.isFinite(L)) return L;
    return Math.ceil(L / this.granule - 1e-6) * this.granule;
  }

  protected offer(cand: Incumbent | null): void {
    if (cand && cand.value < this.ub() - 1e-12 * Math.max(1, Math.abs(cand.value))) {
      this.incumbent = cand;
      this.report?.(cand);
      this.progress({ phase: this.phase, incumbent: cand.value, bound: this.globalBound() }, true);
    }
  }

  /** True when the searched problem relaxes the caller's: its plans are then not reported as progress incumbents. */
  protected relaxation(): boolean {
    return false;
  }

  /** The search's progress events: the incumbent left out where the searched problem is a relaxation (its plans are not the caller's). */
  protected progress(event: Omit<ProgressEvent, 'method' | 'elapsedMs'>, force = false): void {
    if (this.relaxation()) {
      const { incumbent: _plan, ...rest } = event;
      this.run.progress(rest, force);
    } else this.run.progress(event, force);
  }

  /** Bound of nodes held outside the stack (e.g. left unresolved); Infinity when none. */
  protected heldBound(): number {
    return Infinity;
  }

  protected globalBound(): number {
    let b = Math.min(this.closedMin, this.heldBound());
    for (const n of this.stack) if (n.lb < b) b = n.lb;
    if (this.current && this.currentLb < b) b = this.currentLb;
    return Math.min(b, this.ub());
  }

  /** Records a closed node's bound. */
  protected closeAt(bound: number): void {
    if (bound < this.closedMin) this.closedMin = bound;
  }
}
