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
  const scanner = new JsonScanner(text);
  try {
    scanner.value();
    scanner.ws();
    return scanner.p < text.length ? scanner.p : text.length;
  } catch (stop) {
    if (stop instanceof Stop) return Math.min(stop.at, text.length);
    // Nesting deeper than the stack: the error is somewhere in there; point at the deepest point reached.
    if (stop instanceof RangeError) return Math.min(scanner.p, text.length);
    throw stop;
  }
}

/** Thrown at the offset of the first syntax error. */
class Stop {
  constructor(readonly at: number) {}
}

/** A recursive-descent JSON recogniser that stops at the first syntax error. */
class JsonScanner {
  p: number;
  private readonly len: number;

  constructor(private readonly text: string) {
    this.p = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    this.len = text.length;
  }

  ws(): void {
    while (this.p < this.len) {
      const c = this.text.charCodeAt(this.p);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.p++;
      else break;
    }
  }

  private expectChar(ch: string): void {
    if (this.text[this.p] !== ch) throw new Stop(this.p);
    this.p++;
  }

  private str(): void {
    const { text, len } = this;
    this.expectChar('"');
    while (this.p < len) {
      const c = text[this.p]!;
      if (c === '"') {
        this.p++;
        return;
      }
      if (c === '\\') {
        const e = text[this.p + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(this.p + 2, this.p + 6))) throw new Stop(this.p);
          this.p += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) this.p += 2;
        else throw new Stop(this.p);
        continue;
      }
      if (c.charCodeAt(0) < 32) throw new Stop(this.p);
      this.p++;
    }
    throw new Stop(len);
  }

  value(): void {
    this.ws();
    if (this.p >= this.len) throw new Stop(this.len);
    const c = this.text[this.p]!;
    if (c === '{') this.object();
    else if (c === '[') this.array();
    else if (c === '"') this.str();
    else this.scalar();
  }

  private object(): void {
    this.p++;
    this.ws();
    if (this.text[this.p] === '}') {
      this.p++;
      return;
    }
    for (;;) {
      this.ws();
      this.str();
      this.ws();
      this.expectChar(':');
      this.value();
      this.ws();
      if (this.text[this.p] !== ',') break;
      this.p++;
    }
    this.expectChar('}');
  }

  private array(): void {
    this.p++;
    this.ws();
    if (this.text[this.p] === ']') {
      this.p++;
      return;
    }
    for (;;) {
      this.value();
      this.ws();
      if (this.text[this.p] !== ',') break;
      this.p++;
    }
    this.expectChar(']');
  }

  /** true, false, null or a number. */
  private scalar(): void {
    for (const lit of ['true', 'false', 'null']) {
      if (this.text.startsWith(lit, this.p)) {
        this.p += lit.length;
        return;
      }
    }
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.p, this.p + 400));
    if (!m || m[0] === '' || m[0] === '-') throw new Stop(this.p);
    this.p += m[0].length;
  }
}
