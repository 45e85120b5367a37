import { FormatError } from '@emplace/core';
import { readInstanceFile, type InstanceData, type ReadInstanceOptions } from '@emplace/io';
import { CliUsageError } from './usage-error.js';

/**
 * Reads an input file for a family that accepts `formats`. When no `--format` is given and
 * detection lands on a format the family does not read (a damaged OR-Library pmed file looks
 * like an edge list), each accepted text format is tried in turn: the first that parses wins,
 * and when none does, the error is the one of the format that got furthest into the file
 * (`pmed1.txt:line 12: expected ...`), not "this is an edge list".
 */
export async function readFamilyInput(family: string, path: string, formats: readonly string[], options: ReadInstanceOptions = {}): Promise<InstanceData> {
  const data = await readInstanceFile(path, options);
  if (options.format !== undefined || formats.includes(data.format)) return data;
  let best: { format: string; error: unknown; line: number } | undefined;
  for (const format of formats) {
    if (format === 'emplace-json' || format === 'aws-latency') continue; // JSON is never mistaken for a numeric layout
    try {
      return await readInstanceFile(path, { ...options, format });
    } catch (error) {
      if (!(error instanceof FormatError)) throw error;
      const line = error.line ?? 0;
      if (best === undefined || line > best.line) best = { format, error, line };
    }
  }
  if (best !== undefined && best.line > 1) {
    const msg = best.error instanceof Error ? best.error.message : String(best.error);
    throw new CliUsageError(`${family} reads ${formats.join(', ')}; this file is no valid ${best.format} (${msg}) and was detected as ${data.format}`);
  }
  throw new CliUsageError(`${family} reads ${formats.join(', ')} files, not ${data.format} (pass --format if the detection is wrong)`);
}
