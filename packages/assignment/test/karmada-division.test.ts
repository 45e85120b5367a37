/**
 * Karmada's own unit tests (assignment_test.go, division_algorithm_test.go, common_test.go),
 * transcribed as data in fixtures/karmada/division.json, run through karmadaAssignReplicas.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KarmadaSchedulingError, karmadaAssignReplicas, type KarmadaDivisionInput, type KarmadaTargetCluster } from '@emplace/assignment';

interface DivisionCase {
  source: string;
  test: string;
  name: string;
  input: KarmadaDivisionInput;
  want?: KarmadaTargetCluster[];
  wantError?: boolean | string;
  wantUnschedulable?: boolean;
  ordered?: boolean;
}

const here = dirname(fileURLToPath(import.meta.url));
const fixture = JSON.parse(readFileSync(join(here, 'fixtures/karmada/division.json'), 'utf8')) as { cases: DivisionCase[] };

/** helper.IsScheduleResultEqual: same length, every entry found in the other list. */
function sameSet(a: readonly KarmadaTargetCluster[], b: readonly KarmadaTargetCluster[]): boolean {
  return a.length === b.length && a.every((x) => b.some((y) => y.name === x.name && y.replicas === x.replicas));
}

describe('karmadaAssignReplicas on cases transcribed from Karmada unit tests', () => {
  it('has the transcribed cases', () => {
    expect(fixture.cases.length).toBeGreaterThanOrEqual(39);
  });
  for (const c of fixture.cases) {
    it(`${c.test}: ${c.name}`, () => {
      if (c.wantError !== undefined) {
        let error: unknown;
        try {
          karmadaAssignReplicas(c.input);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(KarmadaSchedulingError);
        if (typeof c.wantError === 'string') expect((error as Error).message).toContain(c.wantError);
        if (c.wantUnschedulable !== undefined) expect((error as KarmadaSchedulingError).unschedulable).toBe(c.wantUnschedulable);
        return;
      }
      const got = karmadaAssignReplicas(c.input);
      if (c.ordered) expect(got).toEqual(c.want);
      else expect(sameSet(got, c.want!), `got ${JSON.stringify(got)}`).toBe(true);
    });
  }
});
