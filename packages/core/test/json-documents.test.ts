import { describe, expect, it } from 'vitest';
import { FormatError, readJsonDocuments } from '@emplace/core';

describe('readJsonDocuments', () => {
  it('reads one document or an array, names unnamed ones and strips the envelope', () => {
    expect(readJsonDocuments('{"kind":"x","a":1}', 'x', 'file')).toEqual([{ name: 'file', where: 'document', fields: { a: 1 } }]);
    const two = readJsonDocuments('[{"name":"n","a":1},{"a":2}]', 'x', 'file');
    expect(two.map((d) => [d.name, d.where, d.fields])).toEqual([['n', '[0]', { a: 1 }], ['file-2', '[1]', { a: 2 }]]);
  });
  it('names the document at fault', () => {
    expect(() => readJsonDocuments('{', 'x', 'f')).toThrow(FormatError);
    expect(() => readJsonDocuments('[{}, 3]', 'x', 'f')).toThrow(/\[1\] must be an object/);
    expect(() => readJsonDocuments('{"kind":"y"}', 'x', 'f')).toThrow(/document\.kind must be "x", got "y"/);
  });
});
