import type { PlacementModel } from './placement.js';
import { UnionFind } from './union-find.js';

/**
 * The placement units of a model: clients joined by affinity, transitively. Affinity groups
 * that share a client are one unit ({0,1} and {1,2} put 0, 1 and 2 on one site), so the units
 * are the connected components of the graph whose edges are the groups; a client in no group
 * is a unit alone.
 *
 * Units are numbered by their smallest client, and members are listed in increasing client
 * order, so the numbering depends only on the partition, not on how the groups were written.
 */
export interface AffinityUnits {
  /** Number of units. */
  readonly count: number;
  /** `unitOf[j]`: the unit of client j. */
  readonly unitOf: Int32Array;
  /** Members of unit u are `members[start[u] .. start[u + 1])` (CSR, `count + 1` offsets). */
  readonly start: Int32Array;
  readonly members: Int32Array;
  /** `units[u]`: the members of unit u, a view into `members`. */
  readonly units: readonly Int32Array[];
}

/** Derives the affinity units of a placement model by union-find over its affinity groups. */
export function affinityUnits(model: Pick<PlacementModel, 'nClients' | 'affinity'>): AffinityUnits {
  const n = model.nClients;
  const sets = new UnionFind(n);
  for (const g of model.affinity) for (let t = 1; t < g.length; t++) sets.union(g[0]!, g[t]!);
  const unitOf = new Int32Array(n);
  const rootUnit = new Int32Array(n).fill(-1);
  let count = 0;
  for (let j = 0; j < n; j++) {
    const r = sets.find(j);
    if (rootUnit[r] === -1) rootUnit[r] = count++;
    unitOf[j] = rootUnit[r]!;
  }
  const start = new Int32Array(count + 1);
  for (let j = 0; j < n; j++) start[unitOf[j]! + 1]!++;
  for (let u = 0; u < count; u++) start[u + 1]! += start[u]!;
  const members = new Int32Array(n);
  const fill = start.slice(0, count);
  for (let j = 0; j < n; j++) members[fill[unitOf[j]!]!++] = j;
  const units: Int32Array[] = new Array(count);
  for (let u = 0; u < count; u++) units[u] = members.subarray(start[u]!, start[u + 1]!);
  return { count, unitOf, start, members, units };
}
