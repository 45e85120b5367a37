export { familyHelp, cliVersion, MAX_WIDTH, type FamilyInfo } from './help.js';
export { runCli, EXIT_OK, EXIT_BAD_INPUT, EXIT_NO_SOLUTION, type CliStreams, type RunCliOptions } from './cli.js';
export { abortOnSignals } from './signals.js';
export { parseCommandLine, suggest, GLOBAL_OPTIONS, SOLVE_OPTIONS, type ParsedCommandLine } from './args.js';
export { solveOptions, K_OPTION, CAPACITY_OPTION, type CliArgs, type CliFamily, type CliProblem, type CliOption } from './family.js';
export { allFamilies } from './families/index.js';
