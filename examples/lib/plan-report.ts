/**
 * Renders a PlanResult as a console report, a Markdown report and SVG figures: a world
 * map of the chosen regions and who is served from where, the Pareto front, and the
 * Steiner backbone on the region network.
 */
import type { Goals, PlanResult, World } from '@emplace/emplace';
import { PALETTE, WorldMap, scatterPlot } from './svg.js';

const ms = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(1)} ms` : 'none');
const money = (v: number): string => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : 'infinite');

/** Colour of each chosen region, in the order of `placement.regions`. */
function regionColours(result: PlanResult): Map<string, string> {
  return new Map((result.placement?.regions ?? []).map((id, k) => [id, PALETTE[k % PALETTE.length]!]));
}

/** The world map: land, every candidate region (grey), chosen regions (coloured squares), cities coloured by their region. */
export function servedMapSvg(world: World, result: PlanResult, title = 'Chosen regions and who is served from where'): string {
  const map = new WorldMap(1000, title);
  const colour = regionColours(result);
  const regionById = new Map(world.regions.map((r) => [r.id, r]));
  const popById = new Map(world.populations.map((p) => [p.id, p]));
  const served = result.placement?.served ?? [];
  for (const s of served) {
    const p = popById.get(s.population)!;
    const r = regionById.get(s.region);
    if (r) map.line(p, r, colour.get(s.region) ?? '#999', 0.7, 0.45);
  }
  const maxUsers = Math.max(...world.populations.map((p) => p.users));
  for (const s of served) {
    const p = popById.get(s.population)!;
    map.circle(p, 1.5 + 5 * Math.sqrt(p.users / maxUsers), colour.get(s.region) ?? '#999', { opacity: 0.8, title: `${p.name ?? p.id}: ${s.users} M users, ${s.latencyMs.toFixed(0)} ms to ${s.region}` });
  }
  for (const r of world.regions) if (!colour.has(r.id)) map.circle(r, 3.5, '#bbb', { stroke: '#666', title: `${r.id} (not used)` });
  for (const r of world.regions) {
    const c = colour.get(r.id);
    if (c) {
      map.square(r, 11, c, `${r.id} (${r.name ?? ''})`);
      map.label(r, `${r.id}`, 8, -7, 11);
    }
  }
  map.legend([
    ...(result.placement?.regions ?? []).map((id) => [colour.get(id)!, `${id} (${regionById.get(id)?.name ?? ''})`, 'square'] as [string, string, 'square']),
    ['#bbb', 'unused candidate region', 'circle'],
  ]);
  return map.toString();
}

/** The cost vs worst-latency front, the chosen plan highlighted. */
export function paretoSvg(result: PlanResult): string {
  const alts = result.pareto?.alternatives ?? [];
  return scatterPlot(
    [
      { name: 'Pareto alternatives', color: '#1f77b4', line: true, points: alts.map((a) => ({ x: a.worstLatencyMs, y: a.totalCost, label: `${a.regions.length} regions: ${a.regions.join(', ')}` })) },
      { name: 'chosen (minimum cost)', color: '#d62728', radius: 7, points: alts.filter((a) => a.chosen).map((a) => ({ x: a.worstLatencyMs, y: a.totalCost })) },
    ],
    { title: 'Cost vs worst latency: the Pareto front', xLabel: 'worst user latency (ms)', yLabel: 'total cost' },
  );
}

/** The region network (thin grey), the Steiner backbone (bold), relays and the suggested reinforcement links (dashed). */
export function backboneSvg(world: World, result: PlanResult): string {
  const map = new WorldMap(1000, 'Backbone: cheapest tree connecting the chosen regions');
  const byId = new Map(world.regions.map((r) => [r.id, r]));
  const bb = result.backbone;
  if (bb) {
    for (const l of bb.network) map.line(byId.get(l.from)!, byId.get(l.to)!, '#9aa', 0.8, 0.7);
    for (const l of bb.links) map.line(byId.get(l.from)!, byId.get(l.to)!, '#d62728', 3, 0.9);
  }
  for (const l of result.connectivity?.reinforce ?? []) map.line(byId.get(l.from)!, byId.get(l.to)!, '#2ca02c', 2.5, 0.9, '7 5');
  const chosen = new Set(result.placement?.regions ?? []);
  const relays = new Set(bb?.relays ?? []);
  for (const r of world.regions) {
    if (chosen.has(r.id)) map.square(r, 11, '#d62728', r.id);
    else if (relays.has(r.id)) map.circle(r, 5, '#ff7f0e', { stroke: '#222', title: `${r.id} (relay)` });
    else map.circle(r, 3.5, '#bbb', { stroke: '#666', title: r.id });
  }
  for (const r of world.regions) if (chosen.has(r.id) || relays.has(r.id)) map.label(r, r.id, 8, -7, 10);
  map.legend([
    ['#d62728', 'chosen region / backbone link', 'square'],
    ['#ff7f0e', 'relay region (Steiner node)', 'circle'],
    ['#9aa', 'region network (measured latency)', 'line'],
    ['#bbb', 'other region', 'circle'],
    ['#2ca02c', 'suggested new link (raises connectivity)', 'line'],
  ]);
  return map.toString();
}

/** Plain-text summary for the console. */
export function consoleReport(world: World, goals: Goals, result: PlanResult): string {
  const out: string[] = [];
  const p = result.placement;
  if (!p) return `No placement: ${result.status}${result.reason ? ` (${result.reason})` : ''}\n`;
  const o = p.objectives;
  const nameOf = new Map(world.regions.map((r) => [r.id, r.name ?? r.id]));
  out.push(`Chosen regions (${p.regions.length}): ${p.regions.map((id) => `${id} (${nameOf.get(id)})`).join(', ')}`);
  out.push(`  total cost ${money(o.totalCost)} = regions ${money(o.regionCost)} + latency ${money(o.latencyCost)}; ${p.status}${p.bound !== undefined ? `, lower bound ${money(p.bound)} (gap ${((p.gap ?? 0) * 100).toFixed(2)} %)` : ''} [${p.method}]`);
  out.push(`  latency: user-weighted mean ${ms(o.meanLatencyMs)}, worst ${ms(o.worstLatencyMs)}; after losing any one region: worst ${ms(o.worstLatencyAfterFailureMs)}${o.usersWithoutFailover > 0 ? ` (${o.usersWithoutFailover.toFixed(1)} M users have no second allowed region)` : ''}`);
  out.push(`  availability: ${o.regions} regions in ${o.domains} failure domains`);
  const users = new Map<string, { users: number; cities: number }>();
  for (const s of p.served) {
    const u = users.get(s.region) ?? { users: 0, cities: 0 };
    u.users += s.users;
    u.cities++;
    users.set(s.region, u);
  }
  out.push('');
  out.push('  region            users (M)  cities');
  for (const id of p.regions) out.push(`  ${id.padEnd(18)}${users.get(id)!.users.toFixed(1).padStart(9)}${String(users.get(id)!.cities).padStart(8)}`);
  if (result.pareto) {
    out.push('');
    out.push(`Pareto alternatives (cost vs worst latency, ${result.pareto.complete ? 'proven complete' : 'found within the budget'}): ${result.pareto.alternatives.length}`);
    for (const a of result.pareto.alternatives.slice(0, 8)) out.push(`  ${a.chosen ? '*' : ' '} cost ${money(a.totalCost).padStart(8)}  worst ${a.worstLatencyMs.toFixed(1).padStart(6)} ms  ${a.regions.length} regions`);
    if (result.pareto.alternatives.length > 8) out.push(`    ... ${result.pareto.alternatives.length - 8} more in the report`);
  }
  if (result.worstCase) {
    const w = result.worstCase;
    out.push('');
    out.push(`Worst case (k-center, k = ${w.k}): the chosen plan's worst latency is ${ms(w.chosenWorstLatencyMs)}; the best any ${w.k} regions reach is ${ms(w.bestWorstLatencyMs)}${w.bound !== undefined ? ` (proven >= ${ms(w.bound)})` : ''}, critical: ${w.criticalPopulation ?? '-'}`);
  }
  if (result.backbone) {
    const b = result.backbone;
    out.push(`Backbone (Steiner tree): ${b.links.length} links, ${b.totalLatencyMs.toFixed(1)} ms in total, ${b.status}${b.relays.length ? `, relays ${b.relays.join(', ')}` : ''}`);
  }
  if (result.connectivity) {
    const c = result.connectivity;
    out.push(`Connectivity: lambda2 = ${c.lambda2.toFixed(4)}${c.weakestLink ? `, weakest link ${c.weakestLink.from} - ${c.weakestLink.to}` : ''}${c.reinforce.length ? `; add ${c.reinforce.map((l) => `${l.from} - ${l.to} (lambda2 -> ${l.lambda2After.toFixed(4)})`).join(', then ')}` : ''}`);
  }
  if (result.shares) {
    const s = result.shares;
    out.push('');
    out.push(`Fair shares of the cost (Shapley, ${s.method}, ${s.coalitionsSolved} coalition costs solved${s.coalitionCostsProven ? ', all proven optimal' : ''}):`);
    out.push('  tenant                      share   alone   saving');
    for (const t of [...s.shares].sort((a, b) => b.share - a.share)) {
      out.push(`  ${t.tenant.padEnd(25)}${money(t.share).padStart(8)}${money(t.standalone).padStart(8)}${`${((1 - t.share / t.standalone) * 100).toFixed(0)} %`.padStart(9)}`);
    }
    out.push(`  ${'total'.padEnd(25)}${money(s.shares.reduce((a, t) => a + t.share, 0)).padStart(8)}${money(s.shares.reduce((a, t) => a + t.standalone, 0)).padStart(8)}`);
  }
  if (result.warnings.length) out.push('', ...result.warnings.map((w) => `warning: ${w}`));
  void goals;
  return out.join('\n') + '\n';
}

/** The Markdown report (figures referenced as files next to it). */
export function markdownReport(world: World, goals: Goals, result: PlanResult, meta: { title: string; intro: string; figures: { map: string; pareto: string; backbone: string } }): string {
  const p = result.placement;
  const lines: string[] = [`# ${meta.title}`, '', meta.intro, ''];
  if (!p) return lines.concat([`**No placement**: ${result.status}. ${result.reason ?? ''}`]).join('\n');
  const o = p.objectives;
  const nameOf = new Map(world.regions.map((r) => [r.id, r.name ?? r.id]));
  lines.push('## The answer', '');
  lines.push(`Run **${p.regions.length} regions**: ${p.regions.map((id) => `\`${id}\` (${nameOf.get(id)})`).join(', ')}.`, '');
  lines.push('| objective | value |', '|---|---|');
  lines.push(`| total cost | ${money(o.totalCost)} (${p.status}${p.bound !== undefined ? `; proven lower bound ${money(p.bound)}, gap ${((p.gap ?? 0) * 100).toFixed(2)} %` : ''}) |`);
  lines.push(`| region cost | ${money(o.regionCost)} |`, `| latency cost | ${money(o.latencyCost)} |`);
  lines.push(`| mean latency (user-weighted) | ${ms(o.meanLatencyMs)} |`, `| worst latency | ${ms(o.worstLatencyMs)} |`);
  lines.push(`| worst latency after losing any one region | ${ms(o.worstLatencyAfterFailureMs)} |`);
  lines.push(`| users with no second allowed region | ${o.usersWithoutFailover.toFixed(1)} M${o.usersWithoutFailover > 0 ? ' (a region failure leaves them unserved: residency or the latency cap allow only one open region)' : ''} |`);
  lines.push(`| failure domains | ${o.domains} |`, '');
  lines.push(`Method: \`${p.method}\` (${p.guarantee.kind}). Latency model: ${result.latencyModel === 'measured' ? 'measured inter-region p50 latency, users reach their nearest region over the great-circle model' : 'great-circle model'}.`, '');
  lines.push(`![world map](${meta.figures.map})`, '');
  const per = new Map<string, { users: number; cities: string[]; worst: number }>();
  for (const s of p.served) {
    const u = per.get(s.region) ?? { users: 0, cities: [], worst: 0 };
    u.users += s.users;
    u.cities.push(s.population);
    u.worst = Math.max(u.worst, s.latencyMs);
    per.set(s.region, u);
  }
  lines.push('| region | users (M) | cities | worst latency | largest cities served |', '|---|---:|---:|---:|---|');
  for (const id of p.regions) {
    const u = per.get(id)!;
    lines.push(`| \`${id}\` ${nameOf.get(id)} | ${u.users.toFixed(1)} | ${u.cities.length} | ${u.worst.toFixed(0)} ms | ${u.cities.slice(0, 5).join('; ')} |`);
  }
  lines.push('');
  if (result.pareto) {
    const pv = result.pareto;
    lines.push('## Alternatives: cost vs worst latency', '');
    lines.push(`${pv.alternatives.length} Pareto-optimal plans (${pv.complete ? 'the front is proven complete' : 'the front found within the time budget'}; \`${pv.method}\`). Each trades money for a lower worst-case latency; none is better on both.`, '');
    lines.push(`![Pareto front](${meta.figures.pareto})`, '');
    lines.push('| | total cost | worst latency | regions |', '|---|---:|---:|---|');
    for (const a of pv.alternatives) lines.push(`| ${a.chosen ? '**chosen**' : ''} | ${money(a.totalCost)} | ${a.worstLatencyMs.toFixed(1)} ms | ${a.regions.length}: ${a.regions.join(', ')} |`);
    lines.push('');
  }
  if (result.worstCase) {
    const w = result.worstCase;
    lines.push('## Worst case (k-center view)', '');
    lines.push(`With ${w.k} regions, the chosen plan's worst latency is ${ms(w.chosenWorstLatencyMs)}. The smallest worst latency any ${w.k} regions can give is ${ms(w.bestWorstLatencyMs)} (${w.status}${w.bound !== undefined ? `, proven lower bound ${ms(w.bound)}` : ''}) with ${w.bestRegions.join(', ')}; the population at that radius is ${w.criticalPopulation ?? '-'}.`, '');
  }
  if (result.backbone) {
    const b = result.backbone;
    lines.push('## Backbone', '');
    lines.push(`The cheapest tree of the region network joining the chosen regions (Steiner tree, ${b.status}${b.bound !== undefined ? `, lower bound ${b.bound.toFixed(1)} ms` : ''}): ${b.links.length} links, ${b.totalLatencyMs.toFixed(1)} ms of latency in total${b.relays.length ? `, through relay regions ${b.relays.map((r) => `\`${r}\``).join(', ')}` : ''}.`, '');
    lines.push(`![backbone](${meta.figures.backbone})`, '');
    lines.push('| link | latency |', '|---|---:|');
    for (const l of b.links) lines.push(`| ${l.from} - ${l.to} | ${l.latencyMs.toFixed(1)} ms |`);
    lines.push('');
  }
  if (result.connectivity) {
    const c = result.connectivity;
    lines.push('## Connectivity', '');
    lines.push(`Algebraic connectivity (Fiedler value) of the backbone: **${c.lambda2.toFixed(4)}** (a tree is fragile: every link is a single point of failure).${c.weakestLink ? ` The weakest link (where the Fiedler vector jumps most, the cut the mesh is closest to) is ${c.weakestLink.from} - ${c.weakestLink.to}.` : ''}`, '');
    if (c.reinforce.length) {
      lines.push('Links to add, greedily, for the largest rise of the Fiedler value:', '');
      for (const l of c.reinforce) lines.push(`- ${l.from} - ${l.to}: lambda2 -> ${l.lambda2After.toFixed(4)}`);
      lines.push('');
    }
  }
  if (result.shares) {
    const s = result.shares;
    lines.push('## Who pays what', '');
    lines.push(`Each tenant's Shapley share of the total cost: its average marginal cost over every order in which the tenants could have joined (${s.method === 'exact' ? 'exact, all' : 'sampled,'} ${s.coalitionsSolved} coalition costs solved by the facility solver${s.coalitionCostsProven ? ', each proven optimal' : ''}). The shares sum to the cost of serving everyone together (${money(s.total)}), and the saving column is what sharing the deployment saves each tenant over going alone.`, '');
    lines.push('| tenant | share | alone | saving |', '|---|---:|---:|---:|');
    for (const t of [...s.shares].sort((a, b) => b.share - a.share)) lines.push(`| ${t.tenant} | ${money(t.share)}${t.lower !== undefined ? ` (${money(t.lower)}..${money(t.upper!)})` : ''} | ${money(t.standalone)} | ${((1 - t.share / t.standalone) * 100).toFixed(0)} % |`);
    lines.push(`| **total** | **${money(s.shares.reduce((a, t) => a + t.share, 0))}** | ${money(s.shares.reduce((a, t) => a + t.standalone, 0))} | |`, '');
  }
  lines.push('## Run', '');
  lines.push('| phase | time |', '|---|---:|');
  for (const [phase, t] of Object.entries(result.phaseMs)) lines.push(`| ${phase} | ${(t! / 1000).toFixed(2)} s |`);
  lines.push(`| **total** | ${(result.elapsedMs / 1000).toFixed(2)} s |`, '');
  lines.push('Goals:', '', '```json', JSON.stringify(goals, null, 2), '```', '');
  if (result.warnings.length) lines.push('Warnings:', '', ...result.warnings.map((w) => `- ${w}`), '');
  return lines.join('\n');
}
