import { FormatError } from '@emplace/core';
import { sourceAt } from './tokens.js';

/**
 * A small, tolerant XML parser: enough for GraphML and similar data files, with line
 * numbers for errors, no dependency and no DOM (so it runs in browsers and Node alike).
 * Handles elements, attributes ('...' or "..."), character and predefined entities,
 * comments, CDATA, processing instructions and a DOCTYPE (skipped). Namespaces are not
 * resolved: names keep their prefix (`y:ShapeNode`); use `localName` to compare.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Concatenated text directly inside this element (entities decoded). */
  text: string;
  /** 1-based line of the start tag. */
  line: number;
}

export function localName(name: string): string {
  const k = name.indexOf(':');
  return k < 0 ? name : name.slice(k + 1);
}

const NAME_CHAR = /[A-Za-z0-9_.:\-\u00B7\u00C0-\uFFFF]/;

export function parseXml(text: string, source?: string): XmlElement {
  const parser = new XmlParser(text, source);
  parser.run();
  return parser.document();
}

/** Entities XML predefines. */
const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The cursor (position and line) over the text and the stack of open elements. */
class XmlParser {
  private pos: number;
  private line = 1;
  private readonly len: number;
  private readonly root: XmlElement = { name: '#document', attrs: {}, children: [], text: '', line: 1 };
  private readonly stack: XmlElement[] = [this.root];

  constructor(
    private readonly text: string,
    private readonly source: string | undefined,
  ) {
    this.pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    this.len = text.length;
  }

  private fail(message: string, at = this.line): FormatError {
    return new FormatError(`XML: ${message}`, sourceAt(this.source, at));
  }

  /** Moves pos to `to`, counting line breaks on the way. */
  private advance(to: number): void {
    const { text } = this;
    for (let i = this.pos; i < to; i++) if (text.charCodeAt(i) === 10) this.line++;
    this.pos = to;
  }

  private skipPast(marker: string, what: string): void {
    const start = this.line;
    const k = this.text.indexOf(marker, this.pos);
    if (k < 0) throw this.fail(`${what} opened on line ${start} is never closed`, start);
    this.advance(k + marker.length);
  }

  private readName(): string {
    const start = this.pos;
    while (this.pos < this.len && NAME_CHAR.test(this.text[this.pos]!)) this.pos++;
    if (this.pos === start) throw this.fail(`expected a name, got ${JSON.stringify(this.text.slice(this.pos, this.pos + 10))}`);
    return this.text.slice(start, this.pos);
  }

  private skipSpace(): void {
    while (this.pos < this.len) {
      const c = this.text.charCodeAt(this.pos);
      if (c === 10) this.line++;
      else if (c !== 32 && c !== 9 && c !== 13) break;
      this.pos++;
    }
  }

  private decode(s: string, at: number): string {
    if (s.indexOf('&') < 0) return s;
    return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);/g, (all, ent: string) => {
      if (ent[0] === '#') {
        const code = ent[1] === 'x' ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10);
        if (!(code >= 0 && code <= 0x10ffff)) throw this.fail(`bad character reference ${all}`, at);
        return String.fromCodePoint(code);
      }
      // An unknown entity (from a DTD we do not read) is kept verbatim.
      return PREDEFINED[ent] ?? all;
    });
  }

  run(): void {
    const { text } = this;
    while (this.pos < this.len) {
      const lt = text.indexOf('<', this.pos);
      if (lt < 0 || lt > this.pos) this.characters(lt < 0 ? this.len : lt);
      else if (text.startsWith('<!--', this.pos)) this.skipPast('-->', 'comment');
      else if (text.startsWith('<![CDATA[', this.pos)) this.cdata();
      else if (text.startsWith('<?', this.pos)) this.skipPast('?>', 'processing instruction');
      else if (text.startsWith('<!', this.pos)) this.declaration();
      else if (text.startsWith('</', this.pos)) this.endTag();
      else this.startTag();
    }
  }

  private get top(): XmlElement {
    return this.stack[this.stack.length - 1]!;
  }

  private characters(end: number): void {
    const chunk = this.text.slice(this.pos, end);
    if (this.stack.length > 1) this.top.text += this.decode(chunk, this.line);
    else if (chunk.trim() !== '') throw this.fail('text outside the root element');
    this.advance(end);
  }

  private cdata(): void {
    const start = this.pos + 9;
    const k = this.text.indexOf(']]>', start);
    if (k < 0) throw this.fail('CDATA section is never closed');
    this.top.text += this.text.slice(start, k);
    this.advance(k + 3);
  }

  /** DOCTYPE, possibly with an internal subset in [...]: skipped. */
  private declaration(): void {
    const start = this.line;
    let depth = 0;
    let k = this.pos + 2;
    for (; k < this.len; k++) {
      const c = this.text[k];
      if (c === '[') depth++;
      else if (c === ']') depth--;
      else if (c === '>' && depth <= 0) break;
    }
    if (k >= this.len) throw this.fail('declaration is never closed', start);
    this.advance(k + 1);
  }

  private endTag(): void {
    this.pos += 2;
    const name = this.readName();
    this.skipSpace();
    if (this.text[this.pos] !== '>') throw this.fail(`expected ">" to end </${name}`);
    this.pos++;
    const top = this.top;
    if (this.stack.length === 1) throw this.fail(`closing tag </${name}> without an open element`);
    if (top.name !== name) throw this.fail(`closing tag </${name}> does not match <${top.name}> opened on line ${top.line}`);
    this.stack.pop();
  }

  private startTag(): void {
    this.pos++;
    const tagLine = this.line;
    const name = this.readName();
    const top = this.top;
    if (top === this.root && this.root.children.length > 0) throw this.fail(`a second root element <${name}>`, tagLine);
    const el: XmlElement = { name, attrs: {}, children: [], text: '', line: tagLine };
    for (;;) {
      this.skipSpace();
      if (this.pos >= this.len) throw this.fail(`file ends inside the tag <${name}> (truncated?)`, tagLine);
      const c = this.text[this.pos];
      if (c === '>') {
        this.pos++;
        top.children.push(el);
        this.stack.push(el);
        return;
      }
      if (c === '/' && this.text[this.pos + 1] === '>') {
        this.pos += 2;
        top.children.push(el);
        return;
      }
      this.attribute(el);
    }
  }

  private attribute(el: XmlElement): void {
    const attr = this.readName();
    this.skipSpace();
    if (this.text[this.pos] !== '=') throw this.fail(`attribute ${attr} of <${el.name}> has no value`);
    this.pos++;
    this.skipSpace();
    const q = this.text[this.pos];
    if (q !== '"' && q !== "'") throw this.fail(`attribute ${attr} of <${el.name}> must be quoted`);
    const end = this.text.indexOf(q, this.pos + 1);
    if (end < 0) throw this.fail(`attribute ${attr} of <${el.name}> is never closed`);
    const at = this.line;
    const raw = this.text.slice(this.pos + 1, end);
    this.advance(end + 1);
    el.attrs[attr] = this.decode(raw, at);
  }

  document(): XmlElement {
    if (this.stack.length > 1) {
      const open = this.top;
      throw this.fail(`file ends inside <${open.name}> opened on line ${open.line} (truncated?)`, this.line);
    }
    const doc = this.root.children[0];
    if (!doc) throw this.fail('no root element', this.line);
    return doc;
  }
}

/** Escapes text or an attribute value for XML output. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;'));
}
