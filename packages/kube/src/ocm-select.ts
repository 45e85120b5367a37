import type { ManagedCluster, ClusterSet, OcmPlacement, OcmWorld } from './ocm-read.js';
import { CLUSTERSET_LABEL } from './ocm-read.js';
import { quantityToNumber } from './quantity.js';
import { requirementMatches, selectorMatches, tolerates } from './selector.js';

/** Which managed clusters an OCM Placement may take, and which of them emplace picks. */

function setMembers(set: ClusterSet, clusters: readonly ManagedCluster[]): ManagedCluster[] {
  if (set.selectorType === 'LabelSelector') return clusters.filter((c) => !set.labelSelector || selectorMatches(set.labelSelector, c.labels));
  return clusters.filter((c) => c.labels[CLUSTERSET_LABEL] === set.name);
}

/** The clusters a placement may select, and why each other cluster is out. */
export function eligibleClusters(p: OcmPlacement, w: OcmWorld): { eligible: ManagedCluster[]; rejected: Map<string, string> } {
  const ns = p.object.metadata.namespace ?? '';
  const bound = w.bindings.get(ns) ?? new Set<string>();
  const sets = (p.clusterSets.length > 0 ? p.clusterSets.filter((s) => bound.has(s)) : [...bound]).map((n) => w.sets.find((s) => s.name === n)).filter((s): s is ClusterSet => s !== undefined);
  const inSets = new Set(sets.flatMap((s) => setMembers(s, w.clusters)).map((c) => c.name));
  const rejected = new Map<string, string>();
  const eligible: ManagedCluster[] = [];
  for (const c of w.clusters) {
    if (!inSets.has(c.name)) {
      rejected.set(c.name, 'not in a cluster set bound to the namespace');
      continue;
    }
    const pred = p.predicates.length === 0 || p.predicates.some((pr) => (!pr.labelSelector || selectorMatches(pr.labelSelector, c.labels)) && pr.claims.every((r) => requirementMatches(r, c.claims)));
    if (!pred) {
      rejected.set(c.name, 'does not match any predicate');
      continue;
    }
    const taint = c.taints.find((t) => (t.effect === 'NoSelect' || (t.effect === 'NoSelectIfNew' && !p.current.has(c.name))) && !p.tolerations.some((tol) => tolerates(tol, t)));
    if (taint) {
      rejected.set(c.name, `untolerated taint ${taint.key}:${taint.effect}`);
      continue;
    }
    eligible.push(c);
  }
  return { eligible, rejected };
}

/**
 * emplace's score of a cluster for a placement: cheaper first when clusters carry prices
 * (price of one cpu core + one GiB), else more allocatable cpu and memory (the fraction of
 * capacity that is allocatable, as OCM's ResourceAllocatable prioritizers), PreferNoSelect
 * taints last, clusters already chosen kept on ties (steady).
 */
export function clusterScore(c: ManagedCluster, p: OcmPlacement, priced: boolean): number {
  const penalty = c.taints.some((t) => t.effect === 'PreferNoSelect' && !p.tolerations.some((tol) => tolerates(tol, t))) ? 1e6 : 0;
  const steady = p.current.has(c.name) ? -1e-9 : 0;
  if (priced) return -((c.price.cpu ?? 0) + (c.price.memory ?? 0)) - penalty + steady * -1;
  const frac = (r: string): number => {
    const a = c.allocatable.get(r);
    const cap = c.capacity.get(r);
    return a === undefined || cap === undefined || cap === 0n ? 0 : quantityToNumber(a) / quantityToNumber(cap);
  };
  return frac('cpu') + frac('memory') - penalty - steady;
}

function groupOf(c: ManagedCluster, s: OcmPlacement['spread'][number]): string | undefined {
  return s.topologyKeyType === 'Claim' ? c.claims[s.topologyKey] : c.labels[s.topologyKey];
}

/**
 * Picks numberOfClusters clusters (all eligible when unset) by score, keeping every
 * spread constraint's skew (largest minus smallest group count over its groups) within
 * maxSkew: at each step it takes the best cluster among the groups with the fewest chosen.
 */
export function selectClusters(p: OcmPlacement, eligible: readonly ManagedCluster[]): { chosen: { cluster: ManagedCluster; reason: string }[]; unsatisfied?: string } {
  const priced = eligible.some((c) => Object.keys(c.price).length > 0);
  const scored = eligible.map((c) => ({ c, score: clusterScore(c, p, priced) })).sort((a, b) => b.score - a.score || (a.c.name < b.c.name ? -1 : 1));
  const want = p.numberOfClusters ?? scored.length;
  const hard = p.spread.filter((s) => s.whenUnsatisfiable === 'DoNotSchedule');
  const pool = hard.length > 0 || p.spread.length > 0 ? scored.filter((x) => p.spread.filter((s) => s.whenUnsatisfiable === 'DoNotSchedule').every((s) => groupOf(x.c, s) !== undefined)) : scored;
  const counts = p.spread.map(() => new Map<string, number>());
  p.spread.forEach((s, k) => {
    for (const x of pool) {
      const g = groupOf(x.c, s);
      if (g !== undefined) counts[k]!.set(g, 0);
    }
  });
  const chosen: { cluster: ManagedCluster; reason: string }[] = [];
  const left = [...pool];
  while (chosen.length < want && left.length > 0) {
    // Skew after adding x: for each constraint, max minus min group count.
    let best = -1;
    let bestKey: [number, number] = [Infinity, -Infinity];
    left.forEach((x, i) => {
      let excess = 0;
      p.spread.forEach((s, k) => {
        const g = groupOf(x.c, s);
        if (g === undefined) return;
        const m = counts[k]!;
        const after = [...m.entries()].map(([key, v]) => (key === g ? v + 1 : v));
        const skew = Math.max(...after) - Math.min(...after);
        if (skew > s.maxSkew) excess += s.whenUnsatisfiable === 'DoNotSchedule' ? 1e6 : skew - s.maxSkew;
      });
      if (excess < bestKey[0] || (excess === bestKey[0] && x.score > bestKey[1])) {
        best = i;
        bestKey = [excess, x.score];
      }
    });
    if (bestKey[0] >= 1e6) break;
    const [x] = left.splice(best, 1);
    p.spread.forEach((s, k) => {
      const g = groupOf(x!.c, s);
      if (g !== undefined) counts[k]!.set(g, (counts[k]!.get(g) ?? 0) + 1);
    });
    const spreadNote = p.spread.map((s) => `${s.topologyKey}=${groupOf(x!.c, s) ?? '-'}`).join(', ');
    const price = priced ? `price ${((x!.c.price.cpu ?? 0) + (x!.c.price.memory ?? 0)).toFixed(4)}/core+GiB/h` : `allocatable score ${x!.score.toFixed(3)}`;
    chosen.push({ cluster: x!.c, reason: `emplace: rank ${chosen.length + 1} of ${scored.length} eligible by ${price}${spreadNote ? `; spread ${spreadNote}` : ''}` });
  }
  const short = chosen.length < want ? `${chosen.length} of ${want} clusters could be selected (${eligible.length} eligible${hard.length > 0 ? ', spread constraints with DoNotSchedule' : ''})` : undefined;
  return { chosen, ...(short ? { unsatisfied: short } : {}) };
}

