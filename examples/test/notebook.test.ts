import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCells, runNotebook } from '../lib/notebook.js';

const here = dirname(fileURLToPath(import.meta.url));

describe('notebook examples', () => {
  it('splits a file into prose and code cells', () => {
    const cells = parseCells('/** header */\n// %% [markdown]\n// # Title\n// text\n\n// %%\nconst a = 1;\nconsole.log(a);\n');
    expect(cells.map((c) => c.kind)).toEqual(['markdown', 'code']);
    expect(cells[0]!.source).toBe('# Title\ntext');
    expect(cells[1]!.source).toBe('const a = 1;\nconsole.log(a);');
  });

  it('runs the steiner example and renders prose, code, output and a figure', async () => {
    const out = mkdtempSync(join(tmpdir(), 'emplace-nb-'));
    try {
      const md = await runNotebook(join(here, '..', 'notebooks', 'steiner.ts'), out);
      expect(md).toContain('# Steiner trees');
      expect(md).toContain('```ts');
      expect(md).toMatch(/auto\s+[\d.]+ ms\s+optimal/);
      expect(md).toContain('![the optimal Steiner tree');
      expect(existsSync(join(out, 'steiner-6.svg'))).toBe(true);
      expect(readFileSync(join(out, 'steiner-6.svg'), 'utf8')).toMatch(/^<svg/);
      // The committed rendering is the same example (outputs may differ only in timing).
      expect(readFileSync(join(here, '..', 'out', 'steiner.md'), 'utf8')).toContain('# Steiner trees');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
