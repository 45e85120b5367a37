import { EmplaceError } from '@emplace/core';

/** A command line the CLI cannot act on (unknown family, wrong option value, wrong format for a family). */
export class CliUsageError extends EmplaceError {}
