import { BackendError, EmplaceError, FormatError, ModelError, UnknownMethodError } from '@emplace/core';
import type { SerializedError } from './protocol.js';

/*
 * Errors cross the thread boundary as plain objects and keep their class: a ModelError
 * thrown in a worker is a ModelError (same field) in the host.
 */

/** An error as a structured-cloneable object (in the worker). */
export function serializeError(e: unknown): SerializedError {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e) };
  const out: SerializedError = { name: e instanceof EmplaceError ? e.name : e.name || 'Error', message: e.message };
  if (e instanceof ModelError) out.field = e.field;
  if (e instanceof BackendError) out.backend = e.backend;
  if (e instanceof FormatError) {
    if (e.line !== undefined) out.line = e.line;
    if (e.source !== undefined) out.source = e.source;
  }
  return out;
}

/** The error of its original class again (in the host). */
export function reviveError(e: SerializedError): Error {
  switch (e.name) {
    case 'ModelError': {
      const field = e.field ?? '';
      return new ModelError(field, e.message.startsWith(field) ? e.message.slice(field.length).trimStart() : e.message);
    }
    case 'FormatError':
      return new FormatError(e.message);
    case 'BackendError': {
      const backend = e.backend ?? 'backend';
      return new BackendError(backend, e.message.startsWith(`${backend}: `) ? e.message.slice(backend.length + 2) : e.message);
    }
    case 'UnknownMethodError':
      return new UnknownMethodError(e.message);
    case 'EmplaceError':
      return new EmplaceError(e.message);
    default: {
      const err = new Error(e.message);
      err.name = e.name;
      return err;
    }
  }
}
