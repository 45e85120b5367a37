/**
 * `pnpm bench compare [--quick]`: emplace against the reference solvers, side by side in the
 * same run on the same machine, as time ratios (emplace / reference; below 1 = emplace faster).
 *
 * emplace side: the command-line tool, one fresh process per file (what a user runs), the
 * solver time taken from each answer's `elapsedMs` (reading and parsing excluded).
 * Reference side: benchmarks/compare/reference.py (HiGHS native through scipy.optimize.milp,
 * scipy eigsh shift-invert), one long-lived process answering one job per line, its solver
 * time measured around the milp / eigsh calls only. Each instance is run on both sides one
 * right after the other so that both see the same machine load.
 *
 * The project does not need Python: when python3 with scipy is absent the emplace times are
 * still measured and the summary says which references were absent and skipped.
 *
 *   pnpm bench compare [--quick]
 *   pnpm exec tsx --conditions=source benchmarks/compare/run.ts [--quick] [--only cfl,pcenter,gap,pmedian,lambda2]
 *       [--repeat N]     run both sides N times and keep each side's fastest (default 1)
 *       [--cli source]   run the CLI from TypeScript sources (default: packages/cli/dist when built)
 *       [--python P]     the Python interpreter (default python3)
 *       [--limit S]      time limit of both sides in seconds (default 60)
 *
 *   pnpm bench compare --generated [--seed=N] [--only=...]: the same on freshly generated instances
 *       of the held-out sizes (CFL, single-source CFL, GAP B-E, p-median, p-center, Steiner), with
 *       quality against the reference's best or proved value; see generated.ts.
 */

// public.ts: the public instances; generated.ts: freshly generated ones of the held-out sizes.
await import(process.argv.includes('--generated') ? './generated.js' : './public.js');
