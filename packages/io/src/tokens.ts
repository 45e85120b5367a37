import { FormatError } from '@emplace/core';

/**
 * A whitespace tokenizer that remembers the line of every token, for formats whose
 * values wrap freely over lines (OR-Library). Errors are FormatErrors at the line of
 * the offending token, or at the last line when the text ends too early.
 */
export class TokenReader {
  private pos = 0;
  private lineNo = 1;
  /** Line (1-based) of the token returned last. */
  line = 1;

  constructor(
    private readonly text: string,
    readonly source?: string,
  ) {}

  /** The next token, or undefined at the end of the text. */
  next(): string | undefined {
    const text = this.text;
    const len = text.length;
    let p = this.pos;
    // Skip whitespace, counting line breaks (LF; CR alone is treated as blank).
    for (; p < len; p++) {
      const c = text.charCodeAt(p);
      if (c === 10) this.lineNo++;
      else if (c !== 32 && c !== 9 && c !== 13 && c !== 11 && c !== 12 && c !== 0xfeff) break;
    }
    if (p >= len) {
      this.pos = p;
      this.line = this.lineNo;
      return undefined;
    }
    const start = p;
    for (; p < len; p++) {
      const c = text.charCodeAt(p);
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12) break;
    }
    this.pos = p;
    this.line = this.lineNo;
    return text.slice(start, p);
  }

  /** The next token, which must exist; `what` names the expected value for the message. */
  require(what: string): string {
    const tok = this.next();
    if (tok === undefined) throw this.error(`file ends early: expected ${what}`);
    return tok;
  }

  /** The next token as a finite number. */
  number(what: string): number {
    const tok = this.require(what);
    const v = parseNumber(tok);
    if (v === undefined) throw this.error(`expected ${what} (a number), got ${JSON.stringify(tok)}`);
    return v;
  }

  /** The next token as an integer >= min. */
  integer(what: string, min = 0): number {
    const tok = this.require(what);
    const v = parseNumber(tok);
    if (v === undefined || !Number.isInteger(v)) throw this.error(`expected ${what} (an integer), got ${JSON.stringify(tok)}`);
    if (v < min) throw this.error(`${what} must be at least ${min}, got ${v}`);
    return v;
  }

  /**
   * The next token as a count (an integer >= min) of items that each take `tokensEach` more
   * tokens of this text: a count the rest of the text cannot hold is a FormatError here, before
   * the reader allocates arrays of that length (a damaged header of 1e300 or 2^53 was a
   * RangeError "Invalid typed array length", reported as an internal error).
   */
  count(what: string, min: number, tokensEach: number): number {
    const v = this.integer(what, min);
    // Each token takes at least one character and one separator.
    const room = Math.floor((this.text.length - this.pos + 1) / 2);
    // Small counts are left to the reader, whose "file ends early" names the value and line
    // where a truncated file stops; only counts worth a large allocation are refused here.
    if (v * tokensEach > room && v > SMALL_COUNT) {
      throw this.error(`file ends early: ${what} is ${v}, which needs ${v * tokensEach} more values, but at most ${room} remain (a damaged header or a truncated file?)`);
    }
    return v;
  }

  /** True when only whitespace remains. */
  atEnd(): boolean {
    const save = { pos: this.pos, lineNo: this.lineNo, line: this.line };
    const tok = this.next();
    if (tok === undefined) return true;
    this.pos = save.pos;
    this.lineNo = save.lineNo;
    this.line = save.line;
    return false;
  }

  /** A FormatError at the current line. */
  error(message: string, line = this.line): FormatError {
    return new FormatError(message, sourceAt(this.source, line));
  }
}

/** Counts up to this are allocated without comparing them with the rest of the text. */
const SMALL_COUNT = 1 << 16;

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Parses a decimal number token (`12`, `7500.`, `-1.5e3`); undefined for anything else.
 * Stricter than `Number()`, which accepts `0x10`, `Infinity` and the empty string.
 */
export function parseNumber(tok: string): number | undefined {
  if (!NUMBER.test(tok)) return undefined;
  const v = Number(tok);
  return Number.isFinite(v) ? v : undefined;
}

/** The `where` argument of FormatError, omitting absent fields (exactOptionalPropertyTypes-safe). */
export function sourceAt(source: string | undefined, line?: number): { line?: number; source?: string } {
  const where: { line?: number; source?: string } = {};
  if (line !== undefined) where.line = line;
  if (source !== undefined) where.source = source;
  return where;
}

/** Splits text into lines (LF or CRLF), keeping 1-based numbering simple for line formats. */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.endsWith('\r')) lines[i] = l.slice(0, -1);
  }
  if (lines.length > 0 && lines[0]!.charCodeAt(0) === 0xfeff) lines[0] = lines[0]!.slice(1);
  return lines;
}

/**
 * The lines of a text as `text.split('\n')` gives them, one at a time (a large file is not
 * split into millions of strings at once, so a reader can yield between lines).
 */
export class LineCursor {
  private pos = 0;
  /** Lines returned so far: the 1-based number of the last one. */
  index = 0;

  constructor(private readonly text: string) {}

  /** The next line (without its LF), or undefined past the last. */
  next(): string | undefined {
    const text = this.text;
    if (this.pos > text.length) return undefined;
    let end = text.indexOf('\n', this.pos);
    if (end < 0) end = text.length;
    const line = text.slice(this.pos, end);
    this.pos = end + 1;
    this.index++;
    return line;
  }
}

/** The number of lines `text.split('\n')` gives. */
export function countLines(text: string): number {
  let count = 1;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) count++;
  return count;
}
