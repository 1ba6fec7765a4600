import { errors } from "./errors.js";
import { BOOLEAN_TEXTS, booleanCell } from "./io/booleans.js";

/** The type of one parameter of a DGP or estimator. */
export type ParamType = "int" | "number" | "boolean" | "numbers" | "strings" | "choice" | "text" | "texts";

/**
 * Declares one parameter: its type, range and help, so that validation, CLI flags and docs derive from it.
 * `strings` name columns of the data (checked against them); `text` and `texts` are free text (a folder,
 * a command and its arguments).
 */
export interface ParamSpec {
  readonly name: string;
  readonly type: ParamType;
  readonly help: string;
  /** Inclusive bounds for numbers (each element for `numbers`). */
  readonly min?: number;
  readonly max?: number;
  /** Exclusive lower bound. */
  readonly above?: number;
  /** `null` is allowed and means "off". */
  readonly nullable?: boolean;
  /** Required length for `numbers`. */
  readonly length?: number;
  /** The allowed values of a `choice`. */
  readonly choices?: readonly string[];
  /** A `choice` that also takes a number (within min, max and above), e.g. k-class's `kappa`. */
  readonly orNumber?: boolean;
}

/** A parameter value after validation. */
export type ParamValue = number | boolean | string | null | readonly number[] | readonly string[];

function rangeText(s: ParamSpec): string {
  const parts: string[] = [];
  if (s.above !== undefined) parts.push(`> ${s.above}`);
  if (s.min !== undefined) parts.push(`>= ${s.min}`);
  if (s.max !== undefined) parts.push(`<= ${s.max}`);
  return parts.join(" and ");
}

function numberConstraint(s: ParamSpec): string {
  const kind = s.type === "int" ? "an integer" : "a finite number";
  const range = rangeText(s);
  return range ? `${kind} ${range}` : kind;
}

function checkNumber(where: string, s: ParamSpec, v: unknown, what: string): number {
  // The constraint's text is built only for a message: a sweep checks every grid cell's parameters.
  if (typeof v !== "number" || !Number.isFinite(v) || (s.type === "int" && !Number.isInteger(v))) {
    throw errors.invalid(where, what, numberConstraint(s), v);
  }
  const ok =
    (s.above === undefined || v > s.above) &&
    (s.min === undefined || v >= s.min) &&
    (s.max === undefined || v <= s.max);
  if (!ok) throw errors.invalid(where, what, numberConstraint(s), v);
  return v;
}

/** Validates one value against its spec; `where` names the caller for the message. */
export function checkParam(where: string, s: ParamSpec, v: unknown): ParamValue {
  const what = `parameter ${s.name}`;
  if (v === null && s.nullable) return null;
  switch (s.type) {
    case "int":
    case "number":
      return checkNumber(where, s, v, what);
    case "boolean":
      if (typeof v !== "boolean") throw errors.invalid(where, what, "true or false", v);
      return v;
    case "numbers": {
      if (!Array.isArray(v)) throw errors.invalid(where, what, "a list of numbers", v);
      if (s.length !== undefined && v.length !== s.length) {
        throw errors.invalid(where, `${what} length`, `${s.length}`, v.length);
      }
      const each: ParamSpec = { ...s, type: "number" };
      const out: number[] = [];
      for (let i = 0; i < v.length; i++) out.push(checkNumber(where, each, v[i], `${what}[${i}]`));
      return out;
    }
    case "strings":
      if (!Array.isArray(v) || v.some((x) => typeof x !== "string"))
        throw errors.invalid(where, what, "a list of names", v);
      return v as string[];
    case "text":
      if (typeof v !== "string") throw errors.invalid(where, what, "a string", v);
      return v;
    case "texts":
      if (!Array.isArray(v) || v.some((x) => typeof x !== "string"))
        throw errors.invalid(where, what, "a list of strings", v);
      return v as string[];
    case "choice":
      if (s.orNumber && typeof v === "number") return checkNumber(where, s, v, what);
      if (s.orNumber && (typeof v !== "string" || !(s.choices ?? []).includes(v))) {
        throw errors.invalid(where, what, `one of ${(s.choices ?? []).join(", ")} or ${numberConstraint(s)}`, v);
      }
      if (typeof v !== "string" || !(s.choices ?? []).includes(v)) {
        throw errors.unknownId(where, what, String(v), s.choices ?? []);
      }
      return v;
  }
}

/**
 * Merges `given` over `defaults`, validating every value and rejecting unknown names. The result
 * has every parameter of the spec.
 */
export function resolveParams<P extends object>(
  where: string,
  specs: readonly ParamSpec[],
  defaults: P,
  given: Record<string, unknown> = {},
): P {
  const known = specs.map(nameOf);
  for (const name of Object.keys(given)) {
    if (!known.includes(name)) throw errors.unknownId(where, "parameter name", name, known);
  }
  const out: Record<string, ParamValue> = {};
  for (const s of specs) {
    const v = isSet(given, s.name) ? given[s.name] : (defaults as Record<string, unknown>)[s.name];
    out[s.name] = checkParam(where, s, v);
  }
  return out as P;
}

function nameOf(s: ParamSpec): string {
  return s.name;
}

function isSet(o: Record<string, unknown>, key: string): boolean {
  return Object.hasOwn(o, key) && o[key] !== undefined;
}

/** Parses a command-line string for a parameter (`1e3`, `true`, `0.1,0.2`, `none`). */
export function parseParamText(where: string, s: ParamSpec, text: string): unknown {
  const t = text.trim();
  if (s.nullable && (t === "none" || t === "null" || t === "")) return null;
  switch (s.type) {
    case "boolean": {
      const b = booleanCell(t);
      if (b === undefined) throw errors.invalid(where, `--${flagName(s.name)}`, BOOLEAN_TEXTS, text);
      return b;
    }
    case "numbers":
      return t === "" ? [] : t.split(",").map((x) => toNumber(x));
    case "strings":
    case "texts":
      return t === "" ? [] : t.split(",").map((x) => x.trim());
    case "text":
      return t;
    case "choice":
      return s.orNumber && (s.choices ?? []).indexOf(t) < 0 ? toNumber(t) : t;
    default:
      return toNumber(t);
  }
}

/** A number, or the text itself when it is not one (so that the error message can quote it). */
function toNumber(t: string): number | string {
  const x = t.trim();
  const v = Number(x);
  return x === "" || Number.isNaN(v) ? t : v;
}

/** The command-line flag of a parameter: underscores become dashes (`pi_scale` -> `pi-scale`). */
export function flagName(param: string): string {
  return param.replaceAll("_", "-");
}
