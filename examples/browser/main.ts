/**
 * The static browser demo: runs `plan()` on the embedded data set in the page and draws the
 * chosen regions on the world map and the cost / worst-latency Pareto front.
 * Build (and serve) with `pnpm demo:browser`; see examples/browser/build.mjs.
 */
import { data, lp, plan, type Goals } from '@emplace/emplace';
import { paretoSvg, servedMapSvg } from '../lib/plan-report.js';

// HiGHS (WebAssembly) is loaded from a URL: this demo ships highs.mjs and highs.wasm next to
// the page (the default would be the jsDelivr copy of the same version).
lp.configureHighs({ moduleUrl: new URL('./highs.mjs', import.meta.url).href });

const params = new URLSearchParams(globalThis.location.search);
const cities = Number(params.get('cities') ?? 60);
const timeLimitMs = Number(params.get('timeLimitMs') ?? 20_000);

const $ = (id: string) => document.getElementById(id)!;

async function main(): Promise<void> {
  const world = data.demoWorld({ cities });
  const goals: Goals = data.demoGoals;
  const t0 = performance.now();
  $('status').textContent = `Solving: ${world.regions.length} regions, ${world.populations.length} cities...`;
  // Let the browser paint the status before the solver takes the main thread.
  await new Promise((r) => setTimeout(r, 20));
  const result = await plan(world, goals, {
    timeLimitMs,
    seed: 1,
    onProgress: (p) => {
      $('status').textContent = `${p.phase} ${Math.round(100 * p.fraction)} %`;
    },
  });
  const ms = performance.now() - t0;
  const placement = result.placement;
  $('status').textContent = `${result.status} in ${(ms / 1000).toFixed(1)} s`;
  if (placement) {
    $('summary').textContent =
      `${placement.regions.length} regions: ${placement.regions.join(', ')}; total cost ${placement.objectives.totalCost.toFixed(0)}, ` +
      `worst latency ${placement.objectives.worstLatencyMs.toFixed(0)} ms; ${result.pareto?.alternatives.length ?? 0} Pareto alternatives.`;
  }
  $('map').innerHTML = servedMapSvg(world, result);
  $('pareto').innerHTML = paretoSvg(result);
  document.body.dataset['result'] = JSON.stringify({
    status: result.status,
    regions: placement?.regions ?? [],
    totalCost: placement?.objectives.totalCost ?? null,
    alternatives: result.pareto?.alternatives.length ?? 0,
    ms: Math.round(ms),
  });
}

main().catch((err: unknown) => {
  $('status').textContent = `Error: ${String(err)}`;
  document.body.dataset['result'] = JSON.stringify({ error: String(err instanceof Error ? err.stack ?? err : err) });
});
