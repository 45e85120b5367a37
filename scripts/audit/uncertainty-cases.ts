/**
 * Edge-case scenario sets for the status audit (statuses.ts): the `stochastic` (expected cost,
 * SAA) and `robust` (min-max, min-max regret) families, with their truth by enumerating every
 * open set and an independent evaluator of the returned open set, both written here from the
 * model's definition (facility/src/scenarios.ts, docs/guides/uncertainty.md), never through the
 * solvers' ScenarioEvaluator:
 *   recourse of scenario s = sum over clients j with m^s_j > 0 of the cheapest of
 *     m^s_j * k_s * c^s_ij over open sites i that are allowed, not forbidden and not failed in s,
 *     and the penalty * m^s_j (Infinity when there is none and no site serves j);
 *   capacitated sets: a transportation problem per scenario (split demand m^s_j d_j, capacity C_i
 *     of the open surviving sites, an unserved share at the penalty), solved here as a min-cost
 *     flow by successive shortest paths (exact for these sizes; an LP's tolerances are not).
 * Expected cost = opening + sum_s p_s recourse_s over scenarios of positive probability (a
 * zero-probability scenario weighs nothing); min-max = opening + max_s recourse_s over every
 * scenario (probabilities ignored); regret = max_s (opening + recourse_s - OPT_s).
 * Edge cases: one site, one client, one scenario, zero-probability scenarios, probabilities
 * given for some scenarios only (the others 0), every site forbidden or failed, must-open sites,
 * zero and 2^50 / 2^-40 magnitudes (exact in binary), cost scale 0, zero demand factors, a
 * scenario cost matrix, penalty 0 / finite / none, capacity 0 or below the demand.
 */
import { createPlacementModel, type Result } from '../../packages/core/src/index.ts';
import { createScenarioSet, type ScenarioInput, type ScenarioSet } from '../../packages/facility/src/index.ts';
import type { Rand } from '../../packages/emplace/test/fuzz/instances.ts';
import type { Truth } from '../../packages/emplace/test/fuzz/truth.ts';
import type { AuditCase, CaseBuilder } from './cases.ts';

interface ScenarioSpec {
  p: number | undefined;
  m: number[];
  failed: boolean[];
  scale: number;
  /** Replaces the base costs (allowed pairs only), or null. */
  cost: number[] | null;
}

export interface UncertaintySpec {
  nS: number;
  nC: number;
  f: number[];
  /** sites x clients, row-major. */
  c: number[];
  d: number[];
  cap: number[];
  allowed: boolean[];
  forbidden: boolean[];
  mustOpen: boolean[];
  scenarios: ScenarioSpec[];
  penalty: number | null;
  /** undefined: the set's default (capacitated when some capacity is finite). */
  capacitated: boolean | undefined;
}

const MAGNITUDES = [1, 1, 1, 2 ** 50, 2 ** -40, 1e6] as const;

export function uncertaintySpec(r: Rand, magnitudes: readonly number[] = MAGNITUDES): UncertaintySpec {
  const nS = r.chance(0.2) ? 1 : r.int(2, 4);
  const nC = r.chance(0.15) ? 1 : r.int(2, 4);
  const unit = r.pick(magnitudes);
  const ties = r.chance(0.25);
  const num = (hi: number): number => (ties ? r.int(1, 2) : r.int(0, hi)) * unit;
  const allForbidden = r.chance(0.06);
  const forbidden = Array.from({ length: nS }, () => allForbidden || r.chance(0.12));
  const nScen = r.chance(0.3) ? 1 : r.int(2, 3);
  const someProb = r.chance(0.7);
  const scenarios = Array.from({ length: nScen }, (): ScenarioSpec => ({
    p: someProb ? (r.chance(0.2) ? 0 : r.chance(0.1) ? undefined : r.int(1, 5)) : undefined,
    m: Array.from({ length: nC }, () => r.pick([0, 0.5, 1, 1, 2])),
    failed: Array.from({ length: nS }, () => r.chance(0.2)),
    scale: r.pick([0, 1, 1, 1, 2, 3]),
    cost: r.chance(0.15) ? Array.from({ length: nS * nC }, () => num(40)) : null,
  }));
  // Every probability 0 is a ModelError of createScenarioSet, not a solver question.
  if (someProb && scenarios.every((sc) => !sc.p)) scenarios[0]!.p = 1;
  const penaltyKind = r.chance(0.1) ? 0 : r.int(1, 3);
  const d = Array.from({ length: nC }, () => r.pick([0, 1, 2, 5]));
  const total = d.reduce((a, b) => a + b, 0);
  // Mixed magnitudes: a penalty or one opening cost 2^40 times the rest (a solver that scales
  // its formulation by the largest number must still tell the small costs apart).
  const hugePenalty = r.chance(0.12);
  const hugeSite = r.chance(0.1) ? r.int(0, nS - 1) : -1;
  const spec: UncertaintySpec = {
    nS,
    nC,
    f: Array.from({ length: nS }, () => (r.chance(0.2) ? 0 : num(60))),
    c: Array.from({ length: nS * nC }, () => num(40)),
    d,
    cap: Array.from({ length: nS }, () => r.pick([0, Math.floor(total / 2), total, 2 * total, Infinity])),
    allowed: Array.from({ length: nS * nC }, () => !r.chance(0.15)),
    forbidden,
    mustOpen: forbidden.map((x) => !x && r.chance(0.12)),
    scenarios,
    penalty: hugePenalty ? r.int(1, 9) * 2 ** 40 * unit : penaltyKind === 0 ? 0 : penaltyKind === 1 ? r.int(1, 120) * unit : null,
    capacitated: r.chance(0.3) ? undefined : r.chance(0.5),
  };
  if (hugeSite >= 0) spec.f[hugeSite] = r.int(1, 3) * 2 ** 40 * unit;
  return spec;
}

export function scenarioSetOf(s: UncertaintySpec): ScenarioSet {
  const model = createPlacementModel({
    sites: s.f.map((f, i) => ({ id: `s${i}`, openingCost: f, capacity: s.cap[i]!, mustOpen: s.mustOpen[i]!, forbidden: s.forbidden[i]! })),
    clients: s.d.map((d, j) => ({ id: `c${j}`, demand: d })),
    cost: s.c,
    allowed: (i, j) => s.allowed[i * s.nC + j]!,
  });
  const scenarios: ScenarioInput[] = s.scenarios.map((sc, k) => ({
    name: `sc${k}`,
    ...(sc.p !== undefined ? { probability: sc.p } : {}),
    demand: sc.m,
    costScale: sc.scale,
    failed: sc.failed.flatMap((x, i) => (x ? [i] : [])),
    ...(sc.cost ? { cost: sc.cost } : {}),
  }));
  return createScenarioSet(model, scenarios, { ...(s.penalty !== null ? { penalty: s.penalty } : {}), ...(s.capacitated !== undefined ? { capacitated: s.capacitated } : {}) });
}

/** Whether the set is capacitated as createScenarioSet decides it (explicit, else some finite capacity). */
function isCapacitated(s: UncertaintySpec): boolean {
  return s.capacitated ?? s.cap.some((c) => c !== Infinity);
}

/** Normalised probabilities: the given ones (missing = 0 when any is given), else all equal. */
function probabilities(s: UncertaintySpec): number[] {
  const explicit = s.scenarios.some((sc) => sc.p !== undefined);
  const raw = s.scenarios.map((sc) => (explicit ? (sc.p ?? 0) : 1));
  const total = raw.reduce((a, b) => a + b, 0);
  return raw.map((p) => p / total);
}

/** Cost of serving client j from site i in scenario k, Infinity when the pair cannot be used. */
function pairCost(s: UncertaintySpec, open: readonly boolean[], k: number, i: number, j: number): number {
  const sc = s.scenarios[k]!;
  if (!open[i] || s.forbidden[i] || sc.failed[i] || !s.allowed[i * s.nC + j]) return Infinity;
  return sc.m[j]! * sc.scale * (sc.cost ? sc.cost[i * s.nC + j]! : s.c[i * s.nC + j]!);
}

/** Recourse of scenario k for an open set: closest site or penalty, or a transportation LP. */
function recourse(s: UncertaintySpec, open: readonly boolean[], k: number): number {
  const sc = s.scenarios[k]!;
  const pen = s.penalty ?? Infinity;
  if (!isCapacitated(s)) {
    let total = 0;
    for (let j = 0; j < s.nC; j++) {
      if (sc.m[j] === 0) continue;
      let best = pen * sc.m[j]!;
      for (let i = 0; i < s.nS; i++) best = Math.min(best, pairCost(s, open, k, i, j));
      total += best;
    }
    return total;
  }
  return transportation(s, open, k);
}

/**
 * The capacitated recourse as a min-cost flow solved here by successive shortest paths
 * (Bellman-Ford on the residual graph): no LP tolerances, so mixed magnitudes (a 2^40
 * penalty next to unit costs) stay exact. Clients loading nothing (m_j d_j = 0) take their
 * cheapest site or the penalty; the others send m_j d_j units at e_ij / (m_j d_j) per unit
 * to open surviving sites within C_i, or to the penalty (unlimited).
 */
function transportation(s: UncertaintySpec, open: readonly boolean[], k: number): number {
  const sc = s.scenarios[k]!;
  const pen = s.penalty ?? Infinity;
  let total = 0;
  const movers: number[] = [];
  for (let j = 0; j < s.nC; j++) {
    if (sc.m[j] === 0) continue;
    if (sc.m[j]! * s.d[j]! > 0) {
      movers.push(j);
      continue;
    }
    let best = pen * sc.m[j]!;
    for (let i = 0; i < s.nS; i++) best = Math.min(best, pairCost(s, open, k, i, j));
    total += best;
  }
  if (movers.length === 0) return total;
  // Nodes: 0 source, 1..A clients, then sites, then the penalty, then the sink.
  const A = movers.length;
  const siteNode = (i: number): number => 1 + A + i;
  const penaltyNode = 1 + A + s.nS;
  const sink = penaltyNode + 1;
  const edges: { to: number; cap: number; cost: number }[] = [];
  const adj: number[][] = Array.from({ length: sink + 1 }, () => []);
  const addEdge = (u: number, v: number, cap: number, cost: number): void => {
    adj[u]!.push(edges.length);
    edges.push({ to: v, cap, cost });
    adj[v]!.push(edges.length);
    edges.push({ to: u, cap: 0, cost: -cost });
  };
  let supply = 0;
  movers.forEach((j, a) => {
    const load = sc.m[j]! * s.d[j]!;
    supply += load;
    addEdge(0, 1 + a, load, 0);
    for (let i = 0; i < s.nS; i++) {
      const v = pairCost(s, open, k, i, j);
      if (v < Infinity) addEdge(1 + a, siteNode(i), Infinity, v / load);
    }
    if (pen < Infinity) addEdge(1 + a, penaltyNode, Infinity, (pen * sc.m[j]!) / load);
  });
  for (let i = 0; i < s.nS; i++) addEdge(siteNode(i), sink, s.cap[i]!, 0);
  addEdge(penaltyNode, sink, Infinity, 0);
  let sent = 0;
  while (sent < supply - 1e-12) {
    const dist = new Array<number>(sink + 1).fill(Infinity);
    const via = new Array<number>(sink + 1).fill(-1);
    dist[0] = 0;
    for (let round = 0; round <= sink; round++) {
      let changed = false;
      for (let u = 0; u <= sink; u++) {
        if (dist[u] === Infinity) continue;
        for (const e of adj[u]!) {
          const ed = edges[e]!;
          // A relative margin: rounding must not make a zero-cost cycle look negative.
          const d = dist[u]! + ed.cost;
          if (ed.cap > 1e-12 && (dist[ed.to] === Infinity || d < dist[ed.to]! - 1e-12 * Math.max(Math.abs(dist[ed.to]!), Math.abs(ed.cost)))) {
            dist[ed.to] = d;
            via[ed.to] = e;
            changed = true;
          }
        }
      }
      if (!changed) break;
    }
    if (dist[sink] === Infinity) return Infinity;
    let push = supply - sent;
    let steps = 0;
    for (let v = sink; v !== 0; v = edges[via[v]! ^ 1]!.to) {
      if (++steps > sink + 1) throw new Error('reference min-cost flow: the shortest-path tree has a cycle');
      push = Math.min(push, edges[via[v]!]!.cap);
    }
    for (let v = sink; v !== 0; v = edges[via[v]! ^ 1]!.to) {
      edges[via[v]!]!.cap -= push;
      edges[via[v]! ^ 1]!.cap += push;
      total += push * edges[via[v]!]!.cost;
    }
    sent += push;
  }
  return total;
}

/** Opening cost and recourse per scenario of every admissible open set (mustOpen in, forbidden out). */
interface SetTable {
  sets: boolean[][];
  opening: number[];
  recourse: number[][];
}

async function tabulate(s: UncertaintySpec): Promise<SetTable> {
  const free = Array.from({ length: s.nS }, (_, i) => i).filter((i) => !s.forbidden[i] && !s.mustOpen[i]);
  const out: SetTable = { sets: [], opening: [], recourse: [] };
  for (let mask = 0; mask < 1 << free.length; mask++) {
    const open = s.mustOpen.map((x) => x);
    free.forEach((i, b) => (open[i] = ((mask >> b) & 1) === 1));
    out.sets.push(open);
    out.opening.push(s.f.reduce((a, f, i) => a + (open[i] ? f : 0), 0));
    const rec: number[] = [];
    for (let k = 0; k < s.scenarios.length; k++) rec.push(recourse(s, open, k));
    out.recourse.push(rec);
  }
  return out;
}

export type UncertaintyObjective = 'expected' | 'min-max' | 'min-max-regret';

/** The objective of every set of the table (Infinity when some counted scenario cannot be served). */
function scores(s: UncertaintySpec, t: SetTable, objective: UncertaintyObjective): number[] {
  const p = probabilities(s);
  const nK = s.scenarios.length;
  if (objective === 'expected') {
    return t.sets.map((_, q) => t.recourse[q]!.reduce((acc, r, k) => (p[k] === 0 ? acc : acc + p[k]! * r), t.opening[q]!));
  }
  const total = t.sets.map((_, q) => t.recourse[q]!.map((r) => t.opening[q]! + r));
  if (objective === 'min-max') return total.map((row) => Math.max(...row));
  const optimum = Array.from({ length: nK }, (_, k) => Math.min(...total.map((row) => row[k]!)));
  if (optimum.some((o) => o === Infinity)) return total.map(() => Infinity);
  return total.map((row) => Math.max(...row.map((v, k) => v - optimum[k]!)));
}

function truthOfScores(values: number[]): Truth {
  const best = Math.min(Infinity, ...values);
  return best === Infinity ? { feasible: false } : { feasible: true, value: best };
}

/**
 * The returned open set: mustOpen in, forbidden out, and its objective recomputed here.
 * `openSites` (indices) and `open` (ids) must agree.
 */
function checkOpenSet(s: UncertaintySpec, t: () => Promise<SetTable>, objective: UncertaintyObjective) {
  return async (res: Result<unknown>): Promise<string[]> => {
    if (res.status !== 'optimal' && res.status !== 'feasible') return [];
    const sol = res.solution as { openSites?: Int32Array; open?: string[] };
    if (!(sol.openSites instanceof Int32Array)) return ['solution has no openSites'];
    const problems: string[] = [];
    const open = new Array<boolean>(s.nS).fill(false);
    for (const i of sol.openSites) {
      if (!(i >= 0 && i < s.nS)) problems.push(`open site ${i} out of range`);
      else open[i] = true;
    }
    if (sol.open && sol.open.join(',') !== Array.from(sol.openSites, (i) => `s${i}`).join(',')) problems.push(`open ids ${sol.open.join(',')} do not match openSites`);
    for (let i = 0; i < s.nS; i++) {
      if (open[i] && s.forbidden[i]) problems.push(`forbidden site ${i} open`);
      if (!open[i] && s.mustOpen[i]) problems.push(`must-open site ${i} closed`);
    }
    if (problems.length > 0) return problems;
    const table = await t();
    const q = table.sets.findIndex((set) => set.every((x, i) => x === open[i]));
    const value = scores(s, table, objective)[q]!;
    const scale = Math.max(1, ...s.f.map(Math.abs), ...s.c.map(Math.abs), s.penalty ?? 0) * 4;
    if (!(Math.abs(value - res.objective) <= 1e-7 * Math.max(Math.abs(value), objective === 'min-max-regret' ? scale : 0))) {
      problems.push(`objective ${res.objective}, but the open set {${Array.from(sol.openSites).join(',')}} costs ${value} (${objective})`);
    }
    return problems;
  };
}

function uncertaintyCase(s: UncertaintySpec, objective: UncertaintyObjective, options: Record<string, unknown>): AuditCase {
  let table: Promise<SetTable> | undefined;
  const tableOnce = (): Promise<SetTable> => (table ??= tabulate(s));
  return {
    model: scenarioSetOf(s),
    options,
    sense: 'min',
    truth: async () => truthOfScores(scores(s, await tableOnce(), objective)),
    check: checkOpenSet(s, tableOnce, objective),
    label: JSON.stringify({ ...s, cap: s.cap.map((c) => (c === Infinity ? 'inf' : c)), objective }),
  };
}

export const UNCERTAINTY_CASES: Record<string, CaseBuilder> = {
  stochastic: (r) => uncertaintyCase(uncertaintySpec(r), 'expected', {}),
  robust: (r) => {
    const regret = r.chance(0.5);
    const s = uncertaintySpec(r);
    return uncertaintyCase(s, regret ? 'min-max-regret' : 'min-max', regret || r.chance(0.5) ? { criterion: regret ? 'min-max-regret' : 'min-max' } : {});
  },
};
