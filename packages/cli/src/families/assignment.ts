import type { PlacementModel, Result, Sense } from '@emplace/core';
import { GAP_TABLE, readReplicaJson, readScheduleJson, REPLICAS_TABLE, SCHEDULE_TABLE, type GapSolution, type ReplicaModel, type ReplicaSolution, type ScheduleModel, type ScheduleSolution } from '@emplace/assignment';
import { readOrlibGap, readTextFile } from '@emplace/io';
import type { CliArgs, CliFamily, CliProblem } from '../family.js';
import { instanceName } from './placement-input.js';
import { methodsOf, tableFamily } from './table-family.js';

type Row = Record<string, string | number | boolean | null>;

/** The models of an emplace JSON file read by `reader` (scheduling, replicas), one problem each. */
function loadJson<M>(reader: (text: string, name: string) => { name: string; model: M }[]) {
  return async (path: string): Promise<CliProblem[]> => reader(await readTextFile(path), instanceName(path)).map((p) => ({ instance: p.name, model: p.model }));
}

/** The infeasibility certificate's reason, when there is one. */
function certificateOf(result: Result<unknown>, out: Row): Row {
  if (result.status === 'infeasible' && result.certificate) out['certificate'] = result.certificate.reason;
  return out;
}

/**
 * `emplace solve gap <file>`: OR-Library GAP files (several problems per file, one result line
 * each). The file does not say whether to minimise or maximise, so `--sense` is required: `min`
 * for gapa..gapd (Chu-Beasley), `max` for OR-Library gap1..gap12.
 */
const gap = tableFamily({
  name: 'gap',
  description: 'generalized assignment (OR-Library gap files; --sense max for gap1..gap12, min for gapa..gapd)',
  formats: ['orlib-gap'],
  methods: methodsOf(GAP_TABLE),
  inputOptions: [{ name: 'sense', type: 'string', choices: ['min', 'max'], required: true, description: 'minimise or maximise: OR-Library gap1..gap12 are max, gapa..gapd min (the file does not say)' }],
  async load(path: string, args: CliArgs): Promise<CliProblem[]> {
    const sense = args.extra['sense'] === 'max' ? 'max' : 'min';
    return readOrlibGap(await readTextFile(path), { name: instanceName(path) }).map((p) => ({ instance: p.name, model: p.model, params: { sense } }));
  },
  problemOptions: (problem) => ({ sense: problem.params?.['sense'] as Sense | undefined }),
  describe(problem: CliProblem, result: Result<unknown>) {
    const m = problem.model as PlacementModel;
    const out: Row = { sense: (problem.params?.['sense'] as string | undefined) ?? 'min', agents: m.nSites, jobs: m.nClients };
    for (const key of ['lagrangianBound', 'nodes'] as const) {
      const v = result.stats[key];
      if (typeof v === 'number') out[key] = v;
    }
    if (result.solution) out['maxLoad'] = Math.max(...(result.solution as GapSolution).load);
    return out;
  },
});

const schedule = tableFamily({
  name: 'schedule',
  description: 'multi-cluster scheduling (emplace JSON, docs/schedule-format.md)',
  formats: ['emplace-json'],
  methods: methodsOf(SCHEDULE_TABLE),
  load: loadJson(readScheduleJson),
  describe(problem: CliProblem, result: Result<unknown>) {
    const m = problem.model as ScheduleModel;
    const out: Row = { workloads: m.placement.nClients, clusters: m.placement.nSites };
    if (result.solution) {
      const s = result.solution as ScheduleSolution;
      Object.assign(out, { serving: s.serving, network: s.network, compliance: s.compliance, migration: s.migration, moved: s.moved });
    }
    return certificateOf(result, out);
  },
});

const replicas = tableFamily({
  name: 'replicas',
  description: 'replica placement: replicas per workload and cluster (emplace JSON, docs/replicas-format.md)',
  formats: ['emplace-json'],
  methods: methodsOf(REPLICAS_TABLE),
  load: loadJson(readReplicaJson),
  describe(problem: CliProblem, result: Result<unknown>) {
    const m = problem.model as ReplicaModel;
    const out: Row = { workloads: m.W, clusters: m.C };
    if (result.solution) {
      const s = result.solution as ReplicaSolution;
      Object.assign(out, { cost: s.cost, clustersUsed: s.clustersUsed, imbalance: s.imbalance, moved: s.moved, worstDomainLoss: s.worstDomainLoss });
      out['placed'] = s.workloads.filter((w) => w.status === 'placed').length;
    }
    return certificateOf(result, out);
  },
});

export const families: CliFamily[] = [gap, schedule, replicas];
