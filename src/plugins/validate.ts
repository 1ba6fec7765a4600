import { described, errors } from "../errors.js";
import { INTERVAL_KINDS } from "../estimators/types.js";
import { type ParamSpec, resolveParams } from "../params.js";

/**
 * Checks of what a plug-in module exports, before anything is registered: a plug-in is code the
 * user wrote, so a missing field is an input error naming the plug-in and the object, not a
 * TypeError in a worker halfway through a sweep.
 */

const PARAM_TYPES = ["int", "number", "boolean", "numbers", "strings", "choice"];

/** snake_case, as ids and names are everywhere else (CSV columns, run.json). */
const SNAKE = /^[a-z][a-z0-9_]*$/;

/** Parameter names: snake_case, or a capital as the study's `L` (they become --flags and JSON keys). */
const PARAM_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `where` for one exported object: the plug-in and the object's place and id. */
function objectWhere(where: string, list: string, i: number, o: unknown): string {
  const id = isRecord(o) && typeof o.id === "string" ? ` (${o.id})` : "";
  return `${where}: ${list}[${i}]${id}`;
}

function need(at: string, o: Record<string, unknown>, key: string, kind: "string" | "function", what: string) {
  if (typeof o[key] !== kind) {
    throw o[key] === undefined
      ? errors.missing(at, key, what)
      : errors.invalid(at, key, what, described(typeof o[key]));
  }
}

function checkSpecs(at: string, specs: unknown): readonly ParamSpec[] {
  if (!Array.isArray(specs))
    throw errors.invalid(
      at,
      "params",
      "a list of parameter specs (defineEstimator and defineDgp default it)",
      described(typeof specs),
    );
  specs.forEach((s, j) => {
    const here = `${at}: params[${j}]`;
    if (!isRecord(s)) throw errors.invalid(here, "the spec", "an object {name, type, help, ...}", s);
    if (typeof s.name !== "string" || !PARAM_NAME.test(s.name))
      throw errors.invalid(here, "name", "a name of letters, digits and _", s.name);
    if (typeof s.type !== "string" || !PARAM_TYPES.includes(s.type))
      throw errors.unknownId(here, "type", String(s.type), PARAM_TYPES);
    if (s.type === "choice" && !Array.isArray(s.choices))
      throw errors.missing(here, "choices", "the list of allowed values of a choice");
  });
  return specs as ParamSpec[];
}

/** The fields both kinds share: a snake_case id, a label, specs whose defaults all validate. */
function checkCommon(at: string, o: Record<string, unknown>): void {
  need(at, o, "id", "string", "a snake_case id");
  if (!SNAKE.test(o.id as string)) throw errors.invalid(at, "id", "a snake_case id", o.id);
  need(at, o, "label", "string", "a short label");
  const specs = checkSpecs(at, o.params);
  if (!isRecord(o.defaults)) throw errors.missing(at, "defaults", "an object with a value for every parameter");
  const names = specs.map((s) => s.name);
  const missing = names.find((n) => !Object.hasOwn(o.defaults as object, n));
  if (missing !== undefined) throw errors.missing(`${at}: defaults`, missing, "a default value");
  resolveParams(`${at}: defaults`, specs, o.defaults, {});
}

/** Throws unless `o` is an estimator with the built-in interface (src/estimators/types.ts). */
export function checkEstimator(where: string, i: number, o: unknown): void {
  const at = objectWhere(where, "estimators", i, o);
  if (!isRecord(o)) throw errors.invalid(at, "the estimator", "an object (use defineEstimator)", o);
  checkCommon(at, o);
  if (o.input !== "individual" && o.input !== "summary")
    throw errors.unknownId(at, "input", String(o.input), ["individual", "summary"]);
  need(at, o, "fit", "function", "a function fit(data, params, ctx) returning a row");
  need(at, o, "interval", "function", "a function of the parameters giving the interval kind (use defineEstimator)");
  const kind = (o.interval as (p: unknown) => unknown)(o.defaults);
  if (!(INTERVAL_KINDS as readonly unknown[]).includes(kind))
    throw errors.unknownId(at, "interval(defaults)", String(kind), INTERVAL_KINDS);
  if (!Array.isArray(o.extras) || o.extras.some((x) => typeof x !== "string" || !SNAKE.test(x)))
    throw errors.invalid(at, "extras", "a list of snake_case names", o.extras);
}

/** Throws unless `o` is a DGP with the built-in interface (src/sim/types.ts), `seed` included. */
export function checkDgp(where: string, i: number, o: unknown): void {
  const at = objectWhere(where, "dgps", i, o);
  if (!isRecord(o)) throw errors.invalid(at, "the DGP", "an object (use defineDgp)", o);
  checkCommon(at, o);
  const seed = (o.params as ParamSpec[]).find((s) => s.name === "seed");
  if (seed?.type !== "int")
    throw errors.missing(at, "parameter seed", "an int parameter that seeds each task (defineDgp adds it)");
  for (const f of ["check", "columns", "roles", "rows", "width", "simulate"])
    need(at, o, f, "function", `a function (the DGP interface, src/sim/types.ts; defineDgp fills check and width)`);
}
