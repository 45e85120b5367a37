import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { FormatError } from '@emplace/core';
import { readInstanceAsync, type InstanceData, type ReadInstanceOptions } from './formats.js';

/**
 * Node-only file reading (node:fs, node:zlib). Import it from `@emplace/io/node`, or call
 * the lazy `readTextFile` / `readInstanceFile` of the main entry, which load this module
 * only when called so that browser bundles of the parsers never pull in Node built-ins.
 */

const gunzipAsync = promisify(gunzip);

/** Reads a file as UTF-8 text, gunzipping it first when it starts with the gzip magic bytes (1f 8b). */
export async function readTextFile(path: string): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new FormatError(`cannot read file: ${why}`, { source: path }, { cause: err });
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      // On the thread pool: a large archive does not hold the event loop (a signal is seen).
      bytes = await gunzipAsync(bytes);
    } catch (err) {
      throw new FormatError(`corrupt gzip data: ${(err as Error).message}`, { source: path }, { cause: err });
    }
  }
  return new TextDecoder('utf-8').decode(bytes);
}

/**
 * Reads an instance file in any supported format: `format` (a name or alias) or
 * detection by extension and content; gzip is handled transparently.
 */
export async function readInstanceFile(path: string, format?: string | ReadInstanceOptions, options: ReadInstanceOptions = {}): Promise<InstanceData> {
  const opts: ReadInstanceOptions = typeof format === 'string' ? { ...options, format } : { ...options, ...(format ?? {}) };
  const text = await readTextFile(path);
  return readInstanceAsync(text, path, opts);
}
