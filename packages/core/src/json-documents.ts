import { FormatError } from './errors.js';

/** One document of an emplace JSON file: its name, where it stands (for errors) and its other fields. */
export interface JsonDocument {
  name: string;
  /** `document` for a file holding one object, `[k]` for the k-th of an array. */
  where: string;
  /** The document's fields without its envelope (`kind`, `name`). */
  fields: Record<string, unknown>;
}

/**
 * Reads the envelope shared by emplace's JSON formats: one object `{"kind": KIND, "name"?, ...}`
 * or an array of them. `kind` may be omitted but, when given, must be `kind`. Unnamed documents
 * are called `defaultName` (`defaultName-k` when the file holds several). Errors are FormatErrors
 * naming the document.
 */
export function readJsonDocuments(text: string, kind: string, defaultName: string): JsonDocument[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new FormatError(`not valid JSON: ${(err as Error).message}`, {}, { cause: err });
  }
  const items: unknown[] = Array.isArray(doc) ? doc : [doc];
  return items.map((item, k) => {
    const where = Array.isArray(doc) ? `[${k}]` : 'document';
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new FormatError(`${where} must be an object`);
    const fields: Record<string, unknown> = { ...item };
    if (fields['kind'] !== undefined && fields['kind'] !== kind) {
      throw new FormatError(`${where}.kind must be ${JSON.stringify(kind)}, got ${JSON.stringify(fields['kind'])}`);
    }
    const name = typeof fields['name'] === 'string' ? fields['name'] : items.length > 1 ? `${defaultName}-${k + 1}` : defaultName;
    delete fields['kind'];
    delete fields['name'];
    return { name, where, fields };
  });
}
