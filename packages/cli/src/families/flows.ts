import { dirname, isAbsolute, resolve } from 'node:path';
import { ModelError, type Graph, type Result } from '@emplace/core';
import {
  LINK_UPGRADE_TABLE,
  MCF_TABLE,
  MINCOSTFLOW_TABLE,
  trafficFromDocument,
  type FlowNetwork,
  type LinkUpgradeSolution,
  type McfSolution,
  type MinCostFlowSolution,
  type TrafficDocument,
  type TrafficSpec,
} from '@emplace/flows';
import { baseName, readDimacsMinCostAsync, readInstanceFile, readTextFile } from '@emplace/io';
import type { CliArgs, CliFamily, CliProblem } from '../family.js';
import { CliUsageError } from '../usage-error.js';
import { graphsOf } from './graph-input.js';
import { methodsOf, tableFamily } from './table-family.js';

type Row = Record<string, string | number | boolean | null>;

/** Refuses a --format the family does not read (it reads one format, not detected). */
function onlyFormat(family: string, format: string, args: CliArgs, what: string): void {
  if (args.format !== undefined && args.format !== format) throw new CliUsageError(`${family} reads ${what} (--format ${format}), got ${args.format}`);
}

/** A traffic-matrix JSON: demands per class over a graph given inline or as a file in any graph format. */
async function loadTraffic(path: string, args: CliArgs): Promise<CliProblem[]> {
  onlyFormat('mcf', 'traffic-json', args, 'a traffic-matrix JSON');
  let doc: TrafficDocument;
  try {
    doc = JSON.parse(await readTextFile(path)) as TrafficDocument;
  } catch (err) {
    if (err instanceof SyntaxError) throw new CliUsageError(`${path}: not JSON (${err.message})`);
    throw err;
  }
  let graph: Graph | undefined;
  if (typeof doc.graph === 'string') {
    const file = isAbsolute(doc.graph) ? doc.graph : resolve(dirname(path), doc.graph);
    const graphs = graphsOf(await readInstanceFile(file, doc.graphFormat));
    if (graphs.length === 0) throw new ModelError('graph', `${doc.graph} holds no graph`);
    graph = graphs[0]!.graph;
  }
  return [{ instance: baseName(path) ?? 'mcf', model: trafficFromDocument(doc, graph) }];
}

export const families: CliFamily[] = [
  tableFamily({
    name: 'mincostflow',
    description: 'Minimum-cost flow on a directed network (DIMACS "p min" files: supplies, lower bounds, capacities, costs): network simplex with potentials',
    formats: ['dimacs-mincost'],
    methods: methodsOf(MINCOSTFLOW_TABLE),
    async load(path: string, args: CliArgs): Promise<CliProblem[]> {
      onlyFormat('mincostflow', 'dimacs-mincost', args, 'DIMACS min-cost files');
      const name = baseName(path) ?? 'mincostflow';
      const inst = await readDimacsMinCostAsync(await readTextFile(path), { name, source: path, signal: args.signal });
      return [{ instance: name, model: inst.network }];
    },
    describe(problem: CliProblem, result: Result<unknown>) {
      const net = problem.model as FlowNetwork;
      const out: Row = { nodes: net.n, arcs: net.m };
      if (result.solution) {
        const s = result.solution as MinCostFlowSolution;
        out['arcsUsed'] = s.flow.reduce((used, f) => used + (f !== 0 ? 1 : 0), 0);
        out['integral'] = s.integral;
      }
      if (result.stats['pivots'] !== undefined) out['pivots'] = result.stats['pivots'] as number;
      return out;
    },
  }),
  tableFamily({
    name: 'mcf',
    description: 'Multi-commodity flow on a traffic-matrix JSON (graph file + demands per class): min-cost LP, max-concurrent LP, Garg-Koenemann, link upgrade planning',
    formats: ['traffic-json'],
    // Link upgrade planning reads the same document (its unitCost and moduleSize): `--method upgrade`.
    methods: [...methodsOf(MCF_TABLE), ...methodsOf(LINK_UPGRADE_TABLE, { rename: { auto: 'upgrade' } })],
    load: loadTraffic,
    model: (problem) => (problem.model as TrafficSpec).problem,
    problemOptions(problem, args) {
      const spec = problem.model as TrafficSpec;
      if (args.method !== 'upgrade') return {};
      if (!spec.unitCost) throw new CliUsageError('--method upgrade needs "unitCost" in the traffic document');
      return { unitCost: spec.unitCost, ...(spec.moduleSize !== undefined ? { moduleSize: spec.moduleSize } : {}) };
    },
    describe(problem: CliProblem, result: Result<unknown>) {
      const p = (problem.model as TrafficSpec).problem;
      const out: Row = { nodes: p.graph.n, edges: p.graph.m, commodities: p.demand.length };
      if (result.solution) {
        const s = result.solution as McfSolution | LinkUpgradeSolution;
        const routing = 'routing' in s ? s.routing : s;
        let maxUtil = 0;
        for (const u of routing.utilization) maxUtil = Math.max(maxUtil, u);
        out['lambda'] = routing.lambda;
        out['maxUtilization'] = maxUtil;
        if ('upgrades' in s) out['upgradedLinks'] = s.upgrades.length;
      }
      return out;
    },
  }),
];
