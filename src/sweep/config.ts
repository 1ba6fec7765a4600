import { createHash } from "node:crypto";
import { errors } from "../errors.js";
import { checkParam, resolveParams } from "../params.js";
import type { PluginRef } from "../plugins/load.js";
import { pluginRefsOf } from "../plugins/refs.js";
import { dgps, getDgp } from "../sim/registry.js";
import { BACKENDS } from "../sim/simulate.js";
import type { Dgp } from "../sim/types.js";
import { checkCells } from "./cell-checks.js";
import { briefEstimator, estimatorSpecs } from "./config-estimators.js";
import { checkAtMost, MAX_CELLS, MAX_REPLICATES, MAX_ROWS, MAX_TASKS } from "./limits.js";
import { SWEEP_PRESETS } from "./presets.js";

/** One estimator in a sweep: a registry id, a unique name for the CSVs, and its parameters. */
export interface EstimatorSpec {
  readonly name: string;
  readonly id: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/** A validated sweep configuration. */
export interface SweepConfig {
  readonly dgp: string;
  readonly rng: string;
  /** DGP parameters fixed for every cell. */
  readonly params: Readonly<Record<string, unknown>>;
  /** Grid axes: DGP parameter -> values, crossed in this order. */
  readonly grid: ReadonlyArray<readonly [string, readonly unknown[]]>;
  readonly replicates: number;
  readonly estimators: readonly EstimatorSpec[];
  readonly seed: number;
  /** `derived`: every task's seed from the run seed and the task; `dgp`: the DGP's own seed parameter for every task (the study's datasets). */
  readonly seeds: "derived" | "dgp";
  /** Plug-in modules the DGP and estimators may come from (src/plugins/); absent when none. */
  readonly plugins?: readonly PluginRef[];
}

/** The keys of a configuration; `extends` names a preset whose keys the others replace. */
const KEYS = ["dgp", "rng", "params", "grid", "replicates", "estimators", "seed", "seeds", "plugins", "extends"];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * The configuration a preset-extending one stands for: the preset's keys, each replaced whole by
 * the configuration's own (a `params` or `grid` given replaces the preset's, it is not merged).
 */
function withPreset(where: string, raw: Record<string, unknown>): Record<string, unknown> {
  const { extends: name, ...own } = raw;
  if (name === undefined) return raw;
  const presets = Object.keys(SWEEP_PRESETS);
  if (typeof name !== "string") throw errors.invalid(where, "extends", `a preset name (${presets.join(", ")})`, name);
  const preset = SWEEP_PRESETS[name];
  if (!preset) throw errors.unknownId(where, "extends", name, presets);
  return { ...preset, ...own };
}

function dgpOf(where: string, raw: unknown): Dgp<object> {
  const ids = [...dgps.keys()].join(", ");
  if (raw === undefined) throw errors.missing(where, "dgp", `a DGP id (${ids}), or "extends" naming a preset`);
  if (typeof raw !== "string") throw errors.invalid(where, "dgp", `a DGP id (${ids})`, raw);
  return getDgp(raw, `${where}: dgp`);
}

/** The grid's axes in order; each a DGP parameter, not also fixed, with distinct valid values. */
function gridOf(where: string, dgp: Dgp<object>, raw: unknown, params: Record<string, unknown>) {
  if (!isRecord(raw)) throw errors.invalid(where, "grid", "an object mapping DGP parameters to lists of values", raw);
  return Object.entries(raw).map(([name, values]): [string, unknown[]] => {
    const spec = dgp.params.find((s) => s.name === name);
    if (!spec)
      throw errors.unknownId(
        where,
        "grid axis",
        name,
        dgp.params.map((s) => s.name),
      );
    if (!Array.isArray(values) || values.length === 0)
      throw errors.invalid(where, `grid.${name}`, "a non-empty list", values);
    const seen = new Map<string, number>();
    values.forEach((v, i) => {
      const key = JSON.stringify(checkParam(`${where}: grid.${name}[${i}]`, spec, v));
      const first = seen.get(key);
      if (first !== undefined) {
        throw errors.invalid(
          where,
          `grid.${name}[${i}]`,
          `different from grid.${name}[${first}] (a value is one cell)`,
          v,
        );
      }
      seen.set(key, i);
    });
    if (name in params) throw errors.invalid(where, `grid.${name}`, "not also a fixed parameter", params[name]);
    return [name, values];
  });
}

function seedsOf(where: string, raw: unknown, replicates: number): "derived" | "dgp" {
  const seeds = raw ?? "derived";
  if (seeds !== "derived" && seeds !== "dgp") throw errors.unknownId(where, "seeds", String(seeds), ["derived", "dgp"]);
  if (seeds === "dgp" && replicates > 1) {
    throw errors.invalid(
      where,
      'replicates with "seeds": "dgp"',
      "1 (every replicate would be the same dataset)",
      replicates,
    );
  }
  return seeds;
}

/**
 * The DGP's `seed` parameter is decided by `seeds`: with `derived` each task gets its own, so a
 * fixed one would be ignored; with `dgp` every task takes the fixed one. A grid over it is ignored either way.
 */
function checkSeedParam(where: string, seeds: "derived" | "dgp", params: Record<string, unknown>, grid: unknown) {
  if (isRecord(grid) && "seed" in grid) {
    throw errors.invalid(where, "grid.seed", 'left out (tasks take their seeds from "seeds")', grid.seed);
  }
  if (seeds === "derived" && params.seed !== undefined) {
    throw errors.invalid(
      where,
      "params.seed",
      'left out unless "seeds" is "dgp" (each task derives its own)',
      params.seed,
    );
  }
}

/** The number of grid cells: the product of the axes' lengths. */
function cellCount(grid: SweepConfig["grid"]): number {
  return grid.reduce((m, [, values]) => m * values.length, 1);
}

/** The number of tasks of a configuration: cells x replicates. */
export function taskCount(c: SweepConfig): number {
  return cellCount(c.grid) * c.replicates;
}

/** The grid's cells, tasks and rows within the documented limits (before any cell is looked at). */
function checkSizes(where: string, grid: SweepConfig["grid"], r: number, e: number) {
  const cells = cellCount(grid);
  checkAtMost(where, "the number of grid cells", cells, MAX_CELLS, "split the grid over several sweeps");
  checkAtMost(where, "cells x replicates", cells * r, MAX_TASKS, "tasks kept in memory");
  checkAtMost(where, "cells x replicates x estimators", cells * r * e, MAX_ROWS, "rows of replicates.csv");
}

/**
 * Validates a sweep configuration object with precise messages. It stands alone on the DGP's and
 * estimators' defaults (`dgp` and `estimators` are required) unless it names a preset in `extends`.
 * Every cell of the grid is checked (parameters together, estimators' columns, dataset size)
 * without simulating anything. Top-level keys starting with `_` are comments and are dropped;
 * `plugins` must be refs of plug-ins already loaded (src/plugins/config.ts loads them).
 */
export function parseSweepConfig(input: unknown, where = "sweep config"): SweepConfig {
  if (!isRecord(input)) throw errors.invalid(where, "the configuration", "a JSON object", input);
  // Keys starting with "_" are comments (JSON has none): `mrsweep init` writes "_comment" and "_grid".
  const own = Object.fromEntries(Object.entries(input).filter(([k]) => !k.startsWith("_")));
  for (const k of Object.keys(own)) if (!KEYS.includes(k)) throw errors.unknownId(where, "a key", k, KEYS);
  const raw = withPreset(where, own);
  const plugins = pluginRefsOf(where, raw.plugins);
  const dgp = dgpOf(where, raw.dgp);
  const rng = raw.rng ?? "seedrandom";
  if (typeof rng !== "string") throw errors.invalid(where, "rng", `one of ${Object.keys(BACKENDS).join(", ")}`, rng);
  if (!(rng in BACKENDS)) throw errors.unknownId(where, "rng", rng, Object.keys(BACKENDS));
  const params = raw.params ?? {};
  if (!isRecord(params)) throw errors.invalid(where, "params", "an object of DGP parameters", params);
  const resolved = resolveParams(`${where}: params`, dgp.params, dgp.defaults, params) as Record<string, unknown>;
  const grid = gridOf(where, dgp, raw.grid ?? {}, params);
  const replicates = raw.replicates ?? 100;
  if (!Number.isInteger(replicates) || (replicates as number) < 1)
    throw errors.invalid(where, "replicates", "an integer >= 1", replicates);
  checkAtMost(where, "replicates", replicates as number, MAX_REPLICATES, "per cell");
  const seed = raw.seed ?? 1;
  if (!Number.isSafeInteger(seed) || (seed as number) < 0)
    throw errors.invalid(where, "seed", "a non-negative integer", seed);
  const seeds = seedsOf(where, raw.seeds, replicates as number);
  checkSeedParam(where, seeds, params, raw.grid);
  if (raw.estimators === undefined)
    throw errors.missing(where, "estimators", 'a non-empty list, or "extends" naming a preset');
  const estimators = estimatorSpecs(where, raw.estimators);
  checkSizes(where, grid, replicates as number, estimators.length);
  checkCells(where, dgp, { resolved, grid, estimators });
  return {
    dgp: dgp.id,
    rng,
    params,
    grid,
    replicates: replicates as number,
    estimators,
    seed: seed as number,
    seeds,
    ...(plugins ? { plugins } : {}),
  };
}

/** The configuration as plain JSON (grid as an object), as stored in run.json. */
export function configJson(c: SweepConfig): Record<string, unknown> {
  return { ...c, grid: Object.fromEntries(c.grid) };
}

/**
 * The resolved configuration in one compact JSON line, as a user would write it: estimators by
 * id, with only their names and parameters that differ from the defaults.
 */
export function describeConfig(c: SweepConfig): string {
  return JSON.stringify({ ...configJson(c), estimators: c.estimators.map(briefEstimator) });
}

/** A fingerprint of everything that decides the rows of replicates.csv. */
export function configHash(c: SweepConfig): string {
  return createHash("sha256")
    .update(JSON.stringify(configJson(c)))
    .digest("hex")
    .slice(0, 16);
}
