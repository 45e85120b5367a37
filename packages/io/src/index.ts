/**
 * @emplace/io: readers and writers of benchmark and model formats. Every parser takes
 * text and is browser-safe; file reading (gzip included) is in `readTextFile` /
 * `readInstanceFile`, which load Node built-ins lazily, or in the `@emplace/io/node` entry.
 */
export type { ReadOptions } from './read-options.js';
export { parseNumber } from './tokens.js';
export { ReadAbortedError, type AsyncReadOptions } from './read-steps.js';
export { readOrlibCap, readOrlibCapAsync, writeOrlibCap, type OrlibCapOptions, type OrlibCapInstance } from './orlib-cap.js';
export { readOrlibGap, readOrlibGapAsync, writeOrlibGap, type OrlibGapInstance } from './orlib-gap.js';
export { readOrlibPmed, readOrlibPmedAsync, writeOrlibPmed, type OrlibPmedInstance } from './orlib-pmed.js';
export { readSteinlib, readSteinlibAsync, writeSteinlib, type SteinlibOptions, type SteinlibInstance } from './steinlib.js';
export { readDimacsMinCost, readDimacsMinCostAsync, writeDimacsMinCost, type DimacsMinCostInstance, type DimacsFlowNetwork } from './dimacs-mincost.js';
export {
  readGraphml,
  writeGraphml,
  type GraphmlOptions,
  type GraphmlInstance,
  type GraphmlNode,
  type GraphmlEdge,
  type AttributeValue,
} from './graphml.js';
export { readMatrixMarket, readMatrixMarketAsync, writeMatrixMarket, type MatrixMarketOptions, type MatrixMarketInstance } from './matrix-market.js';
export { readEdgeList, readEdgeListAsync, writeEdgeList, type EdgeListOptions, type EdgeListInstance, type WriteEdgeListOptions } from './edge-list.js';
export { readAwsLatency, type AwsLatencyInstance } from './aws-latency.js';
export { readEmplaceJson, writeEmplaceJson, type EmplaceJsonItem, type EmplaceJsonKind, type EmplaceJsonWritable } from './emplace-json.js';
export { parseXml, localName, escapeXml, type XmlElement } from './xml.js';
export {
  listFormats,
  findFormat,
  detectFormat,
  readInstance,
  readInstanceAsync,
  baseName,
  type FormatName,
  type FormatInfo,
  type InstanceData,
  type ReadInstanceOptions,
} from './formats.js';
export { readTextFile, readInstanceFile } from './lazy-file.js';
export { convertInstance, instanceContent, type InstanceContent } from './convert.js';
