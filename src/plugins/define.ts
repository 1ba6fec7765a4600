import type {
  EstimateRow,
  FitContext,
  IndividualData,
  IndividualEstimator,
  IntervalKind,
  RoleUse,
  SummaryEstimator,
} from "../estimators/types.js";
import type { DataShape } from "../estimators/workspace.js";
import type { ParamSpec } from "../params.js";
import type { Dgp, Roles, SimContext, Simulated } from "../sim/types.js";
import type { SummaryData } from "../summary/data.js";

/**
 * The TypeScript type of the value a parameter spec accepts: `int`/`number` a number, `boolean`,
 * `numbers` and `strings` lists, a `choice` one of its choices (or a number with `orNumber`), and
 * `null` too when it is `nullable`.
 */
export type ParamValueOf<S extends ParamSpec> =
  | (S["type"] extends "int" | "number"
      ? number
      : S["type"] extends "boolean"
        ? boolean
        : S["type"] extends "numbers"
          ? readonly number[]
          : S["type"] extends "strings"
            ? readonly string[]
            : S["type"] extends "choice"
              ?
                  | (S extends { readonly choices: readonly (infer C)[] } ? C : string)
                  | (S extends { readonly orNumber: true } ? number : never)
              : never)
  | (S extends { readonly nullable: true } ? null : never);

/** The parameters object a list of specs describes: one property per spec, typed by `ParamValueOf`. */
export type ParamsOf<Specs extends readonly ParamSpec[]> = {
  readonly [S in Specs[number] as S["name"]]: ParamValueOf<S>;
};

/** What every plug-in estimator declares; `defineEstimator` fills in what is left out. */
interface EstimatorDefinitionBase<Specs extends readonly ParamSpec[]> {
  /** snake_case id, used verbatim in CSVs; must not be a built-in estimator's. */
  readonly id: string;
  readonly label: string;
  readonly description?: string;
  /** Parameter specs (default none): validation, `--set`, `mrsweep list` and run.json derive from them. */
  readonly params?: Specs;
  /** A value for every parameter. */
  readonly defaults?: ParamsOf<Specs>;
  /** Names of the extras the rows report, in column order (default none). */
  readonly extras?: readonly string[];
  /** Roles read beyond outcome, exposure and instruments. */
  readonly uses?: readonly RoleUse[];
  /** What ci_lower/ci_upper are: a kind, or a function of the parameters (default `asymptotic`). */
  readonly interval?: IntervalKind | ((params: ParamsOf<Specs>) => IntervalKind);
  /** Bytes of the core's arena one fit may use (default: the built-in rule, src/estimators/workspace.ts). */
  workspace?(shape: DataShape, params: ParamsOf<Specs>): number;
}

/** A plug-in estimator of individual-level data, as written (`input` may be left out). */
export interface IndividualDefinition<Specs extends readonly ParamSpec[]> extends EstimatorDefinitionBase<Specs> {
  readonly input?: "individual";
  fit(data: IndividualData, params: ParamsOf<Specs>, ctx: FitContext): EstimateRow;
}

/** A plug-in estimator of per-variant summary statistics, as written. */
export interface SummaryDefinition<Specs extends readonly ParamSpec[]> extends EstimatorDefinitionBase<Specs> {
  readonly input: "summary";
  fit(data: SummaryData, params: ParamsOf<Specs>, ctx: FitContext): EstimateRow;
}

/**
 * An estimator for a plug-in module, with the interface of the built-in ones (src/estimators/types.ts):
 * parameter types are derived from `params` (no `as const` needed), and what is left out gets a
 * default (input individual, no parameters or extras, asymptotic intervals).
 *
 * ```js
 * export const estimators = [defineEstimator({ id: "my_ratio", label: "My ratio", fit: (data) => ... })];
 * ```
 */
export function defineEstimator<const Specs extends readonly ParamSpec[] = readonly []>(
  d: IndividualDefinition<Specs>,
): IndividualEstimator<ParamsOf<Specs>>;
export function defineEstimator<const Specs extends readonly ParamSpec[] = readonly []>(
  d: SummaryDefinition<Specs>,
): SummaryEstimator<ParamsOf<Specs>>;
export function defineEstimator<const Specs extends readonly ParamSpec[]>(
  d: IndividualDefinition<Specs> | SummaryDefinition<Specs>,
): IndividualEstimator<ParamsOf<Specs>> | SummaryEstimator<ParamsOf<Specs>> {
  const interval = d.interval ?? "asymptotic";
  const out = {
    ...d,
    input: d.input ?? "individual",
    description: d.description ?? "",
    params: d.params ?? [],
    defaults: d.defaults ?? {},
    extras: d.extras ?? [],
    interval: typeof interval === "function" ? interval : () => interval,
  };
  return out as unknown as IndividualEstimator<ParamsOf<Specs>> | SummaryEstimator<ParamsOf<Specs>>;
}

/** The `seed` parameter every DGP has: a sweep sets it per task, and it seeds `ctx.rng`. */
export const SEED_SPEC = {
  name: "seed",
  type: "int",
  min: 0,
  help: "random seed (a sweep derives one per task)",
} as const satisfies ParamSpec;

/** A plug-in DGP's parameters: its own, and `seed`. */
export type DgpParamsOf<Specs extends readonly ParamSpec[]> = ParamsOf<Specs> & { readonly seed: number };

/** A plug-in DGP, as written; `defineDgp` adds `seed`, `check` and `width` when left out. */
export interface DgpDefinition<Specs extends readonly ParamSpec[]> {
  /** snake_case id; must not be a built-in DGP's. */
  readonly id: string;
  readonly label: string;
  readonly description?: string;
  /** Parameter specs; `seed` is added when missing. */
  readonly params?: Specs;
  /** A value for every parameter (`seed` defaults to 1). */
  readonly defaults?: ParamsOf<Specs> & { readonly seed?: number };
  /** Checks between parameters (each passed its own spec); throws naming `where` (default none). */
  check?(params: DgpParamsOf<Specs>, where: string): void;
  /** The columns `simulate` gives, in order, without simulating. */
  columns(params: DgpParamsOf<Specs>): readonly string[];
  /** The roles of those columns, without simulating. */
  roles(params: DgpParamsOf<Specs>): Roles;
  /** The rows `simulate` gives, without simulating. */
  rows(params: DgpParamsOf<Specs>): number;
  /** Draws one dataset from `ctx.rng` (seeded with `params.seed`); put arrays in `ctx.alloc`. */
  simulate(params: DgpParamsOf<Specs>, ctx: SimContext): Simulated;
}

/**
 * A DGP for a plug-in module, with the interface of the built-in ones (src/sim/types.ts); parameter
 * types are derived from `params`, and a `seed` parameter is added when it is not declared.
 */
export function defineDgp<const Specs extends readonly ParamSpec[] = readonly []>(
  d: DgpDefinition<Specs>,
): Dgp<DgpParamsOf<Specs>> {
  const params: readonly ParamSpec[] = d.params ?? [];
  const hasSeed = params.some((s) => s.name === "seed");
  return {
    ...d,
    description: d.description ?? "",
    params: hasSeed ? params : [...params, SEED_SPEC],
    defaults: { seed: 1, ...d.defaults } as DgpParamsOf<Specs>,
    check: d.check ?? (() => {}),
    width: (p) => d.columns(p).length,
  };
}
