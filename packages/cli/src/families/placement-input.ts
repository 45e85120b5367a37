import { basename } from 'node:path';
import { createPlacementModel, type PlacementModel } from '@emplace/core';
import { readOrlibCapAsync, readTextFile } from '@emplace/io';
import type { CliArgs, CliProblem } from '../family.js';
import { readFamilyInput } from '../read-input.js';
import { CliUsageError } from '../usage-error.js';

/** Instance name from a path: `cap41.txt.gz` -> `cap41`. */
export function instanceName(path: string): string {
  return basename(path).replace(/\.gz$/, '').replace(/\.[^.]*$/, '');
}

/** Reads an OR-Library cap file (capa/b/c need --capacity). */
export async function loadCap(path: string, args: CliArgs): Promise<CliProblem[]> {
  const text = await readTextFile(path);
  const inst = await readOrlibCapAsync(text, { name: instanceName(path), signal: args.signal, ...(args.capacity !== undefined ? { capacity: args.capacity } : {}) });
  return [{ instance: inst.name, model: inst.model }];
}

/** The placement formats every placement family reads; each family accepts a subset. */
export type PlacementFormat = 'orlib-pmed' | 'orlib-cap' | 'emplace-json' | 'aws-latency';

/**
 * The placement models of a file: OR-Library pmed graphs (shortest-path distances; the file's
 * p is `params.k`), OR-Library cap files, the placement models of emplace JSON, and AWS
 * inter-region latency (regions as both sites and clients; measured, so not a metric).
 */
export async function loadPlacements(family: string, path: string, args: CliArgs, formats: readonly PlacementFormat[]): Promise<CliProblem[]> {
  const options = {
    ...(args.format !== undefined ? { format: args.format } : {}),
    ...(args.capacity !== undefined ? { capacity: args.capacity } : {}),
    // A pmed file's distance closure yields and stops on Ctrl-C.
    ...(args.signal !== undefined ? { signal: args.signal } : {}),
  };
  const data = await readFamilyInput(family, path, formats, options);
  if (!(formats as readonly string[]).includes(data.format)) throw new CliUsageError(`${family} reads ${formats.join(', ')} files, not ${data.format}`);
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
      throw new CliUsageError(`${family} reads ${formats.join(', ')} files, not ${data.format}`);
  }
}

/** The file's k (p of a pmed file), for families whose `k` the command line may override. */
export function fileK(problem: CliProblem): { k?: number } {
  const k = problem.params?.['k'];
  return typeof k === 'number' ? { k } : {};
}

/** Sites, clients and a readable prefix of the open site ids for tables (the full list is in the JSON solution). */
export function describeOpen(model: PlacementModel, openIds: readonly string[] | undefined): Record<string, string | number> {
  const out: Record<string, string | number> = { sites: model.nSites, clients: model.nClients };
  if (openIds) {
    out['open'] = openIds.length;
    out['chosen'] = idList(openIds);
  }
  return out;
}

/** At most 12 ids, then `... (+n)`. */
export function idList(ids: readonly string[]): string {
  return ids.length <= 12 ? ids.join(' ') : `${ids.slice(0, 12).join(' ')} ... (+${ids.length - 12})`;
}
