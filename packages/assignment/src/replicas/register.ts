import { registerSolver, type SolveOptions } from '@emplace/core';
import type { ReplicaModel } from './model.js';
import type { ReplicaMethod, ReplicaOptions } from './solution.js';
import { solveReplicas } from './solve.js';

// Registers the replica-placement methods with @emplace/core's registry, so that
// `solve(model, { method: 'replicas:exact' })` and `emplace methods replicas` work.

const entry = (method: ReplicaMethod) => (m: unknown, o: SolveOptions & Record<string, unknown>) =>
  solveReplicas(m as ReplicaModel, { ...(o as ReplicaOptions), method });

registerSolver({
  family: 'replicas',
  method: 'auto',
  modelKind: 'replicas',
  description: 'replica placement: the staged MIP warm-started from the greedy (10 s default budget), the greedy on models too big for it',
  guarantee: 'exact when it finishes (status optimal), else the best plan with the MIP bound',
  solve: entry('auto'),
});
registerSolver({
  family: 'replicas',
  method: 'greedy',
  modelKind: 'replicas',
  description: 'replica placement: constructive (cheapest clusters under every limit, spread/skew repair, N-1 retries)',
  guarantee: 'heuristic (may leave a feasible workload unplaced)',
  solve: entry('greedy'),
});
registerSolver({
  family: 'replicas',
  method: 'exact',
  modelKind: 'replicas',
  description: 'replica placement as a MIP through @emplace/lp: priorities, aggregated, weighted or lexicographic objective',
  guarantee: 'exact',
  solve: entry('exact'),
});
registerSolver({
  family: 'replicas',
  method: 'karmada',
  modelKind: 'replicas',
  description: "Karmada's own replica division (duplicated, static/dynamic weights, aggregated, overflow tiers)",
  guarantee: 'heuristic (what Karmada does; constraints it ignores are listed in warnings)',
  solve: entry('karmada'),
});
