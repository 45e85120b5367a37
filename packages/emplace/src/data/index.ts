/**
 * The embedded real data set, shipped in the package (no download at run time).
 * Sources and licences are stated in each file.
 */
export { awsRegions, awsLatencyMs, type RegionInfo } from './aws-regions.js';
export { worldCities, type CityRow } from './world-cities.js';
export { worldLand } from './world-land.js';
export { demoWorld, demoGoals, demoTenantOf, EU_COUNTRIES, REGION_PRICE_FACTOR, type DemoWorldOptions } from './demo-world.js';
