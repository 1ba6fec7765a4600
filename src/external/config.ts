import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { described, errors } from "../errors.js";
import type { SweepConfig } from "../sweep/config.js";

/**
 * External estimators in a sweep configuration file run in the file's folder, so that
 * `"command": ["Rscript", "my_method.R"]` names the script beside the configuration wherever the
 * sweep is started from: entries with id `external` and no `cwd` get that folder (absolute). The
 * folder then is part of the configuration (run.json, its hash): a moved run folder's sweep does
 * not resume as the same run.
 */
export function anchorExternal(raw: Record<string, unknown>, dir: string): Record<string, unknown> {
  if (!Array.isArray(raw.estimators)) return raw;
  const estimators = raw.estimators.map((e: unknown) => {
    if (typeof e !== "object" || e === null || (e as { id?: unknown }).id !== "external") return e;
    const params = (e as { params?: unknown }).params ?? {};
    if (typeof params !== "object" || params === null || "cwd" in params) return e;
    return { ...e, params: { ...params, cwd: resolve(dir) } };
  });
  return { ...raw, estimators };
}

/** The first 16 hex digits of the SHA-256 of a file's bytes, or null when `path` is not a readable file. */
function fileHash(path: string): string | null {
  try {
    if (!statSync(path).isFile()) return null;
    return createHash("sha256").update(readFileSync(path)).digest("hex").slice(0, 16);
  } catch {
    return null;
  }
}

/** What run.json records of one external estimator: its command, folder, and the files it names. */
export interface ExternalRecord {
  readonly name: string;
  readonly command: readonly string[];
  readonly cwd: string;
  /** SHA-256 (16 hex digits) of each argument after the program that is a file (relative to `cwd`), by the argument. */
  readonly files: Readonly<Record<string, string>>;
}

/**
 * The external estimators of a configuration with hashes of the files their commands name (the
 * scripts), for run.json: `{ external: [...] }`, or nothing when there are none.
 */
export function externalRecord(config: SweepConfig): { external?: ExternalRecord[] } {
  const out: ExternalRecord[] = [];
  for (const spec of config.estimators) {
    if (spec.id !== "external") continue;
    const command = spec.params.command as readonly string[];
    const cwd = (spec.params.cwd as string | null) ?? process.cwd();
    const files: Record<string, string> = {};
    // The program itself (python3, Rscript) is not the method: only its arguments are hashed.
    for (const arg of command.slice(1)) {
      const hash = fileHash(resolve(cwd, arg));
      if (hash) files[arg] = hash;
    }
    out.push({ name: spec.name, command, cwd, files });
  }
  return out.length > 0 ? { external: out } : {};
}

/**
 * The refusal to resume a run whose external estimator's script changed since it started (a file
 * hash in run.json's `external` differs from the file now), or null when every recorded script is
 * unchanged. Like a changed plug-in, a changed script would mix two methods' rows in one run.
 */
export function changedExternal(dir: string, previous: Record<string, unknown>, config: SweepConfig) {
  const before = Array.isArray(previous.external) ? (previous.external as ExternalRecord[]) : [];
  const now = externalRecord(config).external ?? [];
  for (const old of before) {
    const current = now.find((r) => r.name === old.name);
    for (const [file, hash] of Object.entries(old.files ?? {})) {
      const after = current?.files[file];
      if (current && after !== hash) {
        return errors.invalid(
          "sweep",
          `the script ${file} of external estimator ${old.name}`,
          `unchanged to resume the run in ${dir} (sha256 ${hash} when the run started; restore it, or use --force to start afresh, or another --out)`,
          described(after === undefined ? "a file that is gone" : `a changed file (sha256 ${after})`),
        );
      }
    }
  }
  return null;
}
