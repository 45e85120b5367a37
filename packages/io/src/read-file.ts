import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { FormatError, yieldToEventLoop } from '@emplace/core';
import { readEdgeListBytesAsync } from './edge-list.js';
import { baseName, detectFormat, findFormat, readInstanceAsync, type InstanceData, type ReadInstanceOptions } from './formats.js';

/**
 * Node-only file reading (node:fs, node:zlib). Import it from `@emplace/io/node`, or call
 * the lazy `readTextFile` / `readInstanceFile` of the main entry, which load this module
 * only when called so that browser bundles of the parsers never pull in Node built-ins.
 */

const gunzipAsync = promisify(gunzip);

/** Bytes decoded between two turns of the event loop (a few ms). */
const DECODE_CHUNK = 1 << 21;

/**
 * Where a piece [at, end) may end so that it decodes as it does within the whole: before the
 * last lead byte of its last 3 bytes when that byte's sequence would run past `end` (a decoder
 * starts afresh at any non-continuation byte, so cutting there changes nothing).
 */
function pieceEnd(bytes: Uint8Array, at: number, end: number): number {
  if (end >= bytes.length) return end;
  for (let j = end - 1; j >= Math.max(at + 1, end - 3); j--) {
    const b = bytes[j]!;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte 10xxxxxx
    const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return j + length > end ? j : end;
  }
  return end;
}

/**
 * UTF-8 to text as TextDecoder does (a leading BOM dropped, malformed bytes as U+FFFD), by
 * Buffer's decoder, about twice as fast, in pieces cut between characters with a turn of
 * the event loop between them: a 12 MB file no longer holds the loop for 50-100 ms.
 */
export async function decodeUtf8(bytes: Uint8Array, chunk = DECODE_CHUNK): Promise<string> {
  let at = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (bytes.length - at <= chunk) return buffer.toString('utf8', at);
  const parts: string[] = [];
  while (at < bytes.length) {
    const end = pieceEnd(bytes, at, Math.min(bytes.length, at + chunk));
    parts.push(buffer.toString('utf8', at, end));
    at = end;
    if (at < bytes.length) await yieldToEventLoop();
  }
  return parts.join('');
}

/** A file's bytes, gunzipped when they start with the gzip magic bytes (1f 8b). */
async function readFileBytes(path: string): Promise<Uint8Array> {
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
  return bytes;
}

/** Reads a file as UTF-8 text, gunzipping it first when it starts with the gzip magic bytes (1f 8b). */
export async function readTextFile(path: string): Promise<string> {
  return decodeUtf8(await readFileBytes(path));
}

/** Bytes of UTF-8 [start, end) as text, as TextDecoder decodes them with a BOM kept (Buffer's decoder, about twice as fast). */
function decodeRange(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8', start, end);
}

/** Bytes that hold the 4096 characters format detection looks at (at most 4 bytes each, and a BOM). */
const HEAD_BYTES = 4 * 4096 + 3;

/**
 * The format of a file when it is an edge list by its `format` or by its name: an edge-list
 * extension (.edges, .tsv, ...), whose detection looks only at the name and the first 4096
 * characters (detectFormat decides on the extension before any whole-text check), so it is
 * decided here from the head of the bytes; undefined for any other file.
 */
function edgeListByName(path: string, bytes: Uint8Array, format: string | undefined): 'edge-list' | undefined {
  if (format !== undefined) return findFormat(format).name === 'edge-list' ? 'edge-list' : undefined;
  const ext = /\.([A-Za-z0-9]+)$/.exec(path.replace(/\.gz$/i, ''))?.[1]?.toLowerCase();
  if (ext === undefined || !findFormat('edge-list').extensions.includes(ext)) return undefined;
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const head = decodeRange(bytes, bom, Math.min(bytes.length, HEAD_BYTES));
  return detectFormat(path, head) === 'edge-list' ? 'edge-list' : undefined;
}

/**
 * Reads an instance file in any supported format: `format` (a name or alias) or
 * detection by extension and content; gzip is handled transparently. An edge list is parsed
 * from the bytes a piece at a time (readEdgeListBytesAsync), never made one string.
 */
export async function readInstanceFile(path: string, format?: string | ReadInstanceOptions, options: ReadInstanceOptions = {}): Promise<InstanceData> {
  const opts: ReadInstanceOptions = typeof format === 'string' ? { ...options, format } : { ...options, ...(format ?? {}) };
  const bytes = await readFileBytes(path);
  if (edgeListByName(path, bytes, opts.format) === 'edge-list') {
    const name = opts.name ?? baseName(path) ?? 'edge-list';
    const source = opts.source ?? (path !== '' ? path : undefined);
    const ro = { ...(source !== undefined ? { name, source } : { name }), signal: opts.signal };
    return { format: 'edge-list', name, data: await readEdgeListBytesAsync(bytes, ro, decodeRange) };
  }
  return readInstanceAsync(await decodeUtf8(bytes), path, opts);
}
