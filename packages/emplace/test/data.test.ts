import { describe, expect, it } from 'vitest';
import { buildInstance, data, validateWorld, validateGoals } from '@emplace/emplace';

describe('embedded data set', () => {
  it('has 32 regions with a 32 x 32 latency matrix, 300 cities and land rings in range', () => {
    expect(data.awsRegions.length).toBe(32);
    expect(data.awsLatencyMs.length).toBe(32 * 32);
    for (const v of data.awsLatencyMs) expect(v).toBeGreaterThan(0);
    expect(data.worldCities.length).toBe(300);
    const names = new Set(data.worldCities.map(([n, c]) => `${n}, ${c}`));
    expect(names.size).toBe(300);
    for (const [, , lat, lon, pop] of data.worldCities) {
      expect(Math.abs(lat)).toBeLessThanOrEqual(90);
      expect(Math.abs(lon)).toBeLessThanOrEqual(180);
      expect(pop).toBeGreaterThan(1e6);
    }
    expect(data.worldLand.length).toBeGreaterThan(50);
    for (const ring of data.worldLand) {
      expect(ring.length % 2).toBe(0);
      for (let k = 0; k < ring.length; k += 2) {
        expect(Math.abs(ring[k]!)).toBeLessThanOrEqual(180);
        expect(Math.abs(ring[k + 1]!)).toBeLessThanOrEqual(90);
      }
    }
  });

  it('the demo world is valid, every city has a tenant and EU cities can reach an EU region within the cap', () => {
    const world = data.demoWorld();
    validateWorld(world);
    validateGoals(data.demoGoals, world);
    const owned = world.tenants!.flatMap((t) => t.populations);
    expect(new Set(owned).size).toBe(world.populations.length);
    const inst = buildInstance(world, data.demoGoals);
    for (let j = 0; j < inst.nPopulations; j++) {
      let allowed = 0;
      for (let i = 0; i < inst.nRegions; i++) allowed += inst.costModel.allowed![i * inst.nPopulations + j]!;
      expect(allowed, world.populations[j]!.id).toBeGreaterThan(0);
    }
  });
});
