import { affinityUnits, runSteps, type AffinityUnits, type Certificate, type Prepared, type Steps } from '@emplace/core';
import { domainIndex } from './schedule-evaluate.js';
import type { ScheduleModel } from './schedule-model.js';

/**
 * The scheduling model compiled for search: affinity groups merged into units (a unit
 * moves as one), every per-placement cost (serving, compliance, migration) folded into
 * one `unitCost[site * U + unit]`, locality and compliance folded into `allowed`, traffic
 * aggregated between units into a CSR adjacency with weights already multiplied by
 * lambdaNetwork, and anti-affinity groups as lists of units with per-site domain indices.
 */
export interface CompiledSchedule {
  readonly S: number;
  readonly U: number;
  readonly D: number;
  /** Client -> unit. */
  readonly unitOf: Int32Array;
  /** Unit members (CSR over clients). */
  readonly memberStart: Int32Array;
  readonly members: Int32Array;
  /** Unit demand: index `site * demandSiteStride + unit * D + d` (stride 0 when demand does not depend on the site). */
  readonly demand: Float64Array;
  readonly demandSiteStride: number;
  readonly capacity: Float64Array;
  /** `allowed[site * U + unit]`: allowed, not forbidden, within locality, fits an empty site. */
  readonly allowed: Uint8Array;
  readonly unitCost: Float64Array;
  /** Unit adjacency (CSR), `adjWeight` = lambdaNetwork * volume. */
  readonly adjStart: Int32Array;
  readonly adj: Int32Array;
  readonly adjWeight: Float64Array;
  /** 1 when the unit owning the entry is the `b` side of the traffic pair (cost net[b-site... ] read transposed). */
  readonly adjDir: Uint8Array;
  /** S x S network cost with a zero diagonal (absent when there is no traffic term), and its transpose. */
  readonly net: Float64Array | undefined;
  readonly netT: Float64Array | undefined;
  /** Anti-affinity groups: unit lists (CSR) and each group's domain map (`groupDomain[g]` indexes `domains`). */
  readonly groupStart: Int32Array;
  readonly groupUnits: Int32Array;
  readonly groupDomain: Int32Array;
  readonly domains: readonly { of: Int32Array; count: number }[];
  /** Unit -> groups (CSR). */
  readonly unitGroupStart: Int32Array;
  readonly unitGroups: Int32Array;
  /** Offset of each group's counters in a flat counter array, and its total length. */
  readonly groupCountOffset: Int32Array;
  readonly countLength: number;
  /** Current site of each unit when all its members share one, else -1. */
  readonly unitCurrent: Int32Array;
}

/** A compile step's proof that the model has no solution. */
interface Infeasible {
  kind: 'infeasible';
  certificate: Certificate;
}

function infeasible(reason: string, fields: string[]): Infeasible {
  return { kind: 'infeasible', certificate: { reason, fields } };
}

/**
 * Steps the model as far as compiling it goes: the placement, its affinity units and the
 * sizes every step reads.
 */
interface CompileContext {
  readonly model: ScheduleModel;
  readonly p: ScheduleModel['placement'];
  readonly S: number;
  readonly n: number;
  readonly D: number;
  readonly units: AffinityUnits;
}

export function compileSchedule(model: ScheduleModel): Prepared<CompiledSchedule> {
  return runSteps(compileScheduleSteps(model));
}

/** The compilation as steps between its phases (25-70 ms in all on 2000 workloads: issue 13, the async entries yield between them). */
export function* compileScheduleSteps(model: ScheduleModel): Steps<Prepared<CompiledSchedule>> {
  const p = model.placement;
  // Units: clients joined by affinity (union-find over the groups, defined in core).
  const ctx: CompileContext = { model, p, S: p.nSites, n: p.nClients, D: p.dimensions.length, units: affinityUnits(p) };
  const clientOk = yield* clientAllowedSites(ctx);
  if ('kind' in clientOk) return clientOk;
  yield;
  const { demand, stride } = unitDemand(ctx);
  const { allowed, unitCost } = yield* unitAllowedAndCost(ctx, clientOk, demand, stride);
  yield;
  const unplaceable = unplaceableUnit(ctx, clientOk, allowed);
  if (unplaceable) return unplaceable;
  yield;
  const short = totalCapacityShortfall(ctx);
  if (short) return short;
  const groups = antiAffinityGroups(ctx);
  if ('kind' in groups) return groups;
  yield;
  const { unitGroupStart, unitGroups } = unitGroupIndex(ctx.units.count, groups);
  const traffic = unitTraffic(ctx);
  yield;
  const { count: U, unitOf, start: memberStart, members } = ctx.units;
  return {
    kind: 'ok',
    problem: {
      S: ctx.S,
      U,
      D: ctx.D,
      unitOf,
      memberStart,
      members,
      demand,
      demandSiteStride: stride,
      capacity: p.capacity,
      allowed,
      unitCost,
      ...traffic,
      groupStart: groups.groupStart,
      groupUnits: groups.groupUnits,
      groupDomain: groups.groupDomain,
      domains: groups.domains,
      unitGroupStart,
      unitGroups,
      groupCountOffset: groups.groupCountOffset,
      countLength: groups.countLength,
      unitCurrent: unitCurrentSites(ctx),
    },
  };
}

/** Site x client entries a compile phase goes through between two pauses (these phases run cold, once per solve). */
export const COMPILE_PAUSE_ENTRIES = 1 << 14;

/** Rows of `width` entries per pause of a compile phase. */
function rowsPerPause(width: number): number {
  return Math.max(1, Math.floor(COMPILE_PAUSE_ENTRIES / Math.max(1, width)));
}

/**
 * `clientOk[site * n + client]`: compliance, removed sites and locality allow it; or the
 * client that has no site. Pauses every COMPILE_PAUSE_ENTRIES entries (one 16-22 ms
 * stretch on 50 sites x 2000 workloads when run at once).
 */
function* clientAllowedSites(ctx: CompileContext): Steps<Uint8Array | Infeasible> {
  const { model, p, S, n } = ctx;
  const clientOk = new Uint8Array(S * n);
  const sitesPerPause = rowsPerPause(n);
  for (let i = 0; i < S; i++) {
    if (i % sitesPerPause === sitesPerPause - 1) yield;
    if (p.forbidden[i]) continue;
    for (let j = 0; j < n; j++) clientOk[i * n + j] = p.allowed === undefined || p.allowed[i * n + j] ? 1 : 0;
  }
  const L = model.latency;
  const rulesPerPause = rowsPerPause(S);
  for (let k = 0; k < model.localityClient.length; k++) {
    if (k % rulesPerPause === rulesPerPause - 1) yield;
    const j = model.localityClient[k]!;
    const at = model.localitySite[k]!;
    for (let i = 0; i < S; i++) if (i !== at && !(L![i * S + at]! <= model.localityMaxLatency[k]!)) clientOk[i * n + j] = 0;
  }
  const clientsPerPause = rowsPerPause(S);
  for (let j = 0; j < n; j++) {
    if (j % clientsPerPause === clientsPerPause - 1) yield;
    let any = false;
    for (let i = 0; i < S && !any; i++) if (clientOk[i * n + j]) any = true;
    if (any) continue;
    const loc: string[] = [];
    for (let k = 0; k < model.localityClient.length; k++) if (model.localityClient[k] === j) loc.push(`locality[${k}]`);
    return infeasible(`client ${JSON.stringify(p.clientIds[j])} has no allowed site (compliance, removed sites${loc.length ? ', locality' : ''})`, [`clients[${j}]`, ...loc]);
  }
  return clientOk;
}

/** Unit demand, per site when the model has siteDemand (`stride` = U * D then, else 0). */
function unitDemand(ctx: CompileContext): { demand: Float64Array; stride: number } {
  const { p, S, n, D } = ctx;
  const { count: U, unitOf } = ctx.units;
  const stride = p.siteDemand ? U * D : 0;
  const demand = new Float64Array(p.siteDemand ? S * U * D : U * D);
  if (p.siteDemand) {
    for (let i = 0; i < S; i++) for (let j = 0; j < n; j++) for (let d = 0; d < D; d++) demand[i * stride + unitOf[j]! * D + d]! += p.siteDemand[(i * n + j) * D + d]!;
  } else {
    for (let j = 0; j < n; j++) for (let d = 0; d < D; d++) demand[unitOf[j]! * D + d]! += p.demand[j * D + d]!;
  }
  return { demand, stride };
}

/** Which units may go where (every member allowed, fits an empty site) and what each placement costs; pauses every COMPILE_PAUSE_ENTRIES members. */
function* unitAllowedAndCost(ctx: CompileContext, clientOk: Uint8Array, demand: Float64Array, stride: number): Steps<{ allowed: Uint8Array; unitCost: Float64Array }> {
  const { model, p, S, n, D } = ctx;
  const { count: U, start: memberStart, members } = ctx.units;
  const allowed = new Uint8Array(S * U);
  const unitCost = new Float64Array(S * U);
  const lc = model.lambdaCompliance;
  const sitesPerPause = rowsPerPause(n);
  for (let i = 0; i < S; i++) {
    if (i % sitesPerPause === sitesPerPause - 1) yield;
    for (let u = 0; u < U; u++) {
      let ok = 1;
      let c = 0;
      for (let t = memberStart[u]!; t < memberStart[u + 1]!; t++) {
        const j = members[t]!;
        if (!clientOk[i * n + j]) ok = 0;
        c += p.cost[i * n + j]!;
        if (model.compliancePenalty) c += lc * model.compliancePenalty[i * n + j]!;
        const cur = model.current?.[j] ?? -1;
        if (cur >= 0 && cur !== i) c += model.migrationCost[j]!;
      }
      if (ok) for (let d = 0; d < D; d++) if (demand[i * stride + u * D + d]! > p.capacity[i * D + d]! + 1e-9) ok = 0;
      allowed[i * U + u] = ok;
      unitCost[i * U + u] = c;
    }
  }
  return { allowed, unitCost };
}

/** The certificate for the first unit no site takes: disjoint allowed sites, too big together, or one client too big. */
function unplaceableUnit(ctx: CompileContext, clientOk: Uint8Array, allowed: Uint8Array): Infeasible | undefined {
  const { p, S, n } = ctx;
  const { count: U, unitOf, start: memberStart, members } = ctx.units;
  for (let u = 0; u < U; u++) {
    let any = false;
    for (let i = 0; i < S && !any; i++) if (allowed[i * U + u]) any = true;
    if (any) continue;
    const j0 = members[memberStart[u]!]!;
    const groups: string[] = [];
    p.affinity.forEach((g, k) => {
      if (g.length > 0 && unitOf[g[0]!] === u) groups.push(`affinity[${k}]`);
    });
    if (groups.length === 0) {
      return infeasible(`client ${JSON.stringify(p.clientIds[j0])} fits on no allowed site (its demand exceeds every allowed site's capacity)`, [`clients[${j0}]`]);
    }
    // Are the allowed sets disjoint, or is it the size?
    let common = false;
    for (let i = 0; i < S && !common; i++) {
      let ok = true;
      for (let t = memberStart[u]!; t < memberStart[u + 1]! && ok; t++) if (!clientOk[i * n + members[t]!]) ok = false;
      common = ok;
    }
    return infeasible(
      common
        ? `the clients of ${groups.join(', ')} must share a site but together they fit on none of their common allowed sites`
        : `the clients of ${groups.join(', ')} must share a site but their allowed sites do not intersect`,
      groups,
    );
  }
  return undefined;
}

/** Total demand against the total capacity of the available sites, per dimension (site-independent demand only). */
function totalCapacityShortfall(ctx: CompileContext): Infeasible | undefined {
  const { p, S, n, D } = ctx;
  if (p.siteDemand) return undefined;
  for (let d = 0; d < D; d++) {
    let need = 0;
    for (let j = 0; j < n; j++) need += p.demand[j * D + d]!;
    let have = 0;
    for (let i = 0; i < S; i++) if (!p.forbidden[i]) have += p.capacity[i * D + d]!;
    if (need > have * (1 + 1e-12)) {
      return infeasible(`total ${p.dimensions[d]} demand ${need} exceeds the total capacity ${have} of the available sites`, ['capacity', 'demand']);
    }
  }
  return undefined;
}

interface AntiAffinityGroups {
  groupStart: Int32Array;
  groupUnits: Int32Array;
  groupDomain: Int32Array;
  domains: { of: Int32Array; count: number }[];
  groupCountOffset: Int32Array;
  countLength: number;
}

/** Anti-affinity groups as unit lists with their domain maps; infeasible when affinity joins two of a group or domains are too few. */
function antiAffinityGroups(ctx: CompileContext): AntiAffinityGroups | Infeasible {
  const { model, p, S } = ctx;
  const { unitOf } = ctx.units;
  const domainByLabel = new Map<string, number>();
  const domains: { of: Int32Array; count: number }[] = [];
  const G = p.antiAffinity.length;
  const groupStart = new Int32Array(G + 1);
  const groupDomain = new Int32Array(G);
  const groupCountOffset = new Int32Array(G);
  const gu: number[] = [];
  let countLength = 0;
  for (let g = 0; g < G; g++) {
    const grp = p.antiAffinity[g]!;
    const key = grp.domain ?? '\u0000site';
    let di = domainByLabel.get(key);
    if (di === undefined) {
      di = domains.length;
      domains.push(domainIndex(model, grp.domain));
      domainByLabel.set(key, di);
    }
    groupDomain[g] = di;
    const seen = new Map<number, number>();
    for (const c of grp.clients) {
      const u = unitOf[c]!;
      const other = seen.get(u);
      if (other !== undefined && other !== c) {
        return infeasible(
          `clients ${JSON.stringify(p.clientIds[other])} and ${JSON.stringify(p.clientIds[c])} must share a site (affinity) and be apart (antiAffinity[${g}])`,
          [`antiAffinity[${g}]`, 'affinity'],
        );
      }
      if (other === undefined) {
        seen.set(u, c);
        gu.push(u);
      }
    }
    groupStart[g + 1] = gu.length;
    // Distinct domains among usable sites.
    const dom = domains[di]!;
    const usable = new Set<number>();
    for (let i = 0; i < S; i++) if (!p.forbidden[i]) usable.add(dom.of[i]!);
    const size = groupStart[g + 1]! - groupStart[g]!;
    if (size > usable.size) {
      return infeasible(
        `antiAffinity[${g}] spreads ${size} workloads over distinct ${grp.domain ? `values of label "${grp.domain}"` : 'sites'} but only ${usable.size} are available`,
        [`antiAffinity[${g}]`],
      );
    }
    groupCountOffset[g] = countLength;
    countLength += dom.count;
  }
  return { groupStart, groupUnits: Int32Array.from(gu), groupDomain, domains, groupCountOffset, countLength };
}

/** Unit -> anti-affinity groups (CSR), the transpose of the group lists. */
function unitGroupIndex(U: number, groups: AntiAffinityGroups): { unitGroupStart: Int32Array; unitGroups: Int32Array } {
  const { groupStart, groupUnits } = groups;
  const G = groupStart.length - 1;
  const unitGroupStart = new Int32Array(U + 1);
  for (let t = 0; t < groupUnits.length; t++) unitGroupStart[groupUnits[t]! + 1]!++;
  for (let u = 0; u < U; u++) unitGroupStart[u + 1]! += unitGroupStart[u]!;
  const unitGroups = new Int32Array(groupUnits.length);
  const gfill = unitGroupStart.slice(0, U);
  for (let g = 0; g < G; g++) for (let t = groupStart[g]!; t < groupStart[g + 1]!; t++) unitGroups[gfill[groupUnits[t]!]!++] = g;
  return { unitGroupStart, unitGroups };
}

type UnitTraffic = Pick<CompiledSchedule, 'adjStart' | 'adj' | 'adjWeight' | 'adjDir' | 'net' | 'netT'>;

/** Traffic between units as a CSR adjacency (intra-unit traffic is always co-located: free) and the network cost with its transpose. */
function unitTraffic(ctx: CompileContext): UnitTraffic {
  const { model, S } = ctx;
  const { count: U, unitOf } = ctx.units;
  const net = model.networkCost && model.lambdaNetwork > 0 && model.trafficA.length > 0 ? Float64Array.from(model.networkCost) : undefined;
  if (net) for (let i = 0; i < S; i++) net[i * S + i] = 0;
  const adjStart = new Int32Array(U + 1);
  const E = model.trafficA.length;
  if (net) {
    for (let k = 0; k < E; k++) {
      const a = unitOf[model.trafficA[k]!]!;
      const b = unitOf[model.trafficB[k]!]!;
      if (a === b || model.trafficVolume[k] === 0) continue;
      adjStart[a + 1]!++;
      adjStart[b + 1]!++;
    }
  }
  for (let u = 0; u < U; u++) adjStart[u + 1]! += adjStart[u]!;
  const adj = new Int32Array(adjStart[U]!);
  const adjWeight = new Float64Array(adjStart[U]!);
  const adjDir = new Uint8Array(adjStart[U]!);
  if (!net) return { adjStart, adj, adjWeight, adjDir, net, netT: undefined };
  const afill = adjStart.slice(0, U);
  for (let k = 0; k < E; k++) {
    const a = unitOf[model.trafficA[k]!]!;
    const b = unitOf[model.trafficB[k]!]!;
    if (a === b || model.trafficVolume[k] === 0) continue;
    const w = model.lambdaNetwork * model.trafficVolume[k]!;
    // Pair (a, b) costs w * net[site a][site b]: a sees it as net[own][other], b as
    // net[other][own] (the transpose), so asymmetric matrices are priced exactly.
    adj[afill[a]!] = b;
    adjWeight[afill[a]!++] = w;
    adj[afill[b]!] = a;
    adjDir[afill[b]!] = 1;
    adjWeight[afill[b]!++] = w;
  }
  const netT = new Float64Array(S * S);
  for (let i = 0; i < S; i++) for (let j = 0; j < S; j++) netT[j * S + i] = net[i * S + j]!;
  return { adjStart, adj, adjWeight, adjDir, net, netT };
}

/** Current site of each unit when all its members share one, else -1. */
function unitCurrentSites(ctx: CompileContext): Int32Array {
  const { model } = ctx;
  const { count: U, start: memberStart, members } = ctx.units;
  const unitCurrent = new Int32Array(U).fill(-1);
  if (!model.current) return unitCurrent;
  for (let u = 0; u < U; u++) {
    let s = -2;
    for (let t = memberStart[u]!; t < memberStart[u + 1]!; t++) {
      const c = model.current[members[t]!]!;
      if (s === -2) s = c;
      else if (s !== c) s = -1;
    }
    unitCurrent[u] = s < 0 ? -1 : s;
  }
  return unitCurrent;
}
