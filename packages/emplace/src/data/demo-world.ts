import type { Goals } from '../goals.js';
import type { Population, Region, Tenant, World } from '../world.js';
import { awsLatencyMs, awsRegions } from './aws-regions.js';
import { worldCities } from './world-cities.js';

/** Member states of the European Union (ISO 3166-1 alpha-2): their users' data stays in EU regions. */
export const EU_COUNTRIES: ReadonlySet<string> = new Set([
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE',
]);

/**
 * Relative cost of running the same service in each AWS region (us-east-1 = 1). An
 * illustration in the spirit of the providers' public price lists (South America, Africa
 * and some Asia-Pacific regions cost more), not a quote.
 */
export const REGION_PRICE_FACTOR: Readonly<Record<string, number>> = {
  'af-south-1': 1.3, 'ap-east-1': 1.35, 'ap-northeast-1': 1.3, 'ap-northeast-2': 1.25, 'ap-northeast-3': 1.3,
  'ap-south-1': 1.1, 'ap-south-2': 1.1, 'ap-southeast-1': 1.25, 'ap-southeast-2': 1.3, 'ap-southeast-3': 1.25,
  'ap-southeast-4': 1.3, 'ap-southeast-5': 1.2, 'ap-southeast-7': 1.2, 'ca-central-1': 1.1, 'ca-west-1': 1.1,
  'eu-central-1': 1.15, 'eu-central-2': 1.3, 'eu-north-1': 1.05, 'eu-south-1': 1.15, 'eu-south-2': 1.1,
  'eu-west-1': 1.1, 'eu-west-2': 1.15, 'eu-west-3': 1.15, 'il-central-1': 1.25, 'me-central-1': 1.25,
  'me-south-1': 1.25, 'mx-central-1': 1.15, 'sa-east-1': 1.55, 'us-east-1': 1, 'us-east-2': 1,
  'us-west-1': 1.15, 'us-west-2': 1,
};

/** The business unit (tenant) of a city in the demo: eight units by geography. */
export function demoTenantOf(lat: number, lon: number): string {
  if (lon < -30) return lat > 15 ? 'North America' : 'Latin America';
  if (lon < 60) return lat > 36 ? 'Europe' : lat > 12 && lon > 30 ? 'Middle East' : 'Africa';
  if (lon < 92) return 'South Asia';
  return lat > 20 && lon < 150 ? 'East Asia' : 'Southeast Asia & Oceania';
}

export interface DemoWorldOptions {
  /** Number of cities (largest first), at most 300. Default 300. */
  cities?: number;
  /** Cost of one region for the planning period at price factor 1. Default 1500. */
  regionCost?: number;
  /** Use the measured AWS latency (default) or the great-circle model. */
  measuredLatency?: boolean;
}

/**
 * The embedded real data set as a `World`: the 32 AWS regions (coordinates, jurisdiction,
 * illustrative relative cost, measured p50 inter-region latency), the world's largest
 * cities as user populations (GeoNames populations, in millions), EU residency, and
 * eight geographic business units as tenants.
 */
export function demoWorld(options: DemoWorldOptions = {}): World {
  const nCities = Math.min(worldCities.length, options.cities ?? 300);
  const base = options.regionCost ?? 1500;
  const regions: Region[] = awsRegions.map((r) => ({
    id: r.code,
    name: r.city,
    lat: r.lat,
    lon: r.lon,
    jurisdiction: r.jurisdiction,
    cost: Math.round(base * (REGION_PRICE_FACTOR[r.code] ?? 1.2)),
    domain: r.code.split('-')[0]!,
  }));
  const populations: Population[] = worldCities.slice(0, nCities).map(([name, country, lat, lon, population]) => ({
    id: `${name}, ${country}`,
    name,
    lat,
    lon,
    users: Math.round(population / 1e4) / 100,
    jurisdiction: EU_COUNTRIES.has(country) ? 'EU' : country,
  }));
  const byTenant = new Map<string, string[]>();
  for (const p of populations) {
    const t = demoTenantOf(p.lat, p.lon);
    if (!byTenant.has(t)) byTenant.set(t, []);
    byTenant.get(t)!.push(p.id);
  }
  const tenants: Tenant[] = [...byTenant.entries()].map(([id, pops]) => ({ id, populations: pops }));
  return {
    regions,
    populations,
    tenants,
    network: options.measuredLatency === false ? {} : { latencyMs: awsLatencyMs },
  };
}

/** The demo's goals: minimum total cost, EU users served from the EU, at most 150 ms, at least two regions' worth of failover reported. */
export const demoGoals: Goals = {
  optimise: 'cost',
  latencyPrice: 2,
  maxLatencyMs: 150,
  residency: { EU: ['EU'] },
  reinforceLinks: 2,
};
