/**
 * Error classes of emplace. Callers test by type (`err instanceof ModelError`), never by
 * message text; messages still name the offending field and index so a person reading a
 * log knows what to fix.
 */

/** Base class of every error emplace throws on purpose. */
export class EmplaceError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * Bad input to a model constructor or solver: wrong shape, NaN, negative where a
 * non-negative value is required, unknown id. `field` is a path such as `cost[3][17]`
 * or `sites[2].capacity`.
 */
export class ModelError extends EmplaceError {
  readonly field: string;
  constructor(field: string, problem: string, options?: { cause?: unknown }) {
    super(`${field} ${problem}`, options);
    this.field = field;
  }
}

/** A file or text that cannot be read: the line (1-based) where reading stopped. */
export class FormatError extends EmplaceError {
  readonly line: number | undefined;
  readonly source: string | undefined;
  constructor(message: string, where: { line?: number; source?: string } = {}, options?: { cause?: unknown }) {
    const at = [where.source, where.line !== undefined ? `line ${where.line}` : undefined].filter(Boolean).join(':');
    super(at ? `${at}: ${message}` : message, options);
    this.line = where.line;
    this.source = where.source;
  }
}

/** An exact backend (HiGHS, GLPK, javascript-lp-solver) failed, crashed or misbehaved. */
export class BackendError extends EmplaceError {
  readonly backend: string;
  constructor(backend: string, message: string, options?: { cause?: unknown }) {
    super(`${backend}: ${message}`, options);
    this.backend = backend;
  }
}

/** A method name that no registered solver family knows, or a method applied to the wrong model kind. */
export class UnknownMethodError extends EmplaceError {}
