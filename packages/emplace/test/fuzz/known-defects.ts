import { expect } from 'vitest';

/**
 * Defects the fuzz harness found in packages its author does not own, reported to their owners
 * (the fuzz findings list of issue 13, F1..F9). A listed test must still find its defect: once an
 * owner fixes it, the test fails with "now passes" and the entry is removed here, so the fix is
 * guarded from then on. Keys are the test titles' labels.
 */
export const KNOWN_DEFECTS: Readonly<Record<string, string>> = {
};

/** No failures, or, for a known defect, still some (see KNOWN_DEFECTS). */
export function expectNoFailures(label: string, failures: readonly string[]): void {
  const known = KNOWN_DEFECTS[label];
  if (known === undefined) expect(failures).toEqual([]);
  else expect(failures.length, `${label} now passes: remove it from KNOWN_DEFECTS (${known})`).toBeGreaterThan(0);
}
