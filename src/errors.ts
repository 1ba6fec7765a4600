/**
 * Every message mrsweep prints for bad input or a failed run is built here, in one format:
 * `<where>: <what> must be <constraint>; got <value>`. Tests match these by regex.
 */

/**
 * `input` errors are the user's to fix (exit code 2); `run` errors happened inside a run, and
 * `environment` errors are the file system's (disk full, read-only folder, missing parent): exit code 1.
 */
export type ErrorKind = "input" | "run" | "environment";

/** An error whose message is meant for the user, printed without a stack trace. */
export class MrsweepError extends Error {
  readonly kind: ErrorKind;
  constructor(message: string, kind: ErrorKind = "input") {
    super(message);
    this.name = "MrsweepError";
    this.kind = kind;
  }
}

/** A description of what was found (printed as is), as opposed to a value (printed quoted). */
export class Described {
  constructor(readonly text: string) {}
}

/** Wraps a description of what was found, e.g. `described("7 fields")`. */
export function described(text: string): Described {
  return new Described(text);
}

/** Quotes a value for a message: strings in double quotes, long ones cut; descriptions as they are. */
export function show(value: unknown): string {
  if (value instanceof Described) return value.text;
  if (typeof value === "string") {
    const s = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(s);
  }
  if (Array.isArray(value)) return `[${value.map(show).join(", ")}]`;
  return String(value);
}

/** Plain-words causes of the file-system error codes users meet. */
const FS_CAUSES: Record<string, string> = {
  ENOSPC: "no space left on device",
  EDQUOT: "disk quota exceeded",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOTDIR: "a path component is not a folder",
  EISDIR: "it is a folder",
  ENOENT: "no such file or folder (does its parent folder exist?)",
  EEXIST: "it already exists",
  EMFILE: "too many open files",
  EIO: "input/output error",
};

/** Whether `e` is a Node file-system error carrying a code and the path it concerns. */
export function isFileSystemError(e: unknown): e is NodeJS.ErrnoException & { path: string } {
  const x = e as NodeJS.ErrnoException;
  return x instanceof Error && typeof x.code === "string" && typeof x.path === "string" && x.syscall !== undefined;
}

/** The error factories. */
export const errors = {
  /** A value that violates a constraint. */
  invalid(where: string, what: string, constraint: string, got: unknown): MrsweepError {
    return new MrsweepError(`${where}: ${what} must be ${constraint}; got ${show(got)}`);
  },
  /** A required value that was not given. */
  missing(where: string, what: string, constraint: string): MrsweepError {
    return new MrsweepError(`${where}: ${what} must be ${constraint}; got nothing`);
  },
  /** An id that is not in a registry. */
  unknownId(where: string, what: string, got: string, known: readonly string[]): MrsweepError {
    return new MrsweepError(`${where}: ${what} must be one of ${known.join(", ")}; got ${show(got)}`);
  },
  /** A file that cannot be read. */
  noFile(where: string, path: string, reason: string): MrsweepError {
    return new MrsweepError(`${where}: file ${show(path)} must exist and be readable; got ${reason}`);
  },
  /** A column that the user named but the file lacks. */
  missingColumn(file: string, column: string, available: readonly string[]): MrsweepError {
    const list = available.length > 12 ? `${available.slice(0, 12).join(", ")}, ...` : available.join(", ");
    return new MrsweepError(`${file}: column ${show(column)} must be present; got columns ${list}`);
  },
  /** Cells of a numeric column that are not finite numbers; `then` adds what to do about them. */
  badCells(file: string, column: string, count: number, row: number, value: string, then = ""): MrsweepError {
    const what = value.trim() === "" ? "empty" : "non-numeric or non-finite";
    const cells = count === 1 ? "value" : "values";
    return new MrsweepError(
      `${file}: column ${show(column)} must hold finite numbers; got ${count} ${what} ${cells} (first at row ${row}: ${show(value)})${then ? `; ${then}` : ""}`,
    );
  },
  /**
   * A file-system failure on `path` (ENOSPC, EACCES, EROFS, ENOTDIR, EISDIR, ENOENT ...): one line
   * naming the path and the cause; `then` adds what to do next (e.g. that a sweep can be resumed).
   */
  fileSystem(where: string, path: string, e: unknown, then = ""): MrsweepError {
    const code = (e as NodeJS.ErrnoException).code;
    const cause = code && code in FS_CAUSES ? `${code} (${FS_CAUSES[code]})` : ((e as Error).message ?? String(e));
    return new MrsweepError(
      `${where}: ${show(path)} must be writable; got ${cause}${then ? `; ${then}` : ""}`,
      "environment",
    );
  },
  /** A failure inside a run: not the user's input, but something that went wrong while computing. */
  run(where: string, what: string): MrsweepError {
    return new MrsweepError(`${where}: ${what}`, "run");
  },
};
