/**
 * Partial reorthogonalisation of Lanczos (Simon 1984): an estimate of the loss of
 * orthogonality omega[k] ~ v_{j+1} . v_k from the tridiagonal coefficients alone, by the
 * recurrence the three-term relation implies in floating point,
 *
 *   beta_j w'_k = beta_k w_{k+1} + (alpha_k - alpha_j) w_k + beta_{k-1} w_{k-1} - beta_{j-1} w''_k,
 *
 * (w = the row of step j, w'' = the row of step j - 1) plus a rounding term. The new
 * vector is reorthogonalised against the whole basis only when some |omega| passes
 * sqrt(eps), and then the next one as well; in between the basis stays orthogonal to
 * sqrt(eps), which keeps the Ritz values and their residual bounds to working accuracy
 * (semiorthogonality). Full reorthogonalisation at every step costs 2 j n per step, which
 * on a 40,000-node graph with a sparse factor is ten times the two triangular solves.
 */
export class OrthogonalityEstimate {
  private prev: number[] = [];
  private cur: number[] = [1];
  private norm = 0;
  private forceNext = false;
  private lastForced = false;
  private readonly level: number;

  constructor(n: number) {
    // Orthogonality of a freshly orthogonalised vector: n rounding errors of size eps.
    this.level = Number.EPSILON * Math.sqrt(n);
  }

  /**
   * Step j done (alpha has j + 1 entries, beta the j earlier ones, b = ||r_j|| after the
   * three-term recurrence): true when v_{j+1} = r_j / b must be reorthogonalised against
   * the whole basis. After a reorthogonalisation call `orthogonalised()`.
   */
  advance(alpha: readonly number[], beta: readonly number[], b: number): boolean {
    const j = alpha.length - 1;
    const aj = alpha[j]!;
    this.norm = Math.max(this.norm, Math.abs(aj) + b + (j > 0 ? beta[j - 1]! : 0));
    const { prev, cur } = this;
    const next = new Array<number>(j + 2);
    const noise = Number.EPSILON * this.norm;
    const bPrev = j > 0 ? beta[j - 1]! : 0;
    let worst = 0;
    for (let k = 0; k < j; k++) {
      let t = beta[k]! * cur[k + 1]! + (alpha[k]! - aj) * cur[k]! - bPrev * prev[k]!;
      if (k > 0) t += beta[k - 1]! * cur[k - 1]!;
      const x = (t + (t >= 0 ? noise : -noise)) / b;
      next[k] = x;
      if (Math.abs(x) > worst) worst = Math.abs(x);
    }
    next[j] = this.level;
    next[j + 1] = 1;
    this.prev = cur;
    this.cur = next;
    this.lastForced = this.forceNext;
    this.forceNext = false;
    return this.lastForced || !(worst <= Math.sqrt(Number.EPSILON));
  }

  /** The newest vector was orthogonalised against the whole basis; unless that was the forced second one, the next will be too. */
  orthogonalised(): void {
    const cur = this.cur;
    for (let k = 0; k < cur.length - 1; k++) cur[k] = this.level;
    this.forceNext = !this.lastForced;
  }
}
