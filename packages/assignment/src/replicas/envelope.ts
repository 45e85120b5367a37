import type { Certificate, Guarantee, Result, SolveRun } from '@emplace/core';
import { buildReplicaSolution } from './explain.js';
import { replicaCriteria, replicaObjective } from './metrics.js';
import type { ReplicaModel } from './model.js';
import type { ReplicaSolution } from './solution.js';

/**
 * The Result envelope of a replica plan, shared by every method. A plan where no workload
 * is placed is `infeasible` when every workload is proven infeasible (the certificate names
 * the constraint), `no-solution` when a limit stopped the method first, and otherwise a
 * solution like any other: its workloads say which are placed, infeasible or unplaced.
 */
export function replicaEnvelope(
  run: SolveRun,
  m: ReplicaModel,
  counts: Int32Array,
  status: Uint8Array,
  reasons: (string | undefined)[],
  args: {
    guarantee: Guarantee;
    bound?: number;
    proven?: boolean;
    stats?: Record<string, string | number | boolean | undefined>;
    warnings?: string[];
    /** Certificates of proven-infeasible workloads (default: the model's evident ones). */
    certificates?: (Certificate | undefined)[];
  },
): Result<ReplicaSolution> {
  const W = m.placement.nClients;
  let placed = 0;
  let infeasible = 0;
  for (let w = 0; w < W; w++) {
    if (status[w] === 0) placed++;
    else if (status[w] === 1) infeasible++;
  }
  const extra = { ...args.stats, placed, unplaced: W - placed - infeasible, infeasible };
  if (W > 0 && placed === 0) {
    if (infeasible === W) {
      const certs: Certificate[] = [];
      for (let w = 0; w < W; w++) {
        const c = args.certificates?.[w] ?? m.evident[w] ?? (reasons[w] ? { reason: reasons[w]! } : undefined);
        if (c) certs.push(c);
      }
      const certificate: Certificate = {
        reason: certs.map((c) => c.reason).join('; ') || 'no workload can be placed',
        fields: [...new Set(certs.flatMap((c) => c.fields ?? []))],
      };
      return run.unsolved({ status: 'infeasible', guarantee: args.guarantee, certificate, stats: extra, ...(args.warnings ? { warnings: args.warnings } : {}) });
    }
    // A limit came before any workload was placed: no plan to show. Without one (a heuristic
    // that placed nothing, some workload not proven infeasible), the plan that leaves every
    // workload unplaced is valid and is the answer: `no-solution` means a limit came first.
    if (run.stoppedBy() !== 'converged') {
      return run.unsolved({
        status: 'no-solution',
        guarantee: args.guarantee,
        stats: extra,
        warnings: [...(args.warnings ?? []), ...reasons.filter((r): r is string => r !== undefined)],
      });
    }
  }
  const solution = buildReplicaSolution(m, counts, status, reasons);
  const objective = replicaObjective(m, replicaCriteria(m, counts));
  return run.solved({
    solution,
    objective,
    guarantee: args.guarantee,
    ...(args.bound !== undefined ? { bound: args.bound } : {}),
    ...(args.proven !== undefined ? { proven: args.proven } : {}),
    stats: extra,
    ...(args.warnings && args.warnings.length > 0 ? { warnings: args.warnings } : {}),
  });
}
