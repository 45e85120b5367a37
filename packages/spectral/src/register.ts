import { registerMethods } from '@emplace/core';
import { methodTables } from './methods.js';

// Registers every method of the package's tables (methods.ts) with @emplace/core's registry.
registerMethods(...methodTables);
