import type { InstanceData, ReadInstanceOptions } from './formats.js';

/**
 * The file-reading functions of the main entry. They load the Node-only module
 * (`read-file.ts`, which imports node:fs and node:zlib) on first call, so importing
 * `@emplace/io` stays browser-safe; bundlers put that module in a chunk that browsers
 * never fetch unless these functions are called.
 */

/** Reads a file as text, gunzipping it when it starts with the gzip magic bytes. Node only. */
export async function readTextFile(path: string): Promise<string> {
  const m = await import('./read-file.js');
  return m.readTextFile(path);
}

/** Reads an instance file in a given or detected format (gzip handled). Node only. */
export async function readInstanceFile(path: string, format?: string | ReadInstanceOptions, options: ReadInstanceOptions = {}): Promise<InstanceData> {
  const m = await import('./read-file.js');
  return m.readInstanceFile(path, format, options);
}
