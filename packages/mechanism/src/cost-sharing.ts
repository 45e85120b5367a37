import { MAX_MASK_PLAYERS, ModelError, checkMemory, createGame, type GameModel, type PlacementModel } from '@emplace/core';
import { checkGame, maskEvaluator } from './evaluate.js';

export interface CostSharingInput {
  /** Player names (tenants, clusters, teams). */
  players: readonly string[];
  /**
   * Cost of serving exactly the members of a coalition (sorted player indices), e.g. the
   * optimal (or a bounded-quality) facility-location or Steiner cost computed by a solver
   * from another package. Called at most once per coalition (memoised).
   */
  cost: (members: readonly number[]) => number;
  /** Largest number of coalitions kept in the memo (default 2^22); beyond it the oldest are dropped. */
  memoLimit?: number;
}

/**
 * A cost-sharing game whose characteristic function is a caller-supplied solver, memoised
 * by coalition: exact Shapley (2^n calls), sampling (repeated coalitions are free) and
 * the core/nucleolus LPs all evaluate each coalition once. The game is a cost game:
 * solve it with `gameKind: 'cost'` for core and nucleolus.
 */
export function createCostSharingGame(input: CostSharingInput): GameModel & { readonly memoSize: () => number } {
  if (!input || !Array.isArray(input.players)) throw new ModelError('players', 'must be an array of names');
  if (input.players.length === 0) throw new ModelError('players', 'must not be empty');
  if (typeof input.cost !== 'function') throw new ModelError('cost', 'must be a function of the member list');
  const limit = input.memoLimit ?? 1 << 22;
  const memo = new Map<string, number>();
  const solver = input.cost;
  const game = createGame({
    players: input.players,
    value: (members) => {
      if (members.length === 0) return 0;
      const key = members.join(',');
      const hit = memo.get(key);
      if (hit !== undefined) return hit;
      const v = solver(members);
      if (memo.size >= limit) memo.delete(memo.keys().next().value as string);
      memo.set(key, v);
      return v;
    },
    structure: { type: 'custom', name: 'cost-sharing' },
  });
  // Not enumerable, like the value function: the game's data stays structured-cloneable.
  Object.defineProperty(game, 'memoSize', { value: () => memo.size, enumerable: false });
  return game as GameModel & { readonly memoSize: () => number };
}

/**
 * The game as a table of its 2^n values (n <= 30): a game whose value is a closure (a
 * cost-sharing game calling a solver) becomes data, which a solver worker can receive.
 * Evaluates every coalition once; refuses a table beyond the memory limit.
 */
export function tabulateGame(input: GameModel, options: { maxMemoryBytes?: number | undefined } = {}): GameModel {
  const game = checkGame(input);
  if (game.structure?.type === 'table') return game;
  const n = game.n;
  if (n > MAX_MASK_PLAYERS) throw new ModelError('game.players', `a value table takes at most ${MAX_MASK_PLAYERS} players, got ${n}`);
  checkMemory('tabulateGame', `a value table of 2^${n} coalitions`, 2 ** n * 8 * 2, options);
  const value = maskEvaluator(game);
  const table = new Float64Array(2 ** n);
  for (let mask = 1; mask < table.length; mask++) table[mask] = value(mask);
  return createGame({ players: game.players, value: { table } });
}

export interface PlacementCostInput {
  /** The shared placement: sites, and the clients of every player together. */
  model: PlacementModel;
  /** The clients each player brings (client indices); players may not share a client. */
  owners: readonly { player: string; clients: readonly number[] }[];
  /**
   * Cost of serving exactly the coalition's clients: `sub` is the placement restricted to
   * them (same sites, clients renumbered in the order of `clients`, the original
   * indices), e.g. `(sub) => solveUfl(sub).objective` with a solver from another
   * package (this one does not depend on them). An approximate solver gives an
   * approximate game: say so when you report the shares.
   */
  solve: (sub: PlacementModel, clients: readonly number[]) => number;
}

/**
 * The cost-sharing game of a placement: each player (tenant) owns some clients, and a
 * coalition's cost is what serving just its members' clients costs. A federation splits a
 * shared deployment's bill by the Shapley value or the nucleolus of this game.
 */
export function placementCostGame(input: PlacementCostInput): GameModel & { readonly memoSize: () => number } {
  const { model, owners } = input;
  if (!model || model.kind !== 'placement') throw new ModelError('model', 'must be a PlacementModel');
  if (!Array.isArray(owners) || owners.length === 0) throw new ModelError('owners', 'must be a non-empty array');
  const ownerOf = new Int32Array(model.nClients).fill(-1);
  owners.forEach((o, p) => {
    o.clients.forEach((j: number, t: number) => {
      if (!Number.isInteger(j) || j < 0 || j >= model.nClients) {
        throw new ModelError(`owners[${p}].clients[${t}]`, `must be a client index in [0, ${model.nClients}), got ${String(j)}`);
      }
      if (ownerOf[j] !== -1) throw new ModelError(`owners[${p}].clients[${t}]`, `client ${model.clientIds[j]} is already owned by ${owners[ownerOf[j]!]!.player}`);
      ownerOf[j] = p;
    });
  });
  return createCostSharingGame({
    players: owners.map((o) => o.player),
    cost: (members) => {
      const clients: number[] = [];
      for (const p of members) for (const j of owners[p]!.clients) clients.push(j);
      clients.sort((a, b) => a - b);
      return input.solve(restrictClients(model, clients), clients);
    },
  });
}

/**
 * The placement restricted to some clients (sorted, distinct indices): every per-client
 * array is gathered, constraint groups keep their members inside the subset (renumbered)
 * and vanish when fewer than two remain. Sites are unchanged.
 */
export function restrictClients(model: PlacementModel, clients: readonly number[]): PlacementModel {
  const k = clients.length;
  const nS = model.nSites;
  const nC = model.nClients;
  const nD = model.dimensions.length;
  const position = new Int32Array(nC).fill(-1);
  clients.forEach((j, t) => {
    if (!Number.isInteger(j) || j < 0 || j >= nC) throw new ModelError(`clients[${t}]`, `must be a client index in [0, ${nC}), got ${String(j)}`);
    position[j] = t;
  });
  const cost = new Float64Array(nS * k);
  for (let i = 0; i < nS; i++) for (let t = 0; t < k; t++) cost[i * k + t] = model.cost[i * nC + clients[t]!]!;
  const demand = new Float64Array(k * nD);
  const weight = new Float64Array(k);
  for (let t = 0; t < k; t++) {
    weight[t] = model.weight[clients[t]!]!;
    for (let d = 0; d < nD; d++) demand[t * nD + d] = model.demand[clients[t]! * nD + d]!;
  }
  let siteDemand: Float64Array | undefined;
  if (model.siteDemand) {
    siteDemand = new Float64Array(nS * k * nD);
    for (let i = 0; i < nS; i++) for (let t = 0; t < k; t++) for (let d = 0; d < nD; d++) siteDemand[(i * k + t) * nD + d] = model.siteDemand[(i * nC + clients[t]!) * nD + d]!;
  }
  let allowed: Uint8Array | undefined;
  if (model.allowed) {
    allowed = new Uint8Array(nS * k);
    for (let i = 0; i < nS; i++) for (let t = 0; t < k; t++) allowed[i * k + t] = model.allowed[i * nC + clients[t]!]!;
  }
  const keep = (group: Int32Array): Int32Array => Int32Array.from([...group].filter((j) => position[j]! >= 0).map((j) => position[j]!));
  const affinity = model.affinity.map(keep).filter((g) => g.length >= 2);
  const antiAffinity = model.antiAffinity
    .map((g) => ({ clients: keep(g.clients), ...(g.domain !== undefined ? { domain: g.domain } : {}) }))
    .filter((g) => g.clients.length >= 2);
  // The restricted model keeps siteDemand / allowed only when the restriction has them.
  const { siteDemand: _fullSiteDemand, allowed: _fullAllowed, ...shared } = model;
  return {
    ...shared,
    nClients: k,
    clientIds: clients.map((j) => model.clientIds[j]!),
    demand,
    weight,
    cost,
    ...(siteDemand ? { siteDemand } : {}),
    ...(allowed ? { allowed } : {}),
    affinity,
    antiAffinity,
  };
}
