import { ModelError, runStepsAsync, SolveRun, type Result } from '@emplace/core';
import { replicaEnvelope } from './envelope.js';
import { replicasExact } from './exact.js';
import { greedyPlace, greedyPlaceSteps } from './greedy.js';
import { replicasKarmadaSteps } from './karmada-method.js';
import type { ReplicaModel } from './model.js';
import { checkReplicaShape } from './shape.js';
import type { ReplicaOptions, ReplicaSolution } from './solution.js';

/** Budget of `auto` (and of `exact` when no time limit is given) on large batches. */
export const REPLICAS_DEFAULT_TIME_LIMIT_MS = 10_000;
/** `auto` runs the MIP up to this many (workload, eligible cluster) pairs, else the greedy. */
export const REPLICAS_AUTO_MAX_PAIRS = 200_000;

/**
 * Places the replicas of every workload of the model.
 *  - `greedy`: fast constructive method (heuristic; may leave feasible workloads unplaced);
 *  - `exact`: the staged MIP, warm-started from the greedy plan, proven optimal when it ends;
 *  - `karmada`: Karmada's own division (see karmada-method.ts for what it ignores);
 *  - `auto` (default): `exact` within REPLICAS_DEFAULT_TIME_LIMIT_MS unless the model is too
 *    big for the MIP, then `greedy`.
 */
export async function solveReplicas(model: ReplicaModel, options: ReplicaOptions = {}): Promise<Result<ReplicaSolution>> {
  if (model === null || typeof model !== 'object' || model.kind !== 'replicas') {
    throw new ModelError('model', 'must be a replica model (createReplicaModel)');
  }
  checkReplicaShape(model, options);
  const method = options.method ?? 'auto';
  switch (method) {
    case 'greedy':
      return replicasGreedyAsync(model, options);
    case 'exact':
      return replicasExact(new SolveRun(options, 'replicas:exact'), model, options);
    case 'karmada': {
      const run = new SolveRun(options, 'replicas:karmada');
      return runStepsAsync(replicasKarmadaSteps(run, model), run);
    }
    case 'auto': {
      let pairs = 0;
      for (let k = 0; k < model.eligible.length; k++) pairs += model.eligible[k]!;
      if (pairs > REPLICAS_AUTO_MAX_PAIRS) return replicasGreedyAsync(model, options, 'replicas:auto');
      const opts = { ...options };
      if (opts.timeLimitMs === undefined) opts.timeLimitMs = REPLICAS_DEFAULT_TIME_LIMIT_MS;
      return replicasExact(new SolveRun(opts, 'replicas:auto'), model, opts);
    }
    default:
      throw new ModelError('options.method', `must be karmada, greedy, exact or auto, got ${JSON.stringify(method)}`);
  }
}

/** The greedy method, synchronous (sub-millisecond decisions). */
export function replicasGreedy(model: ReplicaModel, options: ReplicaOptions = {}, name = 'replicas:greedy'): Result<ReplicaSolution> {
  checkReplicaShape(model, options);
  const run = new SolveRun(options, name);
  const g = greedyPlace(model, run);
  // Infeasible workloads (evident from the data) are proven; the greedy's own failures are not.
  return replicaEnvelope(run, model, g.counts, g.status, g.reasons, { guarantee: { kind: 'heuristic' } });
}

/** The greedy method yielding to the event loop between workloads (what `solveReplicas` runs). */
async function replicasGreedyAsync(model: ReplicaModel, options: ReplicaOptions, name = 'replicas:greedy'): Promise<Result<ReplicaSolution>> {
  const run = new SolveRun(options, name);
  const g = await runStepsAsync(greedyPlaceSteps(model, run), run);
  return replicaEnvelope(run, model, g.counts, g.status, g.reasons, { guarantee: { kind: 'heuristic' } });
}
