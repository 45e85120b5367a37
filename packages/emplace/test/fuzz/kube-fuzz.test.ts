import { runCli } from '@emplace/cli';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyDamage, damageArbitrary } from './damage.js';
import { messageProblems } from './envelope.js';
import { recordFailures } from './tally.js';

/**
 * Bad-input fuzzing of `emplace kube schedule` on the Karmada, OCM and Kueue fixtures of
 * @emplace/kube: damaged YAML / JSON must give exit 1 with a one-line reason, or decisions
 * (exit 0 / 2) printed as JSON lines; never an internal error.
 */
const SEED = Number(process.env['FUZZ_SEED'] ?? 13);
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 60);
const FIXTURES = ['karmada-worked.yaml', 'ocm.yaml', 'kueue.json'];
const fixtureDir = join(import.meta.dirname, '..', '..', '..', 'kube', 'test', 'fixtures');
const dir = mkdtempSync(join(tmpdir(), 'emplace-kube-fuzz-'));

describe.each(FIXTURES.map((f) => [f] as const))('kube schedule fuzz: %s', (fixture) => {
  it('damaged objects: exit 1 with a reason, or JSON decisions', async () => {
    const valid = readFileSync(join(fixtureDir, fixture), 'utf8');
    const failures: string[] = [];
    const cases = fc.sample(fc.tuple(damageArbitrary, fc.constantFrom('karmada', 'optimal')), { seed: SEED, numRuns: RUNS });
    for (const [index, [damage, strategy]] of cases.entries()) {
      const text = applyDamage(valid, damage);
      const file = join(dir, `${index}-${fixture}`);
      writeFileSync(file, text);
      let out = '';
      let err = '';
      const code = await runCli(['kube', 'schedule', file, '--strategy', strategy, '--time-limit', '2', '-o', 'json'], { stdout: (t) => (out += t), stderr: (t) => (err += t) });
      const problems: string[] = [];
      if (code === 1) problems.push(...messageProblems(err));
      else if (code === 0 || code === 2) {
        for (const line of out.trim().split('\n').filter(Boolean)) {
          try {
            const record = JSON.parse(line) as { objective?: unknown };
            if (typeof record.objective === 'number' && !Number.isFinite(record.objective)) problems.push(`objective ${record.objective}`);
          } catch {
            problems.push(`not JSON: ${line.slice(0, 100)}`);
          }
        }
        if (/internal error|TypeError|RangeError/.test(err)) problems.push(`stderr: ${err.slice(0, 200)}`);
      } else problems.push(`exit ${code}`);
      if (problems.length > 0) failures.push(`${fixture} ${strategy} damage ${JSON.stringify(damage)}: ${problems.join('; ')}: ${err.trim().slice(0, 300)}`);
    }
    recordFailures(`kube ${fixture}`, failures);
    expect(failures).toEqual([]);
  });
});
