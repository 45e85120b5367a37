import { parseAllDocuments } from 'yaml';
import { KubeDocumentError, KubeObjectError, type ObjectRef, type ObjectSource } from './errors.js';

/** One Kubernetes object as kubectl prints it, with where it was read. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  /** The whole object as parsed (spec, status, ...). Never mutated by emplace. */
  raw: Readonly<Record<string, unknown>>;
  source: ObjectSource;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  labels: Readonly<Record<string, string>>;
  annotations: Readonly<Record<string, string>>;
}

export function refOf(obj: KubeObject): ObjectRef {
  return { kind: obj.kind, name: obj.metadata.name, source: obj.source, ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}) };
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Reads every object of a text: multi-document YAML, a JSON document, and `kind: List`
 * (as `kubectl get -o yaml` prints several objects) flattened into its items. Empty
 * documents are skipped. A document that is not an object with apiVersion, kind and
 * metadata.name is an error naming the file and document.
 */
export function readObjects(text: string, file = '-'): KubeObject[] {
  const out: KubeObject[] = [];
  const docs = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: false });
  // parseAllDocuments returns an EmptyStream (not an array) for an empty text.
  if (!Array.isArray(docs)) return out;
  docs.forEach((doc, i) => {
    const source: ObjectSource = { file, document: i + 1 };
    const error = doc.errors[0];
    if (error) {
      // prettyErrors puts "at line L, column C" in the first line of the message.
      throw new KubeDocumentError(source, `is not valid YAML: ${error.message.split('\n')[0]!.replace(/:$/, '')}`);
    }
    const value: unknown = doc.toJS({ maxAliasCount: 1000 });
    if (value === null || value === undefined) return;
    pushObject(value, source, out, '');
  });
  return out;
}

function pushObject(value: unknown, source: ObjectSource, out: KubeObject[], at: string): void {
  if (!isRecord(value)) throw new KubeDocumentError(source, `${at}is not a Kubernetes object (a mapping with apiVersion, kind and metadata)`);
  const kind = value.kind;
  if (typeof kind !== 'string' || kind === '') throw new KubeDocumentError(source, `${at}has no kind`);
  if (kind === 'List' || (kind.endsWith('List') && Array.isArray(value.items))) {
    const items = value.items;
    if (items === undefined || items === null) return;
    if (!Array.isArray(items)) throw new KubeDocumentError(source, `${at}${kind}: items is not a list`);
    items.forEach((item, j) => {
      // Typed lists (`ResourceBindingList`) omit kind/apiVersion on their items.
      const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
      const withKind = isRecord(item) && itemKind !== undefined && item.kind === undefined ? { ...item, kind: itemKind, apiVersion: value.apiVersion } : item;
      pushObject(withKind, source, out, `${at}items[${j}] `);
    });
    return;
  }
  const meta = value.metadata;
  const partial: ObjectRef = { kind, name: '?', source };
  if (!isRecord(meta)) throw new KubeObjectError(partial, 'metadata', 'is missing');
  if (typeof meta.name !== 'string' || meta.name === '') throw new KubeObjectError(partial, 'metadata.name', meta.name === undefined ? 'is missing' : `is ${JSON.stringify(meta.name)}`);
  const ref: ObjectRef = { kind, name: meta.name, source, ...(typeof meta.namespace === 'string' && meta.namespace ? { namespace: meta.namespace } : {}) };
  const apiVersion = value.apiVersion;
  if (typeof apiVersion !== 'string' || apiVersion === '') throw new KubeObjectError(ref, 'apiVersion', apiVersion === undefined ? 'is missing' : `is ${JSON.stringify(apiVersion)}`);
  const metadata: ObjectMeta = {
    name: meta.name,
    labels: stringMap(ref, meta.labels, 'metadata.labels'),
    annotations: stringMap(ref, meta.annotations, 'metadata.annotations'),
  };
  if (ref.namespace) metadata.namespace = ref.namespace;
  if (typeof meta.uid === 'string') metadata.uid = meta.uid;
  if (typeof meta.resourceVersion === 'string') metadata.resourceVersion = meta.resourceVersion;
  if (typeof meta.generation === 'number') metadata.generation = meta.generation;
  out.push({ apiVersion, kind, metadata, raw: value, source });
}

function stringMap(ref: ObjectRef, v: unknown, path: string): Record<string, string> {
  if (v === undefined || v === null) return {};
  if (!isRecord(v)) throw new KubeObjectError(ref, path, `is not a map (${JSON.stringify(v)})`);
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    // Labels and annotations are strings in the API; YAML may have left `true` or `3` unquoted.
    if (typeof x === 'string') out[k] = x;
    else if (typeof x === 'number' || typeof x === 'boolean') out[k] = String(x);
    else throw new KubeObjectError(ref, `${path}.${k}`, `is not a string (${JSON.stringify(x)})`);
  }
  return out;
}
