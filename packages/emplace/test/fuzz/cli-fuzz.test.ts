import { allFamilies } from '@emplace/cli';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { cliProblems, runCliCase } from './cli-harness.js';
import { applyDamage, BAD_NUMBERS, damageArbitrary } from './damage.js';
import { bounded, flagsArbitrary, requiredArgs } from './flags.js';
import { expectNoFailures } from './known-defects.js';
import { recordFailures, tally } from './tally.js';
import { extensionOf, instanceText, seeded } from './instances.js';

/**
 * Bad-input fuzzing of every CLI family (issue 13): damaged files and adversarial options.
 * Each case must end in exit 1 with a one-line reason, or in sound envelopes (exit 0 / 2);
 * never an internal error, a hang or a status its fields contradict. Cases are drawn with a
 * fixed fast-check seed (FUZZ_SEED overrides it, FUZZ_RUNS the count) so a failure replays.
 */
const SEED = Number(process.env['FUZZ_SEED'] ?? 13);
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 60);
/** How many leading numbers of a file (counts, sizes, the first values) get every bad number. */
const HEADER_NUMBERS = 4;

describe.each(allFamilies.map((f) => [f.name, f] as const))('CLI fuzz: %s', (name, family) => {
  it('damaged files: exit 1 with a reason, or sound results', async () => {
    const cases = fc.sample(fc.tuple(fc.nat(1e6), fc.constantFrom(...family.formats), fc.option(damageArbitrary, { freq: 5 })), { seed: SEED, numRuns: RUNS });
    const failures: string[] = [];
    for (const [instanceSeed, format, damage] of cases) {
      const valid = instanceText(format, name, seeded(instanceSeed));
      const text = damage === null ? valid : applyDamage(valid, damage);
      const outcome = await runCliCase({ family: name, fileName: `f${extensionOf(format)}`, text, args: bounded(requiredArgs(family)) });
      tally(name, outcome);
      const problems = cliProblems(outcome);
      if (problems.length > 0) failures.push(`${format} seed ${instanceSeed} damage ${JSON.stringify(damage)}: ${problems.join('; ')}\n${text.slice(0, 400)}`);
    }
    recordFailures(`${name} damaged files`, failures);
    expectNoFailures(`cli ${name} damaged files`, failures);
  });

  it('each of the first numbers of each format replaced by each bad number', async () => {
    const failures: string[] = [];
    for (const format of family.formats) {
      const valid = instanceText(format, name, seeded(7));
      for (let index = 0; index < HEADER_NUMBERS; index++) {
        for (const value of BAD_NUMBERS) {
          const text = applyDamage(valid, { kind: 'number', index, value });
          const outcome = await runCliCase({ family: name, fileName: `h${extensionOf(format)}`, text, args: bounded(requiredArgs(family)) });
          tally(name, outcome);
          const problems = cliProblems(outcome);
          if (problems.length > 0) failures.push(`${format} number ${index} -> ${value}: ${problems.join('; ')}\n${text.slice(0, 300)}`);
        }
      }
    }
    recordFailures(`${name} header numbers`, failures);
    expectNoFailures(`cli ${name} header numbers`, failures);
  });

  it('adversarial options: exit 1 with a reason, or sound results', async () => {
    const cases = fc.sample(fc.tuple(fc.nat(1e6), fc.constantFrom(...family.formats), flagsArbitrary(family)), { seed: SEED + 1, numRuns: RUNS });
    const failures: string[] = [];
    for (const [instanceSeed, format, flags] of cases) {
      const text = instanceText(format, name, seeded(instanceSeed));
      const outcome = await runCliCase({ family: name, fileName: `f${extensionOf(format)}`, text, args: bounded([...requiredArgs(family), ...flags]) });
      tally(name, outcome);
      const problems = cliProblems(outcome);
      if (problems.length > 0) failures.push(`${format} seed ${instanceSeed} flags ${JSON.stringify(flags)}: ${problems.join('; ')}\n${text.slice(0, 300)}`);
    }
    recordFailures(`${name} adversarial options`, failures);
    expectNoFailures(`cli ${name} adversarial options`, failures);
  });
});
