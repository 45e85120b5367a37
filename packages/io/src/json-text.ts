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
    // Node 20's messages often carry no position: find the offending offset ourselves.
    const line = lineOfOffset(text, locateJsonError(text));
    throw new FormatError(`invalid JSON: ${message.replace(/^JSON\.parse: /, '').replace(/\s+/g, ' ')}`, sourceAt(source, line), { cause: err });
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

/**
 * Offset of the first JSON syntax error in text (text.length when the text ends too
 * early). Only called after JSON.parse failed, so it need not build any value.
 */
export function locateJsonError(text: string): number {
  let p = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const len = text.length;
  class Stop {
    constructor(readonly at: number) {}
  }
  const ws = (): void => {
    while (p < len) {
      const c = text.charCodeAt(p);
      if (c === 32 || c === 9 || c === 10 || c === 13) p++;
      else break;
    }
  };
  const expectChar = (ch: string): void => {
    if (text[p] !== ch) throw new Stop(p);
    p++;
  };
  const str = (): void => {
    expectChar('"');
    while (p < len) {
      const c = text[p]!;
      if (c === '"') {
        p++;
        return;
      }
      if (c === '\\') {
        const e = text[p + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(p + 2, p + 6))) throw new Stop(p);
          p += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) p += 2;
        else throw new Stop(p);
        continue;
      }
      if (c.charCodeAt(0) < 32) throw new Stop(p);
      p++;
    }
    throw new Stop(len);
  };
  const value = (): void => {
    ws();
    if (p >= len) throw new Stop(len);
    const c = text[p]!;
    if (c === '{') {
      p++;
      ws();
      if (text[p] === '}') {
        p++;
        return;
      }
      for (;;) {
        ws();
        str();
        ws();
        expectChar(':');
        value();
        ws();
        if (text[p] === ',') {
          p++;
          continue;
        }
        expectChar('}');
        return;
      }
    }
    if (c === '[') {
      p++;
      ws();
      if (text[p] === ']') {
        p++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[p] === ',') {
          p++;
          continue;
        }
        expectChar(']');
        return;
      }
    }
    if (c === '"') {
      str();
      return;
    }
    for (const lit of ['true', 'false', 'null']) {
      if (text.startsWith(lit, p)) {
        p += lit.length;
        return;
      }
    }
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(p, p + 400));
    if (!m || m[0] === '' || m[0] === '-') throw new Stop(p);
    p += m[0].length;
  };
  try {
    value();
    ws();
    return p < len ? p : len;
  } catch (stop) {
    if (stop instanceof Stop) return Math.min(stop.at, len);
    throw stop;
  }
}
