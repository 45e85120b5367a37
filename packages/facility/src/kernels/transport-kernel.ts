import type { FacilityProblem } from '../problem.js';
import { TRANSPORT_WASM } from './transport-wasm.js';
import { compileInBackground, instantiateKernel, type KernelInstance } from './wasm.js';

compileInBackground([TRANSPORT_WASM]);

/**
 * The transportation's successive shortest paths (transportation.ts SiteTransport: start,
 * excess, augment) as WebAssembly (assembly/transport.ts; the same arithmetic in the same
 * order: equal values bit for bit), for the small exact search's transportations
 * (cfl-small-transport.ts), which in a fresh process otherwise run interpreted. The arrays live in
 * the instance's memory (see wasm.ts); SiteTransport keeps views over them (`views`), so that
 * its TypeScript readers (flows, clientMultipliers) see the kernel's state.
 */

/** Header slots, in the order of assembly/transport.ts's H_* byte offsets (4 bytes each). */
const HEADER = ['S', 'C', 'uT', 'c', 'd', 'cap', 'a', 'clients', 'served', 'load', 'pi', 'dist', 'done', 'predSite', 'predClient', 'openList', 'open'] as const;

interface TransportExports {
  start(eps: number): number;
  openCount(): number;
  unitCosts(): void;
  lastPathCost(): number;
  solveRun(threshold: number, margin: number, budget: number): number;
  runOutcome(): number;
  runPaths(): number;
  runExitedEarly(): number;
}

/** SiteTransport's working arrays (see there). */
export interface TransportViews {
  uT: Float64Array;
  a: Float64Array;
  clients: Int32Array;
  served: Int32Array;
  load: Float64Array;
  pi: Float64Array;
  dist: Float64Array;
  done: Uint8Array;
  predSite: Int32Array;
  predClient: Int32Array;
  openList: Int32Array;
}

export class TransportKernel {
  readonly views: TransportViews;
  /** The open set that start reads. */
  private readonly open: Uint8Array;
  private readonly exports: TransportExports;

  private constructor(pr: FacilityProblem, uT: Float64Array | undefined, kernel: KernelInstance<(typeof HEADER)[number]>) {
    const { nSites: S, nClients: C } = pr;
    const { f64, i32, u8 } = kernel;
    f64('c', S * C).set(pr.c);
    f64('d', C).set(pr.d);
    f64('cap', S).set(pr.cap);
    const u = f64('uT', S * C);
    if (uT) u.set(uT);
    this.views = {
      uT: u,
      a: f64('a', S * C),
      clients: i32('clients', S * C),
      served: i32('served', S),
      load: f64('load', S),
      pi: f64('pi', S),
      dist: f64('dist', S),
      done: u8('done', S),
      predSite: i32('predSite', S),
      predClient: i32('predClient', S),
      openList: i32('openList', S),
    };
    this.open = u8('open', S);
    this.exports = kernel.exports[0] as unknown as TransportExports;
    if (!uT) this.exports.unitCosts();
  }

  /**
   * The kernel for the problem with unit costs `uT` (client-major; without, the kernel computes
   * those of transportation.ts unitCostsByClient into views.uT), or null where it cannot run.
   */
  static create(pr: FacilityProblem, uT?: Float64Array | undefined): TransportKernel | null {
    const { nSites: S, nClients: C } = pr;
    const SC = S * C;
    const sizes: Record<(typeof HEADER)[number], number> = {
      S: 0,
      C: 0,
      uT: 8 * SC,
      c: 8 * SC,
      d: 8 * C,
      cap: 8 * S,
      a: 8 * SC,
      clients: 4 * SC,
      served: 4 * S,
      load: 8 * S,
      pi: 8 * S,
      dist: 8 * S,
      done: S,
      predSite: 4 * S,
      predClient: 4 * S,
      openList: 4 * S,
      open: S,
    };
    const kernel = instantiateKernel([TRANSPORT_WASM], HEADER, sizes, S, C);
    return kernel ? new TransportKernel(pr, uT, kernel) : null;
  }

  /** SiteTransport.start for `open` with tolerance eps; also returns the number of open sites. */
  start(open: Uint8Array, eps: number): { cost: number; nOpen: number } {
    this.open.set(open);
    const cost = this.exports.start(eps);
    return { cost, nOpen: this.exports.openCount() };
  }

  pathCost(): number {
    return this.exports.lastPathCost();
  }

  /** assembly/transport.ts solveRun (SmallTransport.solve's loop) and its outcome. */
  get loop(): Pick<TransportExports, 'solveRun' | 'runOutcome' | 'runPaths' | 'runExitedEarly'> {
    return this.exports;
  }
}
