import { createHash } from "node:crypto";
import { errors } from "../errors.js";
import { getEstimator } from "../estimators/registry.js";
import { checkParam, resolveParams } from "../params.js";
import { getDgp } from "../sim/registry.js";
import { BACKENDS } from "../sim/simulate.js";

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
}

const KEYS = ["dgp", "rng", "params", "grid", "replicates", "estimators", "seed", "seeds"];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function estimatorSpecs(where: string, raw: unknown): EstimatorSpec[] {
  if (!Array.isArray(raw) || raw.length === 0) throw errors.invalid(where, "estimators", "a non-empty list", raw);
  const specs = raw.map((e, i): EstimatorSpec => {
    const entry = typeof e === "string" ? { id: e } : e;
    if (!isRecord(entry) || typeof entry.id !== "string") {
      throw errors.invalid(where, `estimators[${i}]`, 'an id or {"id", "name"?, "params"?}', e);
    }
    const est = getEstimator(entry.id, `${where}: estimators[${i}]`);
    const given = entry.params ?? {};
    if (!isRecord(given)) throw errors.invalid(where, `estimators[${i}].params`, "an object", given);
    const params = resolveParams(`${where}: estimators[${i}] (${entry.id})`, est.params, est.defaults, given);
    const name = typeof entry.name === "string" ? entry.name : entry.id;
    if (!/^[a-z][a-z0-9_]*$/.test(name)) throw errors.invalid(where, `estimators[${i}].name`, "snake_case", name);
    return { name, id: entry.id, params: params as Record<string, unknown> };
  });
  const names = specs.map((s) => s.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw errors.invalid(where, "estimator names", "unique (give repeated ids a name)", dup);
  return specs;
}

/** Validates a sweep configuration object (from a JSON file, a preset and flags) with precise messages. */
export function parseSweepConfig(raw: unknown, where = "sweep config"): SweepConfig {
  if (!isRecord(raw)) throw errors.invalid(where, "the configuration", "a JSON object", raw);
  for (const k of Object.keys(raw)) if (!KEYS.includes(k)) throw errors.unknownId(where, "a key", k, KEYS);
  const dgp = getDgp(typeof raw.dgp === "string" ? raw.dgp : "study", where);
  const rng = raw.rng ?? "seedrandom";
  if (typeof rng !== "string" || !(rng in BACKENDS))
    throw errors.unknownId(where, "rng", String(rng), Object.keys(BACKENDS));
  const params = raw.params ?? {};
  if (!isRecord(params)) throw errors.invalid(where, "params", "an object of DGP parameters", params);
  const gridRaw = raw.grid ?? {};
  if (!isRecord(gridRaw))
    throw errors.invalid(where, "grid", "an object mapping DGP parameters to lists of values", gridRaw);
  const grid = Object.entries(gridRaw).map(([name, values]): [string, unknown[]] => {
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
    values.forEach((v, i) => {
      checkParam(`${where}: grid.${name}[${i}]`, spec, v);
    });
    if (name in params) throw errors.invalid(where, `grid.${name}`, "not also a fixed parameter", params[name]);
    return [name, values];
  });
  resolveParams(`${where}: params`, dgp.params, dgp.defaults, {
    ...params,
    ...Object.fromEntries(grid.map(([k, v]) => [k, v[0]])),
  });
  const replicates = raw.replicates ?? 100;
  if (!Number.isInteger(replicates) || (replicates as number) < 1)
    throw errors.invalid(where, "replicates", "an integer >= 1", replicates);
  const seed = raw.seed ?? 1;
  if (!Number.isSafeInteger(seed) || (seed as number) < 0)
    throw errors.invalid(where, "seed", "a non-negative integer", seed);
  const seeds = raw.seeds ?? "derived";
  if (seeds !== "derived" && seeds !== "dgp") throw errors.unknownId(where, "seeds", String(seeds), ["derived", "dgp"]);
  return {
    dgp: dgp.id,
    rng,
    params,
    grid,
    replicates: replicates as number,
    estimators: estimatorSpecs(where, raw.estimators),
    seed: seed as number,
    seeds,
  };
}

/** The configuration as plain JSON (grid as an object), as stored in run.json. */
export function configJson(c: SweepConfig): Record<string, unknown> {
  return { ...c, grid: Object.fromEntries(c.grid) };
}

/** A fingerprint of everything that decides the rows of replicates.csv. */
export function configHash(c: SweepConfig): string {
  return createHash("sha256")
    .update(JSON.stringify(configJson(c)))
    .digest("hex")
    .slice(0, 16);
}
