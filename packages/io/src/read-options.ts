/** Options every text reader accepts. */
export interface ReadOptions {
  /** Instance name given to the result (default: a format-specific name, or the file's base name when read from a file). */
  name?: string;
  /** Where the text came from (a path), used in FormatError messages; defaults to `name`. */
  source?: string;
}

/** The source label for error messages. */
export function sourceOf(options: ReadOptions | undefined): string | undefined {
  return options?.source ?? options?.name;
}
