import { createPlacementModel, type PlacementModel, type ProgressEvent, type SolveOptions } from '@emplace/core';
import { readInstanceFile } from '@emplace/io';
import type { CliArgs, CliProblem } from '../family.js';
import { CliUsageError } from '../usage-error.js';

/**
 * Input of the coverage families (lscp, mclp, pdispersion, survivable): the files k-center
 * reads. An OR-Library pmed file makes every vertex a client of demand 1 and a candidate
 * site, at shortest-path distances (p of the file is the default --k); an emplace JSON
 * file gives its placement models; the AWS latency file gives regions as sites and clients.
 */
export async function loadCoverageInput(path: string, args: CliArgs, family: string): Promise<CliProblem[]> {
  const data = await readInstanceFile(path, args.format !== undefined ? { format: args.format } : undefined);
  switch (data.format) {
    case 'orlib-pmed':
      return [{ instance: data.name, model: data.data.model, params: { k: data.data.p, n: data.data.n } }];
    case 'emplace-json':
      return data.data.flatMap((item) => (item.kind === 'placement' ? [{ instance: item.name, model: item.model, params: {} }] : []));
    case 'aws-latency': {
      const { regions, matrix } = data.data;
      const model = createPlacementModel({ sites: regions.map((id) => ({ id })), clients: regions.map((id) => ({ id })), cost: matrix });
      return [{ instance: data.name, model, params: {} }];
    }
    default:
      throw new CliUsageError(`${family} reads orlib-pmed, emplace-json (placement) or aws-latency files, not ${data.format}`);
  }
}

/** `--radius R` (required): a non-negative number. */
export function radiusArg(args: CliArgs, family: string, what = 'the coverage radius'): number {
  const raw = args.extra['radius'];
  if (raw === undefined || raw === true || raw === false) throw new CliUsageError(`${family} needs --radius <R> (${what}, in the file's distance unit)`);
  const r = Number(raw);
  if (!(r >= 0)) throw new CliUsageError(`--radius must be a non-negative number, got ${JSON.stringify(raw)}`);
  return r;
}

/** `--k P`, else p of the file. */
export function kArg(args: CliArgs, problem: CliProblem, family: string): number {
  const k = args.k ?? (problem.params?.['k'] as number | undefined);
  if (k === undefined) throw new CliUsageError(`${family} needs --k <P> for ${problem.instance} (the file gives no number of sites)`);
  return k;
}

/** Time limit, seed, abort signal and progress from the command line. */
export function commonOptions(args: CliArgs): SolveOptions {
  // signal / onProgress exist on CliArgs once the CLI forwards SIGINT and progress.
  const a = args as CliArgs & { signal?: AbortSignal; onProgress?: (e: ProgressEvent) => void };
  const o: SolveOptions = {};
  if (a.timeLimitMs !== undefined) o.timeLimitMs = a.timeLimitMs;
  if (a.seed !== undefined) o.seed = a.seed;
  if (a.signal !== undefined) o.signal = a.signal;
  if (a.onProgress !== undefined) o.onProgress = a.onProgress;
  return o;
}

/** Sites, clients and a readable prefix of the open site ids for tables. */
export function describeOpen(model: PlacementModel, openIds: readonly string[] | undefined): Record<string, string | number> {
  const out: Record<string, string | number> = { sites: model.nSites, clients: model.nClients };
  if (openIds) out['open'] = openIds.length;
  if (openIds) out['chosen'] = openIds.length <= 12 ? openIds.join(' ') : `${openIds.slice(0, 12).join(' ')} ... (+${openIds.length - 12})`;
  return out;
}

export const RADIUS_OPTION = { name: 'radius', type: 'number', min: 0, value: 'R', required: true, description: 'coverage radius: a site covers a client at distance <= R' } as const;
export const K_OPT = { name: 'k', type: 'integer', min: 0, value: 'P', description: 'number of sites (default: p of a pmed file)' } as const;
