import type { Certificate, Result, SolveRun } from '@emplace/core';
import { solveLp, type LpSolution } from '@emplace/lp';
import { rehostRoom, residualCapacity, workloadViolation } from './check.js';
import { replicaEnvelope } from './envelope.js';
import { greedyPlace } from './greedy.js';
import { relaxationBound } from './bound.js';
import { replicaLagrangian } from './lagrangian.js';
import { shiftImprove } from './improve.js';

/** Above this many (workload, eligible cluster) pairs, `exact` bounds with the Lagrangian relaxation instead of building the MIP (when the objective allows). */
export const REPLICAS_MIP_MAX_PAIRS = 20_000;
import { replicaCriteria, replicaObjective } from './metrics.js';
import { addExprLe, addRehostBlock, buildReplicaMip, exprValue, mipCounts, mipWarmStart, setStageObjective, type LinearExpr, type ReplicaMip } from './mip.js';
import type { ReplicaModel } from './model.js';
import type { ReplicaOptions, ReplicaSolution } from './solution.js';

/**
 * `exact`: the MIP of mip.ts solved in stages, each warm-started from the previous answer
 * (the first from the greedy plan), each fixing its value before the next:
 *   1. only when the greedy could not place every workload: per priority level, highest
 *      first, maximise the number of placed workloads of that level;
 *   2. when a workload is `aggregated`: minimise its number of clusters;
 *   3. the objective: one weighted stage, or one stage per lexicographic criterion.
 * `optimal` only when every stage is proven; the bound is the last weighted stage's bound
 * (lexicographic: the first criterion's), reported only when the stages before it are proven.
 * A single workload the MIP proves unplaceable is `infeasible`; its certificate comes from
 * re-solving without one constraint family at a time (the first whose removal helps is named).
 */
export async function replicasExact(run: SolveRun, m: ReplicaModel, options: ReplicaOptions): Promise<Result<ReplicaSolution>> {
  const { W, C } = m;
  const greedy = greedyPlace(m, run);
  const activeList: number[] = [];
  for (let w = 0; w < W; w++) if (!m.evident[w]) activeList.push(w);
  const active = Int32Array.from(activeList);
  const status = Uint8Array.from(greedy.status);
  const reasons = [...greedy.reasons];
  if (active.length === 0) {
    return replicaEnvelope(run, m, greedy.counts, status, reasons, { guarantee: { kind: 'exact' }, proven: true });
  }
  const allPlaced = activeList.every((w) => greedy.status[w] === 0);
  // The greedy plan may already meet a combinatorial lower bound: then it is optimal.
  if (allPlaced) {
    const lb = relaxationBound(m, active);
    if (lb !== undefined) {
      const value = replicaObjective(m, replicaCriteria(m, greedy.counts));
      let pairs = 0;
      for (const w of activeList) for (let c = 0; c < C; c++) pairs += m.eligible[w * C + c]!;
      if (value > lb + 1e-9 * Math.max(1, Math.abs(lb)) && pairs > (options.maxMipPairs ?? REPLICAS_MIP_MAX_PAIRS)) {
        // Too big for the MIP within a decision budget: Lagrangian bound + heuristic.
        // Shift local search on the greedy plan (a better incumbent steers the Polyak steps),
        // the Lagrangian bound and heuristic, then the local search again on its best plan.
        const t0 = performance.now();
        const budget = run.deadline === Infinity ? 5_000 : Math.max(0, run.deadline - t0);
        const start = Int32Array.from(greedy.counts);
        let shifts = shiftImprove(m, start, active, run, t0 + 0.25 * budget);
        const startValue = replicaObjective(m, replicaCriteria(m, start));
        const lag = replicaLagrangian(m, active, run, { counts: start, value: startValue }, { deadline: t0 + 0.85 * budget });
        if (lag) {
          let plan = lag.counts;
          if (plan !== start) {
            const again = Int32Array.from(plan);
            shifts += shiftImprove(m, again, active, run, t0 + budget);
            if (replicaObjective(m, replicaCriteria(m, again)) < lag.value) plan = again;
          }
          return replicaEnvelope(run, m, plan, status, reasons, {
            guarantee: { kind: 'exact' },
            bound: Math.max(lb, lag.bound),
            stats: { stages: 0, lagrangianIterations: lag.iterations, lagrangianImproved: lag.improved, shifts, provenBy: 'lagrangian bound', greedyPlaced: activeList.length, pairs },
            warnings: [`${pairs} (workload, cluster) pairs > maxMipPairs ${options.maxMipPairs ?? REPLICAS_MIP_MAX_PAIRS}: Lagrangian relaxation of the shared capacity instead of the MIP (bound and gap reported)`],
          });
        }
      }
      if (value <= lb + 1e-9 * Math.max(1, Math.abs(lb))) {
        return replicaEnvelope(run, m, greedy.counts, status, reasons, {
          guarantee: { kind: 'exact' },
          bound: lb,
          proven: true,
          stats: { stages: 0, nodes: 0, provenBy: 'relaxation bound', greedyPlaced: activeList.length },
        });
      }
    }
  }
  // Too big for the MIP and no Lagrangian bound applies: the greedy plan, said plainly.
  let pairsAll = 0;
  for (const w of activeList) for (let c = 0; c < C; c++) pairsAll += m.eligible[w * C + c]!;
  const maxPairs = options.maxMipPairs ?? REPLICAS_MIP_MAX_PAIRS;
  if (pairsAll > maxPairs) {
    return replicaEnvelope(run, m, greedy.counts, status, reasons, {
      guarantee: { kind: 'exact' },
      stats: { stages: 0, pairs: pairsAll, greedyPlaced: greedy.status.filter((st) => st === 0).length },
      warnings: [
        `${pairsAll} (workload, cluster) pairs > maxMipPairs ${maxPairs}${allPlaced ? ' and the objective has no Lagrangian bound here' : ' and the greedy could not place every workload'}: the MIP is not built; returning the greedy plan without a bound (raise maxMipPairs to try the MIP)`,
      ],
    });
  }
  const mip = buildReplicaMip(m, active, { placedVars: !allPlaced, lazyRehost: true });
  const warm = options.warmStart !== false;
  let x: Float64Array | undefined = warm ? mipWarmStart(m, mip, greedy.counts) : undefined;
  let provenSoFar = true;
  let lastBound: number | undefined;
  let firstLexBound: number | undefined;
  let stages = 0;
  let rounds = 0;
  let nodes = 0;
  let stopped = false;
  const warnings: string[] = [];

  const stage = async (terms: { expr: LinearExpr; coef: number }[], name: string): Promise<{ sol: LpSolution; value: number } | undefined> => {
    if (stopped) return undefined;
    setStageObjective(mip, terms);
    let sol: LpSolution;
    // Re-hosting blocks are added lazily: re-solve while the answer breaks one.
    for (;;) {
      const remaining = run.remainingMs();
      let start = x;
      if (start && start.length < mip.lp.numVariables) {
        const grown = new Float64Array(mip.lp.numVariables);
        grown.set(start);
        start = grown;
      }
      sol = await solveLp(mip.lp, {
        ...(options.backend ? { backend: options.backend } : {}),
        ...(remaining !== Infinity ? { timeLimitMs: remaining } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(start ? { warmStart: start } : {}),
        mipRelGap: run.tolerance,
      });
      rounds++;
      if (!sol.x || (sol.status !== 'optimal' && sol.status !== 'feasible')) break;
      if (!addBrokenRehost(m, mip, mipCounts(m, mip, sol.x))) break;
      if (run.shouldStop()) {
        // Out of time with a plan that breaks re-hosting: not an answer.
        sol = { ...sol, status: 'no-solution' };
        delete sol.x;
        break;
      }
    }
    stages++;
    nodes += sol.nodes ?? 0;
    run.markStopped(sol.stoppedBy);
    if (sol.warnings) warnings.push(...sol.warnings.map((s) => `${name}: ${s}`));
    if (sol.status === 'infeasible') {
      // Stage 1 always has a solution (nothing placed) and later stages contain the previous answer.
      warnings.push(`${name}: the backend reported infeasible on a stage that contains the previous answer`);
      provenSoFar = false;
      stopped = true;
      return undefined;
    }
    if (!sol.x || (sol.status !== 'optimal' && sol.status !== 'feasible')) {
      provenSoFar = false;
      stopped = true;
      return undefined;
    }
    x = sol.x;
    if (sol.status !== 'optimal') {
      provenSoFar = false;
      stopped = true; // out of time: keep this answer, skip the remaining stages
    }
    run.progress({ phase: name, incumbent: exprValue(terms, sol.x), ...(sol.bound !== undefined ? { bound: sol.bound } : {}) }, true);
    return { sol, value: exprValue(terms, sol.x) };
  };
  const fixAt = (terms: { expr: LinearExpr; coef: number }[], value: number, name: string) =>
    addExprLe(mip, terms, value + 1e-7 * Math.max(1, Math.abs(value)), name);

  // 1. Priority levels.
  if (!allPlaced) {
    const levels = [...new Set(activeList.map((w) => m.priority[w]!))].sort((a, b) => b - a);
    for (const level of levels) {
      const members = activeList.filter((w) => m.priority[w] === level);
      const expr: LinearExpr = { idx: members.map((w) => mip.pCol[w]!), co: members.map(() => -1), offset: 0 };
      const r = await stage([{ expr, coef: 1 }], `placed(priority ${level})`);
      if (!r) break;
      fixAt([{ expr, coef: 1 }], Math.round(r.value), `placed(priority ${level})`);
    }
  }
  // 2. Aggregated workloads: fewest clusters.
  if (mip.aggregated.idx.length > 0) {
    const r = await stage([{ expr: mip.aggregated, coef: 1 }], 'aggregated');
    if (r) fixAt([{ expr: mip.aggregated, coef: 1 }], Math.round(r.value), 'aggregated');
  }
  // 3. The objective.
  const provenBeforeObjective = provenSoFar;
  if (m.lexicographic) {
    for (let i = 0; i < m.lexicographic.length; i++) {
      const k = m.lexicographic[i]!;
      const terms = [{ expr: mip.criteria[k], coef: 1 }];
      const r = await stage(terms, `lexicographic ${k}`);
      if (!r) break;
      if (i === 0 && provenBeforeObjective && r.sol.bound !== undefined) firstLexBound = r.sol.bound;
      if (i < m.lexicographic.length - 1) fixAt(terms, r.value, `lexicographic ${k}`);
    }
  } else {
    const terms = (Object.keys(m.weights) as (keyof typeof m.weights)[]).map((k) => ({ expr: mip.criteria[k], coef: m.weights[k] }));
    const r = await stage(terms, 'objective');
    if (r && provenBeforeObjective && r.sol.bound !== undefined) lastBound = r.sol.bound;
  }

  // The answer: the MIP's plan when every workload of it checks out, else the greedy's.
  let counts = greedy.counts;
  if (x) {
    const cand = mipCounts(m, mip, x);
    const bad = verify(m, cand, active);
    if (bad === undefined) {
      counts = cand;
      for (const w of activeList) {
        let total = 0;
        for (let c = 0; c < C; c++) total += cand[w * C + c]!;
        const placed = total > 0 || m.replicas[w] === 0;
        status[w] = placed ? 0 : 2;
        reasons[w] = placed ? undefined : provenSoFar ? 'not placed: the capacity goes to workloads of higher (or equal) priority (proven by the MIP)' : 'not placed in the best plan found within the time limit';
      }
    } else warnings.push(`the MIP answer fails the check (${bad}); returning the greedy plan`);
  }
  const crit = replicaCriteria(m, counts);
  // Never worse than the greedy plan on the same placements.
  const greedyBetter = samePlacement(greedy.status, status) && replicaObjective(m, replicaCriteria(m, greedy.counts)) < replicaObjective(m, crit) - 1e-9;
  if (greedyBetter && !provenSoFar) {
    counts = greedy.counts;
    warnings.push('the greedy plan beat the MIP incumbent (time limit); returning it');
  }

  // Proven that nothing can be placed (a single workload, or every stage at 0): each
  // workload is infeasible on its own; the certificate names the constraint (few workloads).
  const certificates: (Certificate | undefined)[] = new Array(W).fill(undefined);
  const nonePlaced = activeList.every((w) => status[w] !== 0);
  if (provenSoFar && nonePlaced) {
    for (const w of activeList) {
      status[w] = 1;
      const cert =
        activeList.length <= 5
          ? await diagnose(run, m, w, options)
          : { reason: `workloads[${w}]: proven unplaceable by the MIP`, fields: [`workloads[${w}]`] };
      certificates[w] = cert;
      reasons[w] = cert.reason;
    }
  }
  const proven = provenSoFar;
  const bound = m.lexicographic ? firstLexBound : lastBound;
  return replicaEnvelope(run, m, counts, status, reasons, {
    guarantee: { kind: 'exact' },
    ...(bound !== undefined ? { bound } : {}),
    proven,
    certificates,
    stats: { stages, rounds, rehostBlocks: mip.rehostVars.length, nodes, mipVariables: mip.lp.numVariables, greedyPlaced: greedy.status.filter((s) => s === 0).length },
    ...(warnings.length > 0 ? { warnings } : {}),
  });
}

function samePlacement(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < a.length; i++) if ((a[i] === 0) !== (b[i] === 0)) return false;
  return true;
}

function verify(m: ReplicaModel, counts: Int32Array, active: Int32Array): string | undefined {
  const { C } = m;
  const residual = residualCapacity(m, counts);
  for (const w of active) {
    const bad = workloadViolation(m, w, counts, w * C, residual);
    if (bad) return bad;
  }
  return undefined;
}

/** Which constraint family makes workload w unplaceable: re-solve without each in turn. */
async function diagnose(run: SolveRun, m: ReplicaModel, w: number, options: ReplicaOptions): Promise<Certificate> {
  const f = `workloads[${w}]`;
  const families: string[] = [];
  for (const s of m.spreads) if (s.workload === w) families.push(s.field);
  const sv = m.survivability.find((s) => s.workload === w);
  if (sv?.rehost) families.push(`${sv.field}.rehost`);
  if (sv) families.push(sv.field);
  if (m.current && m.maxMoves[w]! >= 0) families.push(`${f}.maxMoves`);
  for (const fam of families) {
    if (run.shouldStop()) break;
    const mip: ReplicaMip = buildReplicaMip(m, Int32Array.of(w), { placedVars: false, drop: new Set([fam]) });
    setStageObjective(mip, []);
    const remaining = run.remainingMs();
    const sol = await solveLp(mip.lp, {
      ...(options.backend ? { backend: options.backend } : {}),
      ...(remaining !== Infinity ? { timeLimitMs: remaining } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (sol.status === 'optimal' || sol.status === 'feasible') {
      return { reason: `${fam}: no placement of ${m.replicas[w]} replicas satisfies it together with the other constraints (proven by the MIP; without it the workload fits)`, fields: [fam] };
    }
  }
  return {
    reason: `${f}: no placement of ${m.replicas[w]} replicas fits the free capacity of its eligible clusters under minReplicas/maxReplicas${families.length ? ` (even without ${families.join(', ')})` : ''}`,
    fields: [`${f}.replicas`, 'clusters[].free', ...families],
  };
}

/** Adds the re-hosting block of every (workload, domain) the plan breaks; true when any was added. */
function addBrokenRehost(m: ReplicaModel, mip: ReplicaMip, counts: Int32Array): boolean {
  const { C } = m;
  const residual = residualCapacity(m, counts);
  let added = false;
  for (const w of mip.active) {
    const sv = m.survivabilityOf[w];
    if (!sv || !sv.rehost) continue;
    const per = new Int32Array(sv.groups.length);
    for (let c = 0; c < C; c++) per[sv.groupOf[c]!]! += counts[w * C + c]!;
    for (let g = 0; g < per.length; g++) {
      if (per[g]! === 0 || mip.rehostAdded.has(w * 65536 + g)) continue;
      if (rehostRoom(m, w, counts, w * C, residual, sv.groupOf, g, per[g]!) < per[g]!) {
        addRehostBlock(m, mip, w, g);
        added = true;
      }
    }
  }
  return added;
}
