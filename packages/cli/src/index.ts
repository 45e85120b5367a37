export { runCli, EXIT_OK, EXIT_BAD_INPUT, EXIT_NO_SOLUTION, type CliStreams } from './cli.js';
export { parseCommandLine, type ParsedCommandLine } from './args.js';
export type { CliArgs, CliFamily, CliProblem } from './family.js';
export { allFamilies } from './families/index.js';
