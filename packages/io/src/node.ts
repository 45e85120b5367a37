/** Node-only entry (`@emplace/io/node`): file reading with gzip support, plus everything of the main entry. */
export * from './index.js';
export { readTextFile, readInstanceFile } from './read-file.js';
