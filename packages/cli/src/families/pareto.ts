import { ModelError, type PlacementModel, type Result } from '@emplace/core';
import {
  solvePlacementFront,
  type PlacementFrontSolution,
  type PlacementObjective,
  type ExactPlacementOptions,
  type PlacementEvolutionOptions,
} from '@emplace/pareto';
import type { CliArgs, CliFamily, CliProblem } from '../family.js';
import { CAPACITY_OPTION } from '../family.js';
import { CliUsageError } from '../usage-error.js';
import { readFamilyInput } from '../read-input.js';

const METHODS = ['auto', 'epsilon-constraint', 'evolutionary', 'nsga2', 'nsga3'] as const;
type Method = (typeof METHODS)[number];

/**
 * Placement fronts: emplace JSON placement models (default objectives cost, latency and,
 * when sites carry a domain/zone/region label, domains) or an OR-Library cap file
 * (objectives cost and max latency, latency = the cost matrix). Extra flags:
 * --objectives cost,latency,domains  --latency cost|unit-cost  --domain-label L
 * --evaluations N (evolutionary budget, default 20000)  --population N.
 */
async function load(path: string, args: CliArgs): Promise<CliProblem[]> {
  const opts = { ...(args.format !== undefined ? { format: args.format } : {}), ...(args.capacity !== undefined ? { capacity: args.capacity } : {}) };
  const data = await readFamilyInput('pareto', path, ['emplace-json', 'orlib-cap'], opts);
  switch (data.format) {
    case 'orlib-cap':
      return [{ instance: data.name, model: data.data.model, params: { objectives: ['cost', 'latency'] } }];
    case 'emplace-json':
      return data.data.flatMap((item) => {
        if (item.kind !== 'placement') return [];
        const m = item.model as PlacementModel;
        const labelled = m.siteLabels.some((s) => s['domain'] !== undefined || s['zone'] !== undefined || s['region'] !== undefined);
        return [{ instance: item.name, model: m, params: { objectives: labelled ? ['cost', 'latency', 'domains'] : ['cost', 'latency'] } }];
      });
    default:
      throw new CliUsageError(`pareto reads emplace-json (placement) or orlib-cap files, not ${data.format}`);
  }
}

function objectivesOf(problem: CliProblem, args: CliArgs): PlacementObjective[] {
  const flag = args.extra['objectives'];
  if (typeof flag === 'string') {
    return flag.split(',').map((s, k) => {
      const o = s.trim();
      if (o !== 'cost' && o !== 'latency' && o !== 'domains') throw new ModelError(`--objectives[${k}]`, `must be cost, latency or domains, got ${JSON.stringify(o)}`);
      return o;
    });
  }
  return (problem.params?.['objectives'] as PlacementObjective[] | undefined) ?? ['cost', 'latency'];
}

function intFlag(args: CliArgs, name: string): number | undefined {
  const v = args.extra[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new ModelError(`--${name}`, `must be a positive integer, got ${JSON.stringify(v)}`);
  return n;
}

async function solve(problem: CliProblem, args: CliArgs): Promise<Result<unknown>> {
  const method = (args.method ?? 'auto') as Method;
  if (!METHODS.includes(method)) throw new ModelError('--method', `must be one of ${METHODS.join(', ')}, got ${JSON.stringify(args.method)}`);
  const model = problem.model as PlacementModel;
  const objectives = objectivesOf(problem, args);
  const options: PlacementEvolutionOptions & ExactPlacementOptions = { objectives };
  if (args.timeLimitMs !== undefined) options.timeLimitMs = args.timeLimitMs;
  if (args.seed !== undefined) options.seed = args.seed;
  if (args.signal !== undefined) options.signal = args.signal;
  if (args.onProgress !== undefined) options.onProgress = args.onProgress;
  const latency = args.extra['latency'];
  if (latency !== undefined) {
    if (latency !== 'cost' && latency !== 'unit-cost') throw new ModelError('--latency', `must be cost or unit-cost, got ${JSON.stringify(latency)}`);
    options.latency = latency;
  }
  const label = args.extra['domain-label'];
  if (typeof label === 'string') options.domainLabel = label;
  const evaluations = intFlag(args, 'evaluations');
  if (evaluations !== undefined) options.maxEvaluations = evaluations;
  const population = intFlag(args, 'population');
  if (population !== undefined) options.populationSize = population;
  return solvePlacementFront(model, { ...options, method: method === 'epsilon-constraint' ? 'exact' : method === 'auto' ? 'auto' : 'evolutionary' });
}

export const families: CliFamily[] = [
  {
    name: 'pareto',
    description: 'Pareto front of placements: cost vs max latency (vs failure domains); exact epsilon-constraint or NSGA-II/III',
    formats: ['emplace-json', 'orlib-cap'],
    methods: METHODS,
    options: [
      { name: 'objectives', type: 'string', value: 'cost,latency[,domains]', description: 'objectives to trade off (default cost,latency)' },
      { name: 'latency', type: 'string', choices: ['cost', 'unit-cost'], description: 'what the latency objective reads' },
      { name: 'domain-label', type: 'string', value: 'L', description: 'site label naming the failure domain (domains objective)' },
      { name: 'evaluations', type: 'integer', min: 1, description: 'NSGA: evaluation budget' },
      { name: 'population', type: 'integer', min: 1, description: 'NSGA: population size' },
      CAPACITY_OPTION,
    ],
    load,
    solve,
    describe(problem: CliProblem, result: Result<unknown>) {
      const m = problem.model as PlacementModel;
      const out: Record<string, string | number | boolean | null> = { sites: m.nSites, clients: m.nClients };
      if (result.solution) {
        const s = result.solution as PlacementFrontSolution;
        out['objectives'] = s.objectiveNames.join(',');
        out['frontSize'] = s.points.length;
        out['hypervolume'] = s.hypervolume;
        out['referencePoint'] = s.referencePoint.map((v) => Number(v.toPrecision(8))).join(',');
        out['complete'] = s.complete;
      }
      return out;
    },
  },
];
