/**
 * Karmada's choice of topology groups (`pkg/scheduler/core/spreadconstraint/select_groups.go`,
 * `selectGroups`): a depth-first search over groups sorted by size, keeping every combination of
 * minGroups..maxGroups groups whose clusters add up to the cluster spread's minGroups, then the
 * heaviest (highest score) combination, preferring a shorter prefix of it when one is feasible.
 */
import { goStringLess } from './webster.js';

/** A group (a region) with its cluster count (`value`) and score (`weight`). */
export interface KarmadaGroup {
  readonly name: string;
  readonly value: number;
  readonly weight: bigint;
}

interface Path {
  readonly id: number;
  readonly groups: KarmadaGroup[];
  readonly weight: bigint;
  readonly value: number;
}

function compareNames(a: string, b: string): number {
  return goStringLess(a, b) ? -1 : goStringLess(b, a) ? 1 : 0;
}

/** `dfsPath.sortGroups`: heavier first, then by name. */
function byWeightThenName(a: KarmadaGroup, b: KarmadaGroup): number {
  if (a.weight !== b.weight) return a.weight > b.weight ? -1 : 1;
  return compareNames(a.name, b.name);
}

/**
 * `selectGroups(groups, minConstraint, maxConstraint, target)`: the chosen groups, heaviest
 * first, or an empty list when no combination is feasible.
 */
export function karmadaSelectGroups(groups: readonly KarmadaGroup[], minConstraint: number, maxConstraint: number, target: number): KarmadaGroup[] {
  if (groups.length === 0) return [];
  const paths = findFeasiblePaths(groups, minConstraint, maxConstraint, target);
  if (paths.length === 0) return [];
  return prioritizePaths(paths).groups;
}

/** `findFeasiblePaths`, including its early stop when every group is needed for minGroups. */
function findFeasiblePaths(input: readonly KarmadaGroup[], minConstraint: number, maxConstraint: number, target: number): Path[] {
  const groups = input.slice();
  if (groups.length > 1) {
    groups.sort((a, b) => {
      if (a.value !== b.value) return a.value - b.value;
      if (a.weight !== b.weight) return a.weight > b.weight ? -1 : 1;
      return compareNames(a.name, b.name);
    });
  }
  const paths: Path[] = [];
  const current: KarmadaGroup[] = [];
  let nextId = 0;
  const dfs = (sum: number, begin: number): void => {
    if (sum >= target && current.length >= minConstraint && current.length <= maxConstraint) {
      // dfsPath.next(): the root's id is incremented first, the copy takes the new id.
      nextId++;
      const chosen = current.slice().sort(byWeightThenName);
      let weight = 0n;
      let value = 0;
      for (const g of chosen) {
        weight += g.weight;
        value += g.value;
      }
      paths.push({ id: nextId, groups: chosen, weight, value });
      return;
    }
    if (current.length >= maxConstraint) return;
    for (let i = begin; i < groups.length; i++) {
      sum += groups[i]!.value;
      current.push(groups[i]!);
      dfs(sum, i + 1);
      // Karmada stops backtracking (without undoing the step) when all groups are needed.
      if (groups.length === minConstraint) break;
      sum -= groups[i]!.value;
      current.pop();
    }
  };
  dfs(0, 0);
  return paths;
}

/** `prioritizePaths`: heaviest, then most clusters, then first found; a feasible prefix of it wins. */
function prioritizePaths(paths: Path[]): Path {
  if (paths.length === 1) return paths[0]!;
  const sorted = paths.slice().sort((a, b) => {
    if (a.weight !== b.weight) return a.weight > b.weight ? -1 : 1;
    if (a.value !== b.value) return b.value - a.value;
    return a.id - b.id;
  });
  let best = sorted[0]!;
  for (let i = 1; i < sorted.length; i++) {
    const sub = sorted[i]!;
    if (sub.groups.length < best.groups.length && sub.groups.every((g, k) => best.groups[k]!.name === g.name)) best = sub;
  }
  return best;
}
