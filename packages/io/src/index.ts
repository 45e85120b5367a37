export type { ReadOptions } from './read-options.js';
export { parseNumber } from './tokens.js';
export { readOrlibCap, writeOrlibCap, type OrlibCapOptions, type OrlibCapInstance } from './orlib-cap.js';
export { readOrlibGap, writeOrlibGap, type OrlibGapInstance } from './orlib-gap.js';
export { readOrlibPmed, writeOrlibPmed, type OrlibPmedInstance } from './orlib-pmed.js';
export { readSteinlib, writeSteinlib, type SteinlibOptions, type SteinlibInstance } from './steinlib.js';
