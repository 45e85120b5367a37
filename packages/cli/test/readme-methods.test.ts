import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { MethodTableInfo } from '@emplace/core';
import { methodTables as assignment } from '@emplace/assignment';
import { methodTables as facility } from '@emplace/facility';
import { methodTables as flows } from '@emplace/flows';
import { methodTables as graph } from '@emplace/graph';
import { methodTables as kcenter } from '@emplace/kcenter';
import { methodTables as mechanism } from '@emplace/mechanism';
import { methodTables as pareto } from '@emplace/pareto';
import { methodTables as spectral } from '@emplace/spectral';
import { methodTables as steiner } from '@emplace/steiner';
import { TABLE_PACKAGES, withMethods } from '../../../scripts/methods-table.mjs';

// The README's "Methods and guarantees" section is generated from the package's method tables
// (scripts/methods-table.mjs --write); this fails when a table changed and the README did not.
const TABLES: Readonly<Record<string, readonly MethodTableInfo[]>> = { assignment, facility, flows, graph, kcenter, mechanism, pareto, spectral, steiner };

describe('README methods tables', () => {
  it('cover every package with method tables', () => {
    expect(Object.keys(TABLES).sort()).toEqual([...TABLE_PACKAGES].sort());
  });

  for (const pkg of TABLE_PACKAGES) {
    it(`packages/${pkg}/README.md matches src/methods.ts (else: node scripts/methods-table.mjs --write)`, () => {
      const readme = readFileSync(new URL(`../../${pkg}/README.md`, import.meta.url), 'utf8');
      const tables = TABLES[pkg]!;
      const generated = withMethods(readme, tables);
      expect(generated, 'the README has no <!-- methods:begin --> ... <!-- methods:end --> markers').toBeDefined();
      expect(readme).toBe(generated);
    });
  }
});
