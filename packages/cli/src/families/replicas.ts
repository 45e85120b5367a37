import { basename } from 'node:path';
import { ModelError, type Result } from '@emplace/core';
import { readReplicaJson, solveReplicas, type ReplicaMethod, type ReplicaModel, type ReplicaSolution } from '@emplace/assignment';
import { readTextFile } from '@emplace/io';
import { solveOptions, type CliArgs, type CliFamily, type CliProblem } from '../family.js';

/** `emplace solve replicas <file.json> [--method karmada|greedy|exact|auto]` (docs/replicas-format.md). */
const METHODS: readonly ReplicaMethod[] = ['auto', 'greedy', 'exact', 'karmada'];

export const families: CliFamily[] = [
  {
    name: 'replicas',
    description: 'replica placement: replicas per workload and cluster (emplace JSON, docs/replicas-format.md)',
    formats: ['emplace-json'],
    methods: [...METHODS],
    options: [],
    async load(path: string): Promise<CliProblem[]> {
      const name = basename(path).replace(/\.gz$/, '').replace(/\.[^.]*$/, '');
      const text = await readTextFile(path);
      return readReplicaJson(text, name).map((p) => ({ instance: p.name, model: p.model }));
    },
    async solve(problem: CliProblem, args: CliArgs): Promise<Result<unknown>> {
      const method = (args.method ?? 'auto') as ReplicaMethod;
      if (!METHODS.includes(method)) throw new ModelError('--method', `unknown replicas method ${JSON.stringify(args.method)} (${METHODS.join(', ')})`);
      return solveReplicas(problem.model as ReplicaModel, { ...solveOptions(args), method });
    },
    describe(problem: CliProblem, result: Result<unknown>) {
      const m = problem.model as ReplicaModel;
      const out: Record<string, string | number | boolean | null> = { workloads: m.W, clusters: m.C };
      if (result.solution) {
        const s = result.solution as ReplicaSolution;
        out['cost'] = s.cost;
        out['clustersUsed'] = s.clustersUsed;
        out['imbalance'] = s.imbalance;
        out['moved'] = s.moved;
        out['worstDomainLoss'] = s.worstDomainLoss;
        out['placed'] = s.workloads.filter((w) => w.status === 'placed').length;
      }
      if (result.status === 'infeasible' && result.certificate) out['certificate'] = result.certificate.reason;
      return out;
    },
  },
];
