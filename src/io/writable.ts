import { closeSync, openSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { errors } from "../errors.js";

/** A Node-style file-system error, for causes found by looking rather than by a failed call. */
function fsError(code: string, path: string, syscall: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${path}`), { code, path, syscall });
}

/**
 * The folder that will hold `path`'s missing parents, or its parent itself: the nearest ancestor
 * that exists. It must be a folder (a parent that is a file is ENOTDIR).
 */
function nearestFolder(path: string): string {
  let dir = dirname(resolve(path));
  for (;;) {
    const st = statSync(dir, { throwIfNoEntry: false });
    if (st) {
      if (!st.isDirectory()) throw fsError("ENOTDIR", dir, "stat");
      return dir;
    }
    const up = dirname(dir);
    if (up === dir) return dir;
    dir = up;
  }
}

/**
 * Checks, before any long computation, that `path` can be written the way mrsweep writes files
 * (a temporary file beside it, then a rename; missing parent folders are created then): it is not
 * a folder or a device, no part of its parent is a file, and a file can be created and removed in
 * the nearest existing folder. Anything else is an `errors.fileSystem` error (exit code 1) naming
 * `path` and the cause. Creates nothing that outlives the call.
 */
export function checkWritable(where: string, path: string): void {
  try {
    const st = statSync(path, { throwIfNoEntry: false });
    if (st?.isDirectory()) throw fsError("EISDIR", path, "open");
    // A rename would replace a device or a pipe (say /dev/null) instead of writing into it.
    if (st && !st.isFile()) throw new Error("it is not a regular file (a device or a pipe)");
    const probe = join(nearestFolder(path), `.mrsweep-write-check-${process.pid}`);
    closeSync(openSync(probe, "w"));
    rmSync(probe, { force: true });
  } catch (e) {
    throw errors.fileSystem(where, path, e);
  }
}
