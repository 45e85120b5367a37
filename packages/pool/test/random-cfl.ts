import { createPlacementModel, Rng, type PlacementModel } from '@emplace/core';

/**
 * A capacitated facility instance on random points in a 100 x 100 square (rounded Euclidean
 * costs, demands 1-20, capacity 3x the average share, opening costs 500-999): large enough that
 * the CFL methods report several incumbents before they finish.
 */
export function randomCflModel(sites: number, clients: number, seed: number): PlacementModel {
  const rng = new Rng(seed);
  const xs = Array.from({ length: sites + clients }, () => [rng.next() * 100, rng.next() * 100] as const);
  const cost = new Float64Array(sites * clients);
  for (let i = 0; i < sites; i++) for (let j = 0; j < clients; j++) cost[i * clients + j] = Math.round(Math.hypot(xs[i]![0] - xs[sites + j]![0], xs[i]![1] - xs[sites + j]![1]));
  const demand = Array.from({ length: clients }, () => 1 + Math.floor(rng.next() * 20));
  const total = demand.reduce((x, y) => x + y, 0);
  return createPlacementModel({
    sites,
    clients,
    cost,
    demand,
    capacity: Array.from({ length: sites }, () => Math.ceil((3 * total) / sites)),
    openingCost: Array.from({ length: sites }, () => 500 + Math.floor(rng.next() * 500)),
  });
}
