import { existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { described, errors, isFileSystemError } from "../errors.js";
import { changedExternal } from "../external/config.js";
import { changedPlugin } from "../plugins/refs.js";
import { configJson, parseSweepConfig, type SweepConfig } from "./config.js";
import { relate } from "./config-diff.js";
import { acquireLock, type Lock } from "./lock.js";
import { manifestPath, type RunManifest, readManifest } from "./manifest.js";
import { type Cell, cells, SEED_BITS, type SeedBits } from "./plan.js";
import { type Recovered, recover, valuesKey } from "./recover.js";
import { cellLead, replicateColumns } from "./replicates.js";

/** The files a run writes into its folder (removed by --force). */
const RUN_FILES = ["replicates.csv", "summary.csv", "timings.csv", "run.json"];

/** A run folder held by this process: what it holds, verified against the plan. */
export interface Claim {
  lock: Lock;
  /** The run.json found (null for a new run). */
  previous: RunManifest | null;
  seedBits: SeedBits;
  recovered: Recovered;
  /** Notes for the user: a stale lock taken over, an extension of the run. */
  notes: string[];
}

/** Options of a claim. */
export interface ClaimOptions {
  force: boolean;
  grid: readonly Cell[];
}

/**
 * Takes a run folder for a sweep: creates it, takes its lock (before anything is read or written),
 * reads run.json and relates its configuration to this one (the same, an extension with more
 * replicates or grid values, or different: refused with the differing keys unless `force`), and
 * reads back replicates.csv with every row verified against the plan. Without run.json, existing
 * rows are accepted only if every one of them verifies.
 */
export function claimRunDir(dir: string, config: SweepConfig, o: ClaimOptions): Claim {
  try {
    if (existsSync(dir) && !statSync(dir).isDirectory()) throw Object.assign(new Error(), { code: "ENOTDIR" });
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw errors.fileSystem("sweep", dir, e);
  }
  let lock: Lock;
  try {
    lock = acquireLock(dir);
  } catch (e) {
    throw isFileSystemError(e) ? errors.fileSystem("sweep", dir, e) : e;
  }
  try {
    return claimLocked(dir, config, o, lock);
  } catch (e) {
    lock.release();
    throw e;
  }
}

function clear(dir: string): void {
  for (const f of RUN_FILES) rmSync(join(dir, f), { force: true });
}

function claimLocked(dir: string, config: SweepConfig, o: ClaimOptions, lock: Lock): Claim {
  const notes = lock.note ? [lock.note] : [];
  const columns = replicateColumns(config);
  const csv = join(dir, "replicates.csv");
  let previous: RunManifest | null;
  try {
    previous = readManifest("sweep", dir);
  } catch (e) {
    if (!o.force) throw e;
    previous = null;
    clear(dir);
  }
  if (previous) {
    const relation = relate(previous.config, configJson(config));
    const changedScript = changedExternal(dir, previous, config);
    if (relation.kind === "differs" || (relation.kind === "extends" && !extensible(previous))) {
      if (!o.force) {
        throw (
          changedPlugin(dir, previous.config, configJson(config)) ??
          errors.invalid(
            "sweep",
            `the output folder ${dir}`,
            "empty or holding a run of the same configuration (use --force to start afresh, or another --out)",
            described(`a run whose configuration differs: ${relation.changes.join(", ")}`),
          )
        );
      }
      clear(dir);
      previous = null;
    } else if (changedScript) {
      if (!o.force) throw changedScript;
      clear(dir);
      previous = null;
    } else {
      const seedBits: SeedBits = previous.seed_bits === 53 ? 53 : 32;
      const writtenIds = relation.kind === "extends" ? oldIds(previous) : undefined;
      if (relation.kind === "extends") notes.push(`extending the run: ${relation.changes.join(", ")}`);
      const recovered = recover(csv, {
        config,
        grid: o.grid,
        columns,
        seedBits,
        ...(writtenIds ? { writtenIds } : {}),
      });
      return { lock, previous, seedBits, recovered, notes };
    }
  }
  // A new run (nothing to recover: recover() of a missing file is an empty table).
  const fresh = (): Claim => ({
    lock,
    previous: null,
    seedBits: SEED_BITS,
    recovered: recover(csv, { config, grid: o.grid, columns, seedBits: SEED_BITS }),
    notes,
  });
  if (!existsSync(csv)) return fresh();
  // No run.json: the rows alone must show they belong to this plan (either seed width).
  let best: { seedBits: SeedBits; recovered: Recovered } | null = null;
  for (const seedBits of [SEED_BITS, 32] as const) {
    const recovered = recover(csv, { config, grid: o.grid, columns, seedBits });
    if (recovered.headerMatches && recovered.droppedRows === 0)
      return { lock, previous: null, seedBits, recovered, notes };
    if (!best) best = { seedBits, recovered };
  }
  if (!o.force) {
    throw errors.invalid(
      "sweep",
      `${csv} (there is no ${manifestPath(dir)} to say what made it)`,
      "rows of this configuration (use --force to start afresh, or another --out)",
      described(`rows that do not match it, first at ${best?.recovered.firstProblem ?? "line 1"}`),
    );
  }
  clear(dir);
  return fresh();
}

/** Whether the earlier configuration can still be read (an extension maps its cells to the new ones). */
function extensible(previous: RunManifest): boolean {
  try {
    parseSweepConfig(previous.config, manifestPath("."));
    return true;
  } catch {
    return false;
  }
}

/** The cell ids an earlier run wrote, by grid-values key (cell ids shift when grid values are added). */
function oldIds(previous: RunManifest): Map<string, string> {
  const old = parseSweepConfig(previous.config, "run.json");
  return new Map(
    cells(old).map((c) => {
      const lead = cellLead(old, c);
      return [valuesKey(lead.slice(1)), c.id];
    }),
  );
}
