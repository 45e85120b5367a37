import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { configureHighs, HIGHS_VERSION, LinearModel, solveLp } from '@emplace/lp';

const require_ = createRequire(join(dirname(new URL(import.meta.url).pathname), '..', 'package.json'));

function tinyMip(): LinearModel {
  const m = new LinearModel('max');
  const x = m.addVariable({ ub: 3, type: 'integer', obj: 2 });
  const y = m.addVariable({ ub: 5, obj: 1 });
  m.addConstraint([x, y], [1, 1], -Infinity, 4.5);
  return m;
}

describe('HiGHS location (configureHighs)', () => {
  afterEach(() => configureHighs({}));

  it('loads HiGHS from the module and wasm URLs it is given', async () => {
    const wasm = require_.resolve('highs/runtime');
    configureHighs({ moduleUrl: pathToFileURL(join(dirname(wasm), 'highs.mjs')).href, wasmUrl: wasm });
    const r = await solveLp(tinyMip(), { backend: 'highs' });
    expect(r.status).toBe('optimal');
    expect(r.objective).toBeCloseTo(7.5, 9);
  });

  it('reports a wrong URL as a BackendError, and works again once reset', async () => {
    configureHighs({ moduleUrl: pathToFileURL('/definitely/not/highs.mjs').href });
    await expect(solveLp(tinyMip(), { backend: 'highs' })).rejects.toThrow(/highs/);
    configureHighs({});
    expect((await solveLp(tinyMip(), { backend: 'highs' })).objective).toBeCloseTo(7.5, 9);
  });

  it('pins the version browsers load by default to the installed highs package', () => {
    const pkg = JSON.parse(readFileSync(join(dirname(require_.resolve('highs/runtime')), '..', 'package.json'), 'utf8')) as { version: string };
    expect(HIGHS_VERSION).toBe(pkg.version);
  });
});
