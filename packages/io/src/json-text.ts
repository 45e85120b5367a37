import { FormatError } from '@emplace/core';
import { sourceAt } from './tokens.js';

/**
 * JSON.parse with a FormatError carrying the line of a syntax error (V8 reports a
 * character position, which is turned into a 1-based line number).
 */
export function parseJsonText(text: string, source: string | undefined): unknown {
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const pos = /position (\d+)/.exec(message);
    const lineCol = /line (\d+)/.exec(message);
    let line: number | undefined;
    if (pos) line = lineOfOffset(text, Number(pos[1]));
    else if (lineCol) line = Number(lineCol[1]);
    else line = lineOfOffset(text, text.length);
    throw new FormatError(`invalid JSON: ${message.replace(/^JSON\.parse: /, '')}`, sourceAt(source, line), { cause: err });
  }
}

/** 1-based line of a character offset. */
export function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export function isRecord(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}
