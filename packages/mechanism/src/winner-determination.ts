import { BackendError, ModelError, type MarketModel, type StoppedBy } from '@emplace/core';
import { LinearModel, solveLp, type BackendName, type LpResult } from '@emplace/lp';

export interface WinnerDetermination {
  status: 'optimal' | 'feasible' | 'no-solution';
  /** 1 for each winning bid (index into market.bids). */
  wins: Uint8Array;
  /** Sum of the winning bids' amounts, recomputed from `wins`. */
  welfare: number;
  /** Proven upper bound on the optimal welfare. */
  bound: number;
  stoppedBy: StoppedBy;
  elapsedMs: number;
}

export interface WdpOptions {
  /** Bidder whose bids are left out (Clarke pivot), -1 for none. */
  exclude?: number;
  /** Feasible allocation to start from (1 per winning bid). */
  warmStart?: Uint8Array;
  backend?: BackendName;
  /** A known upper bound on the optimal welfare (e.g. W for W(-i)), added as a cut. */
  welfareCap?: number;
  timeLimitMs?: number;
  signal?: AbortSignal;
}

/**
 * Exact winner determination of a combinatorial auction as a 0-1 programme through
 * @emplace/lp: max sum_b a_b x_b s.t. sum_{b containing j} units_bj x_b <= supply_j per
 * item, sum_{b of i} x_b <= 1 per XOR bidder i, x binary. Bids that cannot fit alone
 * and zero bids are left out of the model.
 */
export async function winnerDetermination(market: MarketModel, options: WdpOptions = {}): Promise<WinnerDetermination> {
  const started = performance.now();
  const scale = amountScale(market);
  const { lp, bidOf } = wdpModel(market, options, scale);
  const wins = new Uint8Array(market.bids.length);
  if (bidOf.length === 0) {
    return { status: 'optimal', wins, welfare: 0, bound: 0, stoppedBy: 'converged', elapsedMs: performance.now() - started };
  }
  let warm: Float64Array | undefined;
  if (options.warmStart) {
    warm = new Float64Array(bidOf.length);
    for (let c = 0; c < bidOf.length; c++) warm[c] = options.warmStart[bidOf[c]!]! ? 1 : 0;
  }
  const sol = await solveLp(lp, {
    ...(options.backend ? { backend: options.backend } : {}),
    ...(options.timeLimitMs !== undefined && Number.isFinite(options.timeLimitMs) ? { timeLimitMs: options.timeLimitMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(warm ? { warmStart: warm } : {}),
    mipRelGap: 1e-9,
  });
  return readAllocation(market, sol, bidOf, scale, started);
}

/**
 * The backend sees the amounts scaled by a power of two (exact) so that the largest is
 * about 2^20: HiGHS treats costs >= 1e20 as infinite and fails or gives up on 1e15
 * ones, which made huge bids come back as 'no-solution' with nothing stopping the run.
 * Welfare and bounds are scaled back; the welfare is recomputed from the raw amounts.
 */
function amountScale(market: MarketModel): number {
  let maxAmount = 0;
  let total = 0;
  for (const b of market.bids) {
    if (b.amount > maxAmount) maxAmount = b.amount;
    total += b.amount;
  }
  if (!Number.isFinite(total)) {
    throw new ModelError('bids', `the amounts sum to more than ${Number.MAX_VALUE.toExponential(3)} (largest ${maxAmount.toExponential(3)}): the welfare is not representable; rescale the bids`);
  }
  return maxAmount > 0 ? 2 ** (20 - Math.ceil(Math.log2(maxAmount))) : 1;
}

/**
 * Working memory of one winner determination (bytes, estimated): the model's nonzeros
 * and columns held by the model, its compiled copy, the backend's copy and its presolved
 * and branch-and-bound working copies (about 4 copies at ~40 bytes per nonzero, ~200 per row or column).
 */
export function wdpMemoryBytes(market: MarketModel): number {
  let nnz = 0;
  for (const b of market.bids) nnz += b.items.length + 2;
  const rows = market.items.length + market.bidders.length + 1;
  return 4 * (40 * nnz + 200 * (market.bids.length + rows));
}

/** The 0-1 programme: one column per bid that fits, item supply rows, XOR rows, the welfare cap. */
function wdpModel(market: MarketModel, options: WdpOptions, scale: number): { lp: LinearModel; bidOf: number[] } {
  const exclude = options.exclude ?? -1;
  const column = new Int32Array(market.bids.length).fill(-1);
  const lp = new LinearModel('max');
  const bidOf: number[] = [];
  market.bids.forEach((b, k) => {
    if (b.bidder === exclude || !(b.amount > 0)) return;
    for (let t = 0; t < b.items.length; t++) if (b.units[t]! > market.supply[b.items[t]!]!) return;
    column[k] = lp.addVariable({ type: 'binary', obj: b.amount * scale });
    bidOf.push(k);
  });
  // Item rows (CSR gathered per item).
  const perItem: number[][] = market.items.map(() => []);
  const perItemUnits: number[][] = market.items.map(() => []);
  for (const k of bidOf) {
    const b = market.bids[k]!;
    for (let t = 0; t < b.items.length; t++) {
      perItem[b.items[t]!]!.push(column[k]!);
      perItemUnits[b.items[t]!]!.push(b.units[t]!);
    }
  }
  market.items.forEach((_, j) => {
    const cols = perItem[j]!;
    if (cols.length === 0) return;
    // A row is needed only when the bids on j could together exceed its supply.
    let demand = 0;
    for (const u of perItemUnits[j]!) demand += u;
    if (demand > market.supply[j]!) lp.addLe(cols, perItemUnits[j]!, market.supply[j]!);
  });
  const perBidder: number[][] = market.bidders.map(() => []);
  for (const k of bidOf) perBidder[market.bids[k]!.bidder]!.push(column[k]!);
  market.bidders.forEach((_, i) => {
    const cols = perBidder[i]!;
    if (market.language[i] === 'xor' && cols.length > 1) lp.addLe(cols, new Float64Array(cols.length).fill(1), 1);
  });
  if (options.welfareCap !== undefined && Number.isFinite(options.welfareCap) && bidOf.length > 0) {
    lp.addLe(Int32Array.from(bidOf, (k) => column[k]!), Float64Array.from(bidOf, (k) => market.bids[k]!.amount * scale), options.welfareCap * scale);
  }
  return { lp, bidOf };
}

/** The winning bids, their welfare (from the raw amounts) and the bound, from the backend's answer. */
function readAllocation(market: MarketModel, sol: LpResult, bidOf: readonly number[], scale: number, started: number): WinnerDetermination {
  const wins = new Uint8Array(market.bids.length);
  const backend = sol.stats.backend;
  if (sol.status === 'infeasible' || sol.status === 'unbounded') {
    throw new BackendError(backend, `winner determination reported ${sol.status} (x = 0 is always feasible)`);
  }
  const rawBound = sol.bound === undefined ? Infinity : sol.bound / scale;
  if (sol.status !== 'optimal' && sol.status !== 'feasible') {
    if (sol.stoppedBy === 'converged') {
      // x = 0 is always feasible: a backend that stops without any solution and without a limit failed.
      throw new BackendError(backend, `winner determination ended with no solution and no limit hit (status ${sol.status})`);
    }
    return { status: 'no-solution', wins, welfare: 0, bound: rawBound, stoppedBy: sol.stoppedBy, elapsedMs: performance.now() - started };
  }
  const x = sol.solution.x;
  let welfare = 0;
  for (let c = 0; c < bidOf.length; c++) {
    if (x[c]! > 0.5) {
      wins[bidOf[c]!] = 1;
      welfare += market.bids[bidOf[c]!]!.amount;
    }
  }
  const proven = sol.status === 'optimal';
  return {
    status: proven ? 'optimal' : 'feasible',
    wins,
    welfare,
    bound: proven ? welfare : Math.max(welfare, rawBound),
    stoppedBy: sol.stoppedBy,
    elapsedMs: performance.now() - started,
  };
}

/** True when the winning bids respect supply and XOR constraints. */
export function isFeasibleAllocation(market: MarketModel, wins: Uint8Array): boolean {
  const used = new Float64Array(market.items.length);
  const count = new Int32Array(market.bidders.length);
  for (let k = 0; k < market.bids.length; k++) {
    if (!wins[k]) continue;
    const b = market.bids[k]!;
    count[b.bidder]!++;
    if (market.language[b.bidder] === 'xor' && count[b.bidder]! > 1) return false;
    for (let t = 0; t < b.items.length; t++) used[b.items[t]!]! += b.units[t]!;
  }
  for (let j = 0; j < used.length; j++) if (used[j]! > market.supply[j]!) return false;
  return true;
}
