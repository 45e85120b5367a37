import { runStepsAsync, SolveRun, type Guarantee, type PlacementModel, type Result, type Steps } from '@emplace/core';
import { evaluateOpen } from './evaluate.js';
import { prepareInstance, prepareInstanceSteps, type KCenterInstance, type Prepared } from './instance.js';
import { maxFiniteDistance, pickOrder, thresholdPick } from './threshold.js';
import type { KCenterOptions, KCenterSolution } from './types.js';

export type KCenterResult = Result<KCenterSolution>;

/**
 * Entry shared by every method: validates, then settles the cases that need no search
 * (no clients, k at least the number of openable sites, evident infeasibility) with a
 * clear status, and otherwise hands the instance to the method's body.
 */
export function runKCenter(
  model: PlacementModel,
  options: KCenterOptions | undefined,
  method: string,
  guarantee: Guarantee,
  body: (inst: KCenterInstance, run: SolveRun) => KCenterResult,
): KCenterResult {
  const started = startKCenter(model, options, method, guarantee);
  return 'status' in started ? started : withInstanceWarnings(started.inst, body(started.inst, started.run));
}

/** Async twin of runKCenter for methods that call the MIP backend. */
export async function runKCenterAsync(
  model: PlacementModel,
  options: KCenterOptions | undefined,
  method: string,
  guarantee: Guarantee,
  body: (inst: KCenterInstance, run: SolveRun) => Promise<KCenterResult>,
): Promise<KCenterResult> {
  const opts = options ?? {};
  const run = new SolveRun(opts, `kcenter:${method}`, 'min');
  // The scans of the matrix yield (issue 13: 35-80 ms on 2000 x 2000). A stop during them
  // lets them finish (no more yields then), so that the method's first centres can be returned.
  const prepared = await runStepsAsync(prepareInstanceSteps(model, opts), run);
  const started = settleStart(prepared, run, guarantee);
  return 'status' in started ? started : withInstanceWarnings(started.inst, await body(started.inst, started.run));
}

/** The run and the instance, or the result when the case needs no search. */
function startKCenter(model: PlacementModel, options: KCenterOptions | undefined, method: string, guarantee: Guarantee): KCenterResult | { inst: KCenterInstance; run: SolveRun } {
  const opts = options ?? {};
  const run = new SolveRun(opts, `kcenter:${method}`, 'min');
  return settleStart(prepareInstance(model, opts), run, guarantee);
}

/** The instance prepared, settled when it needs no search. */
function settleStart(prepared: Prepared, run: SolveRun, guarantee: Guarantee): KCenterResult | { inst: KCenterInstance; run: SolveRun } {
  if (prepared.kind === 'infeasible') {
    return run.unsolved({ status: 'infeasible', guarantee, certificate: prepared.certificate, warnings: prepared.warnings });
  }
  const inst = prepared.problem;
  return settleTrivial(inst, run, guarantee) ?? { inst, run };
}

/** The instance's warnings (ignored model features, orphan clients) ahead of the method's own. */
function withInstanceWarnings(inst: KCenterInstance, result: KCenterResult): KCenterResult {
  if (inst.warnings.length > 0) result.warnings = [...inst.warnings, ...(result.warnings ?? [])];
  return result;
}

function settleTrivial(inst: KCenterInstance, run: SolveRun, guarantee: Guarantee): KCenterResult | undefined {
  const { nC, k, openable, mustOpen, z } = inst;
  if (nC === 0 || z >= nC) {
    const sol = evaluateOpen(inst, mustOpen);
    return run.solved({ solution: { ...sol, radius: 0 }, objective: 0, proven: true, guarantee: { kind: 'exact' }, warnings: [...inst.warnings] });
  }
  if (k >= openable.length) {
    // Opening every allowed site is optimal: more open sites never increase the radius
    // and never reduce the capacity available.
    const warnings = [...inst.warnings];
    if (k > openable.length) warnings.push(`k = ${k} exceeds the ${openable.length} sites that may be opened: all of them are opened`);
    inst.warnings.length = 0;
    const sol = evaluateOpen(inst, openable);
    if (sol.radius === Infinity) {
      return run.unsolved({
        status: 'infeasible',
        guarantee,
        certificate: { reason: 'even with every site open, the capacities cannot serve the total demand', fields: ['sites[].capacity', 'clients[].demand'] },
        warnings,
      });
    }
    return run.solved({ solution: sol, objective: sol.radius, proven: true, guarantee: { kind: 'exact' }, warnings });
  }
  // Disconnected data (e.g. a pmed graph in pieces, or `allowed` splitting the clients):
  // more than k - |mustOpen| + z clients that pairwise share no site at any finite radius.
  if (!inst.hasInfinity) return undefined; // any site serves everyone at the largest distance
  const rMax = maxFiniteDistance(inst);
  const test = thresholdPick(inst, rMax, k - mustOpen.length + z, pickOrder(inst));
  if (test.exceeded) {
    return run.unsolved({
      status: 'infeasible',
      guarantee,
      certificate: {
        reason: `${test.picks.length} clients pairwise share no site that may serve both (disconnected data), but only ${k - mustOpen.length} free centres${z > 0 ? ` and ${z} outliers` : ''} are available`,
        fields: test.picks.slice(0, 20).map((j) => `clients[${j}]`),
      },
      warnings: [...inst.warnings],
    });
  }
  return undefined;
}

/**
 * Runs steps, yielding to the event loop at their checkpoints; undefined when the run stops
 * first (abort, time limit). Unlike runStepsAsync, whose run.tick() stops yielding once the
 * run has stopped, it never computes the rest of the steps after a stop in one stretch.
 */
export async function runUntilStop<T>(steps: Steps<T>, run: SolveRun): Promise<T | undefined> {
  let r = steps.next();
  while (!r.done) {
    if (await run.tick()) return undefined;
    r = steps.next();
  }
  return r.value;
}
