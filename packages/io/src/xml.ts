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
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const len = text.length;
  const fail = (message: string, at = line): FormatError => new FormatError(`XML: ${message}`, sourceAt(source, at));
  /** Moves pos to `to`, counting line breaks on the way. */
  const advance = (to: number): void => {
    for (let i = pos; i < to; i++) if (text.charCodeAt(i) === 10) line++;
    pos = to;
  };
  const skipPast = (marker: string, what: string): void => {
    const start = line;
    const k = text.indexOf(marker, pos);
    if (k < 0) throw fail(`${what} opened on line ${start} is never closed`, start);
    advance(k + marker.length);
  };
  const readName = (): string => {
    const start = pos;
    while (pos < len && NAME_CHAR.test(text[pos]!)) pos++;
    if (pos === start) throw fail(`expected a name, got ${JSON.stringify(text.slice(pos, pos + 10))}`);
    return text.slice(start, pos);
  };
  const skipSpace = (): void => {
    while (pos < len) {
      const c = text.charCodeAt(pos);
      if (c === 10) line++;
      else if (c !== 32 && c !== 9 && c !== 13) break;
      pos++;
    }
  };
  const decode = (s: string, at: number): string =>
    s.indexOf('&') < 0
      ? s
      : s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);/g, (all, ent: string) => {
          if (ent[0] === '#') {
            const code = ent[1] === 'x' ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10);
            if (!(code >= 0 && code <= 0x10ffff)) throw fail(`bad character reference ${all}`, at);
            return String.fromCodePoint(code);
          }
          switch (ent) {
            case 'amp': return '&';
            case 'lt': return '<';
            case 'gt': return '>';
            case 'quot': return '"';
            case 'apos': return "'";
            default: return all; // unknown entity (from a DTD we do not read): keep it verbatim
          }
        });

  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '', line: 1 };
  const stack: XmlElement[] = [root];
  while (pos < len) {
    const lt = text.indexOf('<', pos);
    const top = stack[stack.length - 1]!;
    if (lt < 0 || lt > pos) {
      const end = lt < 0 ? len : lt;
      const chunk = text.slice(pos, end);
      const at = line;
      if (stack.length > 1) top.text += decode(chunk, at);
      else if (chunk.trim() !== '') throw fail('text outside the root element');
      advance(end);
      continue;
    }
    if (text.startsWith('<!--', pos)) {
      skipPast('-->', 'comment');
      continue;
    }
    if (text.startsWith('<![CDATA[', pos)) {
      const start = pos + 9;
      const k = text.indexOf(']]>', start);
      if (k < 0) throw fail('CDATA section is never closed');
      top.text += text.slice(start, k);
      advance(k + 3);
      continue;
    }
    if (text.startsWith('<?', pos)) {
      skipPast('?>', 'processing instruction');
      continue;
    }
    if (text.startsWith('<!', pos)) {
      // DOCTYPE, possibly with an internal subset in [...].
      const start = line;
      let depth = 0;
      let k = pos + 2;
      for (; k < len; k++) {
        const c = text[k];
        if (c === '[') depth++;
        else if (c === ']') depth--;
        else if (c === '>' && depth <= 0) break;
      }
      if (k >= len) throw fail('declaration is never closed', start);
      advance(k + 1);
      continue;
    }
    if (text.startsWith('</', pos)) {
      pos += 2;
      const name = readName();
      skipSpace();
      if (text[pos] !== '>') throw fail(`expected ">" to end </${name}`);
      pos++;
      if (stack.length === 1) throw fail(`closing tag </${name}> without an open element`);
      if (top.name !== name) throw fail(`closing tag </${name}> does not match <${top.name}> opened on line ${top.line}`);
      stack.pop();
      continue;
    }
    // Start tag.
    pos++;
    const tagLine = line;
    const name = readName();
    if (top === root && root.children.length > 0) throw fail(`a second root element <${name}>`, tagLine);
    const el: XmlElement = { name, attrs: {}, children: [], text: '', line: tagLine };
    for (;;) {
      skipSpace();
      if (pos >= len) throw fail(`file ends inside the tag <${name}> (truncated?)`, tagLine);
      const c = text[pos];
      if (c === '>') {
        pos++;
        top.children.push(el);
        stack.push(el);
        break;
      }
      if (c === '/' && text[pos + 1] === '>') {
        pos += 2;
        top.children.push(el);
        break;
      }
      const attr = readName();
      skipSpace();
      if (text[pos] !== '=') throw fail(`attribute ${attr} of <${name}> has no value`);
      pos++;
      skipSpace();
      const q = text[pos];
      if (q !== '"' && q !== "'") throw fail(`attribute ${attr} of <${name}> must be quoted`);
      const end = text.indexOf(q, pos + 1);
      if (end < 0) throw fail(`attribute ${attr} of <${name}> is never closed`);
      const at = line;
      const raw = text.slice(pos + 1, end);
      advance(end + 1);
      el.attrs[attr] = decode(raw, at);
    }
  }
  if (stack.length > 1) {
    const open = stack[stack.length - 1]!;
    throw fail(`file ends inside <${open.name}> opened on line ${open.line} (truncated?)`, line);
  }
  const doc = root.children[0];
  if (!doc) throw fail('no root element', line);
  return doc;
}

/** Escapes text or an attribute value for XML output. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;'));
}
