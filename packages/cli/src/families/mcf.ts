import { dirname, isAbsolute, resolve } from 'node:path';
import { ModelError, type Graph, type Result } from '@emplace/core';
import {
  solveLinkUpgrade,
  solveMcfApprox,
  solveMcfLp,
  trafficFromDocument,
  type LinkUpgradeSolution,
  type McfSolution,
  type TrafficDocument,
  type TrafficSpec,
} from '@emplace/flows';
import { baseName, readInstanceFile, readTextFile } from '@emplace/io';
import { solveOptions, type CliArgs, type CliFamily, type CliProblem } from '../family.js';
import { graphsOf } from './graph-input.js';
import { CliUsageError } from '../usage-error.js';

const METHODS = ['lp', 'concurrent-lp', 'garg-konemann', 'upgrade'] as const;

/** The `mcf` family of `emplace solve`: a traffic-matrix JSON over a graph file in any graph format. */
export const families: CliFamily[] = [
  {
    name: 'mcf',
    description: 'Multi-commodity flow on a traffic-matrix JSON (graph file + demands per class): min-cost LP, max-concurrent LP, Garg-Koenemann, link upgrade planning',
    formats: ['traffic-json'],
    methods: ['auto', ...METHODS],
    options: [{ name: 'epsilon', type: 'number', min: 0.02, description: 'accuracy of garg-konemann (default 0.1): within (1 - eps)^-3' }],
    async load(path: string, args: CliArgs): Promise<CliProblem[]> {
      if (args.format !== undefined && args.format !== 'traffic-json') throw new CliUsageError(`mcf reads a traffic-matrix JSON (--format traffic-json), got ${args.format}`);
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
      const spec = trafficFromDocument(doc, graph);
      return [{ instance: baseName(path) ?? 'mcf', model: spec }];
    },
    async solve(problem: CliProblem, args: CliArgs): Promise<Result<unknown>> {
      const spec = problem.model as TrafficSpec;
      const method = args.method ?? 'auto';
      const opts = solveOptions(args);
      switch (method) {
        case 'auto':
        case 'lp':
          return solveMcfLp(spec.problem, { ...opts, objective: 'min-cost' });
        case 'concurrent-lp':
          return solveMcfLp(spec.problem, { ...opts, objective: 'max-concurrent' });
        case 'garg-konemann': {
          const eps = args.extra['epsilon'];
          return solveMcfApprox(spec.problem, { ...opts, ...(eps !== undefined ? { epsilon: Number(eps) } : {}) });
        }
        case 'upgrade':
          if (!spec.unitCost) throw new CliUsageError('--method upgrade needs "unitCost" in the traffic document');
          return solveLinkUpgrade(spec.problem, { ...opts, unitCost: spec.unitCost, ...(spec.moduleSize !== undefined ? { moduleSize: spec.moduleSize } : {}) });
        default:
          throw new CliUsageError(`--method must be one of auto, ${METHODS.join(', ')}; got ${JSON.stringify(method)}`);
      }
    },
    describe(problem: CliProblem, result: Result<unknown>) {
      const p = (problem.model as TrafficSpec).problem;
      const out: Record<string, string | number | boolean | null> = { nodes: p.graph.n, edges: p.graph.m, commodities: p.demand.length };
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
  },
];
