import { createPlacementModel, ModelError, type PlacementModel, type Result } from '@emplace/core';
import type { KCenterOptions, KCenterSolution } from '@emplace/kcenter';
import { solveKCenter } from '@emplace/kcenter';
import type { CliArgs, CliFamily, CliProblem } from '../family.js';
import { CAPACITY_OPTION, K_OPTION } from '../family.js';
import { CliUsageError } from '../usage-error.js';
import { readFamilyInput } from '../read-input.js';

const FORMATS = ['orlib-pmed', 'emplace-json', 'orlib-cap', 'aws-latency'];

const METHODS = ['auto', 'exact', 'gonzalez', 'hochbaum-shmoys', 'local', 'outliers', 'capacitated'] as const;
type Method = (typeof METHODS)[number];

/**
 * Problems of a k-center file: OR-Library pmed graphs (shortest-path distances, k = p),
 * placement models of emplace JSON, OR-Library cap files (capacitated), and AWS
 * inter-region latency (regions as both sites and clients; measured, so not a metric).
 */
async function load(path: string, args: CliArgs): Promise<CliProblem[]> {
  const data = await readFamilyInput('kcenter', path, FORMATS, { ...(args.format !== undefined ? { format: args.format } : {}), ...(args.capacity !== undefined ? { capacity: args.capacity } : {}) });
  switch (data.format) {
    case 'orlib-pmed':
      return [{ instance: data.name, model: data.data.model, params: { k: data.data.p, n: data.data.n } }];
    case 'orlib-cap':
      return [{ instance: data.name, model: data.data.model, params: {} }];
    case 'emplace-json':
      return data.data.flatMap((item) => (item.kind === 'placement' ? [{ instance: item.name, model: item.model, params: {} }] : []));
    case 'aws-latency': {
      const { regions, matrix } = data.data;
      const model = createPlacementModel({ sites: regions.map((id) => ({ id })), clients: regions.map((id) => ({ id })), cost: matrix });
      return [{ instance: data.name, model, params: {} }];
    }
    default:
      throw new CliUsageError(`kcenter reads orlib-pmed, orlib-cap, emplace-json (placement) or aws-latency files, not ${data.format}`);
  }
}

async function solve(problem: CliProblem, args: CliArgs): Promise<Result<unknown>> {
  const method = (args.method ?? 'auto') as Method;
  if (!METHODS.includes(method)) throw new ModelError('--method', `must be one of ${METHODS.join(', ')}, got ${JSON.stringify(args.method)}`);
  const k = args.k ?? (problem.params?.['k'] as number | undefined);
  if (k === undefined) throw new ModelError('--k', `is required for ${problem.instance} (the file gives no number of centres)`);
  const options: KCenterOptions = { k };
  if (args.outliers !== undefined) options.outliers = args.outliers;
  if (args.timeLimitMs !== undefined) options.timeLimitMs = args.timeLimitMs;
  if (args.seed !== undefined) options.seed = args.seed;
  if (args.signal !== undefined) options.signal = args.signal;
  if (args.onProgress !== undefined) options.onProgress = args.onProgress;
  if (args.extra['uncapacitated'] === true) options.capacitated = false;
  return solveKCenter(problem.model as PlacementModel, { ...options, method });
}

export const families: CliFamily[] = [
  {
    name: 'kcenter',
    description: 'k-center / p-center: open k sites minimising the largest (weighted) client distance; outliers, capacities',
    formats: FORMATS,
    methods: METHODS,
    options: [
      K_OPTION,
      { name: 'outliers', type: 'integer', min: 0, description: 'number of clients that may be left unserved (k-center with outliers)' },
      CAPACITY_OPTION,
      { name: 'uncapacitated', type: 'boolean', description: 'ignore site capacities of the file' },
    ],
    load,
    solve,
    describe(problem: CliProblem, result: Result<unknown>) {
      const m = problem.model as PlacementModel;
      const out: Record<string, string | number | boolean | null> = { sites: m.nSites, clients: m.nClients };
      const k = problem.params?.['k'];
      if (typeof k === 'number') out['p'] = k;
      if (result.solution) {
        const s = result.solution as KCenterSolution;
        out['radius'] = s.radius;
        out['open'] = s.open.length;
        // The full list is in the JSON solution; the table keeps a readable prefix.
        out['centres'] = s.openIds.length <= 12 ? s.openIds.join(' ') : `${s.openIds.slice(0, 12).join(' ')} ... (+${s.openIds.length - 12})`;
        if (s.outliers.length > 0) out['outliers'] = s.outliers.length;
      }
      return out;
    },
  },
];
