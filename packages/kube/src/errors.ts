import { ModelError } from '@emplace/core';

/** Where an object came from: the file (or `-`) and its 1-based document number. */
export interface ObjectSource {
  file: string;
  document: number;
}

/** What an error names: kind, namespace/name, and where it was read. */
export interface ObjectRef {
  kind: string;
  name: string;
  namespace?: string;
  source?: ObjectSource;
}

export function objectLabel(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

function sourceLabel(source: ObjectSource | undefined): string {
  return source ? ` (${source.file}, document ${source.document})` : '';
}

/**
 * A bad field of one object. The message reads like kubectl's own complaints and always
 * names the object and the field first, then where it was read:
 * `ResourceBinding default/nginx: spec.replicas is "abc" (in.yaml, document 3)`.
 * It is a ModelError, so callers that treat every bad input alike (the CLI's exit 1) do.
 */
export class KubeObjectError extends ModelError {
  readonly object: ObjectRef;
  readonly path: string;
  constructor(object: ObjectRef, path: string, problem: string) {
    super(`${objectLabel(object)}: ${path}`, `${problem}${sourceLabel(object.source)}`);
    this.object = object;
    this.path = path;
  }
}

/** A document that is not a Kubernetes object at all (no kind, not a mapping, bad YAML). */
export class KubeDocumentError extends ModelError {
  constructor(source: ObjectSource, problem: string) {
    super(`${source.file}, document ${source.document}:`, problem);
  }
}
