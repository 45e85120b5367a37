import type { MethodTableInfo, PlacementModel, Result, Sense } from '@emplace/core';
import { GAP_TABLE, readReplicaJson, readScheduleJson, REPLICAS_TABLE, SCHEDULE_TABLE, type GapSolution, type ReplicaModel, type ReplicaSolution, type ScheduleModel, type ScheduleSolution } from '@emplace/assignment';
import { readOrlibGapAsync, readTextFile } from '@emplace/io';
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
    const problems = await readOrlibGapAsync(await readTextFile(path), { name: instanceName(path), signal: args.signal });
    return problems.map((p) => ({ instance: p.name, model: p.model, params: { sense } }));
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

/** A family reading emplace JSON models (docs/<name>-format.md): the size of the model, then the fields of a solution. */
function jsonFamily<M, S>(spec: {
  name: string;
  description: string;
  table: MethodTableInfo;
  reader: (text: string, name: string) => { name: string; model: M }[];
  size: (model: M) => Row;
  fields: (solution: S) => Row;
}): CliFamily {
  return tableFamily({
    name: spec.name,
    description: spec.description,
    formats: ['emplace-json'],
    methods: methodsOf(spec.table),
    load: loadJson(spec.reader),
    describe(problem: CliProblem, result: Result<unknown>) {
      const out = spec.size(problem.model as M);
      if (result.solution) Object.assign(out, spec.fields(result.solution as S));
      return certificateOf(result, out);
    },
  });
}

const schedule = jsonFamily<ScheduleModel, ScheduleSolution>({
  name: 'schedule',
  description: 'multi-cluster scheduling (emplace JSON, docs/schedule-format.md)',
  table: SCHEDULE_TABLE,
  reader: readScheduleJson,
  size: (m) => ({ workloads: m.placement.nClients, clusters: m.placement.nSites }),
  fields: (s) => ({ serving: s.serving, network: s.network, compliance: s.compliance, migration: s.migration, moved: s.moved }),
});

const replicas = jsonFamily<ReplicaModel, ReplicaSolution>({
  name: 'replicas',
  description: 'replica placement: replicas per workload and cluster (emplace JSON, docs/replicas-format.md)',
  table: REPLICAS_TABLE,
  reader: readReplicaJson,
  size: (m) => ({ workloads: m.placement.nClients, clusters: m.placement.nSites }),
  fields: (s) => ({
    cost: s.cost,
    clustersUsed: s.clustersUsed,
    imbalance: s.imbalance,
    moved: s.moved,
    worstDomainLoss: s.worstDomainLoss,
    placed: s.workloads.filter((w) => w.status === 'placed').length,
  }),
});

export const families: CliFamily[] = [gap, schedule, replicas];
