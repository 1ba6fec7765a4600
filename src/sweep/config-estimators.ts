import { errors } from "../errors.js";
import { getEstimator } from "../estimators/registry.js";
import { resolveParams } from "../params.js";
import type { EstimatorSpec } from "./config.js";

/** The keys of an estimator entry written as an object. */
const ENTRY_KEYS = ["id", "name", "params"];

const ENTRY_SHAPE = 'an id or {"id", "name"?, "params"?}';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** One entry of `estimators`: an id, or an object with an id, an optional snake_case name and parameters. */
function estimatorSpec(where: string, e: unknown, i: number): EstimatorSpec {
  const entry = typeof e === "string" ? { id: e } : e;
  const at = `estimators[${i}]`;
  if (!isRecord(entry)) throw errors.invalid(where, at, ENTRY_SHAPE, e);
  for (const k of Object.keys(entry)) {
    if (!ENTRY_KEYS.includes(k)) throw errors.unknownId(`${where}: ${at}`, "a key", k, ENTRY_KEYS);
  }
  if (entry.id === undefined) throw errors.missing(where, `${at}.id`, "an estimator id");
  if (typeof entry.id !== "string") throw errors.invalid(where, `${at}.id`, "an estimator id", entry.id);
  const est = getEstimator(entry.id, `${where}: ${at}`);
  const given = entry.params ?? {};
  if (!isRecord(given)) throw errors.invalid(where, `${at}.params`, "an object", given);
  const params = resolveParams(`${where}: ${at} (${entry.id})`, est.params, est.defaults, given);
  const name = entry.name ?? entry.id;
  if (typeof name !== "string" || !/^[a-z][a-z0-9_]*$/.test(name)) {
    throw errors.invalid(where, `${at}.name`, "a snake_case name", name);
  }
  return { name, id: entry.id, params: params as Record<string, unknown> };
}

/** Validates the `estimators` list: a non-empty list of entries with unique names. */
export function estimatorSpecs(where: string, raw: unknown): EstimatorSpec[] {
  if (!Array.isArray(raw) || raw.length === 0) throw errors.invalid(where, "estimators", "a non-empty list", raw);
  const specs = raw.map((e, i) => estimatorSpec(where, e, i));
  const names = specs.map((s) => s.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw errors.invalid(where, "estimator names", "unique (give repeated ids a name)", dup);
  return specs;
}

/**
 * An estimator as briefly as a user would write it: its id alone, or the id with its name when
 * that differs and only the parameters that differ from the estimator's defaults.
 */
export function briefEstimator(spec: EstimatorSpec): string | Record<string, unknown> {
  const defaults = getEstimator(spec.id).defaults as Record<string, unknown>;
  const changed = Object.entries(spec.params).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(defaults[k]));
  if (changed.length === 0 && spec.name === spec.id) return spec.id;
  return {
    id: spec.id,
    ...(spec.name === spec.id ? {} : { name: spec.name }),
    ...(changed.length === 0 ? {} : { params: Object.fromEntries(changed) }),
  };
}
