import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { described, errors } from "../errors.js";
import { addEstimator, BUILT_IN_ESTIMATORS, estimators } from "../estimators/registry.js";
import { withSampleChoice } from "../estimators/sample.js";
import type { Estimator, IndividualEstimator } from "../estimators/types.js";
import { addDgp, BUILT_IN_DGPS, dgps } from "../sim/registry.js";
import type { Dgp } from "../sim/types.js";
import { checkDgp, checkEstimator } from "./validate.js";

/** A plug-in as a run records it: its absolute path and the sha256 of its content (hex). */
export interface PluginRef {
  readonly path: string;
  readonly sha256: string;
}

/** A loaded plug-in: where it is, and the ids it added. */
export interface LoadedPlugin extends PluginRef {
  readonly estimators: readonly string[];
  readonly dgps: readonly string[];
}

/** The plug-ins loaded in this thread, by absolute path. */
const loaded = new Map<string, LoadedPlugin>();

/** The plug-in that added each id (`estimator:ID`, `dgp:ID`), so that two plug-ins cannot claim one. */
const owners = new Map<string, string>();

/** The plug-ins loaded in this thread so far, in loading order. */
export function loadedPlugins(): readonly LoadedPlugin[] {
  return [...loaded.values()];
}

/** The content of a plug-in file and its sha256, or an input error naming it. */
function readPlugin(where: string, path: string): { bytes: Buffer; sha256: string } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw errors.noFile(where, path, (e as NodeJS.ErrnoException).code ?? String(e));
  }
  return { bytes, sha256: createHash("sha256").update(bytes).digest("hex") };
}

/**
 * The module's exports. The content hash is part of the URL, so that a changed file loaded again
 * in the same process is a new module and not the one Node cached for the old content.
 */
async function importPlugin(where: string, path: string, sha256: string): Promise<Record<string, unknown>> {
  try {
    return (await import(`${pathToFileURL(path).href}?sha256=${sha256}`)) as Record<string, unknown>;
  } catch (e) {
    throw errors.invalid(
      where,
      `plug-in ${path}`,
      `a JavaScript module that loads${hintFor(path, e)}`,
      (e as Error).message,
    );
  }
}

/** What to do about a plug-in that does not load, when it is a known case. */
function hintFor(path: string, e: unknown): string {
  if (/\.[cm]?tsx?$/.test(path)) return " (compile TypeScript to .mjs first, e.g. with tsc)";
  const missingSelf = (e as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND" && /'mrsweep'/.test(String(e));
  return missingSelf
    ? " (install mrsweep beside it, npm install mrsweep, or export a function of the API instead: export default (mrsweep) => ({ estimators: [...] }))"
    : "";
}

/**
 * What a module offers: its named exports, or its default export, an object or a function given
 * the library's API (for a plug-in where `import ... from "mrsweep"` does not resolve: a global
 * install) that returns the object.
 */
async function exportsOf(where: string, mod: Record<string, unknown>): Promise<Record<string, unknown>> {
  if (mod.estimators !== undefined || mod.dgps !== undefined) return mod;
  if (typeof mod.default === "function") {
    try {
      return (await mod.default(await import("../index.js"))) ?? {};
    } catch (e) {
      throw errors.invalid(
        where,
        "its default export",
        "a function returning {estimators, dgps}",
        (e as Error).message,
      );
    }
  }
  return typeof mod.default === "object" && mod.default ? (mod.default as Record<string, unknown>) : mod;
}

/** `estimators` and `dgps` of a plug-in's exports (see `exportsOf`). */
function listsOf(where: string, source: Record<string, unknown>): { estimators: unknown[]; dgps: unknown[] } {
  const list = (key: "estimators" | "dgps") => {
    const v = source[key] ?? [];
    if (!Array.isArray(v)) throw errors.invalid(where, `export ${key}`, "a list", described(typeof v));
    return v as unknown[];
  };
  const out = { estimators: list("estimators"), dgps: list("dgps") };
  if (out.estimators.length + out.dgps.length === 0)
    throw errors.missing(where, "exports estimators or dgps", "a non-empty list of estimators and/or DGPs");
  return out;
}

/** Refuses an id a built-in, another plug-in or another object of this plug-in already has. */
function claimId(where: string, kind: "estimator" | "dgp", id: string, path: string, taken: Set<string>): void {
  const builtIn = kind === "estimator" ? BUILT_IN_ESTIMATORS : BUILT_IN_DGPS;
  const key = `${kind}:${id}`;
  const owner = owners.get(key);
  const clash = builtIn.has(id)
    ? `the built-in ${kind} ${id}`
    : taken.has(key)
      ? `another ${kind} of this plug-in`
      : owner !== undefined && owner !== path
        ? `the ${kind} ${id} of plug-in ${owner}`
        : "";
  if (clash) throw errors.invalid(where, `${kind} id ${JSON.stringify(id)}`, "an id of its own", described(clash));
  taken.add(key);
}

/** Validates and registers a module's estimators and DGPs (all or none). */
function register(where: string, path: string, mod: Record<string, unknown>): { estimators: string[]; dgps: string[] } {
  const lists = listsOf(where, mod);
  for (const [i, e] of lists.estimators.entries()) checkEstimator(where, i, e);
  for (const [i, d] of lists.dgps.entries()) checkDgp(where, i, d);
  const ests = lists.estimators as Estimator<object>[];
  const gens = lists.dgps as Dgp<object>[];
  const taken = new Set<string>();
  for (const e of ests) claimId(where, "estimator", e.id, path, taken);
  for (const d of gens) claimId(where, "dgp", d.id, path, taken);
  for (const e of ests) {
    // Individual-level fits take `sample` like the built-in ones (two-sample data: sample 1 only).
    const sampled = e.input === "individual" && !e.params.some((s) => s.name === "sample");
    addEstimator(sampled ? (withSampleChoice(e as IndividualEstimator<object>) as Estimator<object>) : e);
    owners.set(`estimator:${e.id}`, path);
  }
  for (const d of gens) {
    addDgp(d);
    owners.set(`dgp:${d.id}`, path);
  }
  return { estimators: ests.map((e) => e.id), dgps: gens.map((d) => d.id) };
}

/**
 * Loads one plug-in module (a path, relative to `baseDir`) and registers its estimators and DGPs.
 * With `sha256` (a sweep worker, or a run's recorded plug-in) the file must still have that
 * content. Loading the same content again does nothing.
 */
export async function loadPlugin(
  where: string,
  file: string,
  o: { baseDir?: string; sha256?: string } = {},
): Promise<LoadedPlugin> {
  const path = resolve(o.baseDir ?? process.cwd(), file);
  const { sha256 } = readPlugin(where, path);
  if (o.sha256 !== undefined && o.sha256 !== sha256) {
    throw errors.invalid(
      where,
      `plug-in ${path}`,
      `unchanged since the run recorded it (sha256 ${o.sha256.slice(0, 12)}…)`,
      described(`content with sha256 ${sha256.slice(0, 12)}…`),
    );
  }
  const before = loaded.get(path);
  if (before?.sha256 === sha256) return before;
  const at = `${where}: plug-in ${file}`;
  const ids = register(at, path, await exportsOf(at, await importPlugin(where, path, sha256)));
  const plugin = { path, sha256, ...ids };
  loaded.set(path, plugin);
  return plugin;
}

/**
 * Loads plug-in modules in order (paths relative to `baseDir`, default the working folder) and
 * registers their estimators and DGPs for `fit`, `simulate` and sweeps in this process; returns
 * what a run records of them. `where` starts error messages (default `loadPlugins`).
 */
export async function loadPlugins(
  files: readonly string[],
  o: { baseDir?: string; where?: string } = {},
): Promise<PluginRef[]> {
  const refs: PluginRef[] = [];
  for (const f of files) {
    const p = await loadPlugin(o.where ?? "loadPlugins", f, o.baseDir === undefined ? {} : { baseDir: o.baseDir });
    if (!refs.some((r) => r.path === p.path)) refs.push({ path: p.path, sha256: p.sha256 });
  }
  return refs;
}

/** Whether a plug-in added this estimator or DGP id (for `mrsweep list`). */
export function isPluginId(kind: "estimator" | "dgp", id: string): boolean {
  return owners.has(`${kind}:${id}`) && (kind === "estimator" ? estimators.has(id) : dgps.has(id));
}
