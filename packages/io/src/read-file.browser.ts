import { EmplaceError } from '@emplace/core';
import type { InstanceData, ReadInstanceOptions } from './formats.js';

/*
 * Browser stand-in for read-file.ts (package.json "browser" field): there is no file system.
 * Read the text yourself (fetch, File.text()) and call `readInstance(text, ...)`.
 */

function nodeOnly(what: string): never {
  throw new EmplaceError(`${what} reads files and runs in Node only; in a browser pass the text to readInstance()`);
}

export async function readTextFile(_path: string): Promise<string> {
  return nodeOnly('readTextFile');
}

export async function readInstanceFile(_path: string, _format?: string | ReadInstanceOptions, _options: ReadInstanceOptions = {}): Promise<InstanceData> {
  return nodeOnly('readInstanceFile');
}
