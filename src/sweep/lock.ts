import { linkSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { described, errors } from "../errors.js";

/** What a lock file holds: the process that runs a sweep in the folder. */
export interface LockInfo {
  pid: number;
  host: string;
  started: string;
}

/** The lock file of a run folder. */
export function lockPath(dir: string): string {
  return join(dir, "sweep.lock");
}

/** The lock's contents, or null when there is none (or it cannot be read as a lock). */
export function readLock(dir: string): LockInfo | null {
  try {
    const v = JSON.parse(readFileSync(lockPath(dir), "utf8")) as Partial<LockInfo>;
    if (typeof v.pid !== "number" || typeof v.host !== "string") return null;
    return { pid: v.pid, host: v.host, started: String(v.started ?? "") };
  } catch {
    return null;
  }
}

/** Whether the process holding a lock is alive: "yes", "no", or "unknown" (another host). */
export function holderAlive(lock: LockInfo): "yes" | "no" | "unknown" {
  if (lock.host !== hostname()) return "unknown";
  if (lock.pid === process.pid) return "yes";
  try {
    process.kill(lock.pid, 0);
    return "yes";
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM" ? "yes" : "no";
  }
}

/** A held lock; `release` removes it (only if it is still ours). */
export interface Lock {
  readonly path: string;
  /** A note to show the user, e.g. that a stale lock was taken over. */
  readonly note: string | null;
  release(): void;
}

/**
 * Takes the run folder's lock atomically: the lock's text is written to a file of this process's
 * own, then hard-linked to `sweep.lock`, which fails if the lock exists. A lock whose process is
 * gone (same host, no such pid: a crash or SIGKILL) is stale and taken over; a live one, or one
 * from another host (whose process cannot be checked), refuses the sweep.
 */
export function acquireLock(dir: string): Lock {
  const path = lockPath(dir);
  const mine: LockInfo = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  const text = `${JSON.stringify(mine)}\n`;
  const tmp = `${path}.${process.pid}`;
  writeFileSync(tmp, text);
  let note: string | null = null;
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(tmp, path);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 3) throw e;
      }
      const held = readLock(dir);
      const alive = held ? holderAlive(held) : "no";
      if (held && alive !== "no") {
        const who = `process ${held.pid} on host ${held.host} (since ${held.started})`;
        throw errors.invalid(
          "sweep",
          `the output folder ${dir}`,
          alive === "yes"
            ? "used by one sweep at a time"
            : `used by one sweep at a time (delete ${path} if that process is gone)`,
          described(`a sweep already running there: ${who}`),
        );
      }
      takeOver(path, held);
      note = held
        ? `took over a stale lock from process ${held.pid} on ${held.host} (no such process)`
        : "took over an unreadable lock file";
    }
  } finally {
    rmSync(tmp, { force: true });
  }
  return {
    path,
    note,
    release() {
      try {
        if (readFileSync(path, "utf8") === text) unlinkSync(path);
      } catch {
        // already gone: nothing to release
      }
    },
  };
}

/**
 * Moves a stale lock aside. Two processes may find the same stale lock: the lock moved aside is
 * checked to be the stale one read before; if another process's fresh lock was moved instead,
 * it is put back (by link, so a third lock is never overwritten).
 */
function takeOver(path: string, stale: LockInfo | null): void {
  const aside = `${path}.stale-${process.pid}`;
  try {
    renameSync(path, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
    throw e;
  }
  let moved: LockInfo | null = null;
  try {
    moved = JSON.parse(readFileSync(aside, "utf8")) as LockInfo;
  } catch {
    moved = null;
  }
  if (stale && moved && moved.pid !== stale.pid) {
    try {
      linkSync(aside, path);
    } catch {
      // a third process holds the lock now; the retry will find it
    }
  }
  rmSync(aside, { force: true });
}
