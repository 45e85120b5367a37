import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '@emplace/cli';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

const model = {
  kind: 'placement',
  sites: [{ id: 'eu', openingCost: 10 }, { id: 'us', openingCost: 12 }, { id: 'ap', openingCost: 9 }],
  clients: [{ id: 'paris' }, { id: 'nyc' }, { id: 'tokyo' }, { id: 'sf' }],
  cost: [[0, 8, 12, 9], [8, 0, 10, 3], [12, 10, 0, 7]],
};
const dir = mkdtempSync(join(tmpdir(), 'emplace-unc-'));
const listed = join(dir, 'listed.json');
writeFileSync(listed, JSON.stringify({ kind: 'scenarios', penalty: 50, model, scenarios: [{ name: 'calm', probability: 0.7 }, { name: 'eu-down', probability: 0.1, failed: ['eu'] }, { name: 'asia-peak', probability: 0.2, demand: { tokyo: 3 } }] }));
const generated = join(dir, 'generated.json');
writeFileSync(generated, JSON.stringify({ kind: 'scenarios', penalty: 50, model, generator: { count: 30, seed: 3, demandSigma: 0.5, failureProbability: 0.1 } }));
const bad = join(dir, 'bad.json');
writeFileSync(bad, JSON.stringify({ kind: 'scenarios', model, scenarios: [{ failed: ['mars'] }] }));
const placement = join(dir, 'placement.json');
writeFileSync(placement, JSON.stringify(model));

describe('uncertainty CLI families', () => {
  it('stochastic: exact by default, SAA with its bounds', async () => {
    const exact = await run('solve', 'stochastic', listed, '--json');
    expect(exact.code).toBe(0);
    const rec = JSON.parse(exact.out.trim()) as { status: string; objective: number; scenarios: number };
    expect(rec.status).toBe('optimal');
    expect(rec.scenarios).toBe(3);
    const saa = await run('solve', 'stochastic', generated, '--method', 'saa', '--samples', '8', '--replications', '4', '--evaluation-samples', '200', '--json');
    expect(saa.code).toBe(0);
    const s = JSON.parse(saa.out.trim()) as { status: string; lowerBound: number; upperBound: number };
    expect(s.status).toBe('feasible');
    expect(s.lowerBound).toBeLessThanOrEqual(s.upperBound);
  });

  it('robust: min-max regret; a bad scenario field is one line and exit 1', async () => {
    const r = await run('solve', 'robust', listed, '--criterion', 'min-max-regret', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out.trim()).status).toBe('optimal');
    const b = await run('solve', 'robust', bad);
    expect(b.code).toBe(1);
    expect(b.err).toMatch(/scenarios\[0\]\.failed\[0\]/);
  });

  it('online families replay an order and report the measured ratio', async () => {
    const u = await run('solve', 'online-ufl', placement, '--order', 'random', '--runs', '5', '--json');
    expect(u.code).toBe(0);
    const rec = JSON.parse(u.out.trim()) as { meanRatio: number; offline: number };
    expect(rec.meanRatio).toBeGreaterThanOrEqual(1 - 1e-12);
    const k = await run('solve', 'online-kcenter', placement, '--k', '2', '--runs', '3', '--json');
    expect(k.code).toBe(1); // sites are not at every client's location: the guarantee's precondition fails
    expect(k.err).toMatch(/distance 0/);
  });
});
