import { described, errors } from "../errors.js";
import type { ParamSpec } from "../params.js";
import { failedRow } from "./inference.js";
import { environmentCodes, invariantSubspace, type KRule, project, type Subspace } from "./inv-subspace.js";
import { latentR2 } from "./latent-r2.js";
import { tsls } from "./tsls.js";
import type { EstimateRow, FitContext, IndividualData, IndividualEstimator } from "./types.js";

/**
 * `inv_linear`: stationary subspace analysis of the instruments across environments
 * (invariance-mr.md 3.3), then 2SLS with the invariant components W_hat as instruments. Under
 * linear mixing Z = [V, W] A with W's law the same in every environment, span(W_hat) = span(W).
 * Under polynomial mixing of degree p >= 2 it does not: M also counts the shifts of a direction's
 * covariances with the V.W monomials (cov(W_j, V_i W_l) moves with E[V_i]), so the only invariant
 * directions are the p + 1 degree-p polynomials of W orthogonal to the lower degrees, which are
 * uncorrelated with X (test/estimators/inv-linear-poly.test.ts).
 */

const ID = "inv_linear";

/** Parameters of `inv_linear`. */
export interface InvLinearParams {
  k_rule: KRule;
  oracle_k: number;
  permutations: number;
  second_stage: "tsls_w" | "tsls_w_po_v";
  pop_control: "none" | "dummies";
}

const EXTRAS = [
  "k",
  "rank",
  "eig_k",
  "eig_k1",
  "eig_min",
  "eig_max",
  "selection_score",
  "first_stage_f",
  "partial_r2",
  "se_robust",
  "df",
  "latent_r2_w",
  "latent_r2_v",
] as const;

const PARAMS: readonly ParamSpec[] = [
  {
    name: "k_rule",
    type: "choice",
    choices: ["gap", "perm", "oracle"],
    help: "how many invariant directions to keep: the largest log-eigenvalue gap, a label-permutation threshold, or oracle_k",
  },
  {
    name: "oracle_k",
    type: "int",
    min: 1,
    help: "k under k_rule oracle: d_W (2) for linear mixing; for polynomial degree p the doc's C(d_W + p, p) - 1 (2, 5, 9) W-only monomials, though only p + 1 directions are invariant there (degree-p W polynomials, uncorrelated with W for p >= 2)",
  },
  { name: "permutations", type: "int", min: 20, help: "environment-label permutations under k_rule perm" },
  {
    name: "second_stage",
    type: "choice",
    choices: ["tsls_w", "tsls_w_po_v"],
    help: "2SLS on W_hat, or with the non-invariant components V_hat partialled out (as controls in both stages)",
  },
  {
    name: "pop_control",
    type: "choice",
    choices: ["none", "dummies"],
    help: "environment indicators (E - 1) as controls in both stages of the second stage",
  },
];

/** The environment codes of the data; refused when the role is absent or has one level. */
function environments(data: IndividualData) {
  if (!data.environment) {
    throw errors.missing(ID, "the data's environment role", "a column of environment labels");
  }
  const env = environmentCodes(data.environment);
  if (env.levels.length < 2) {
    throw errors.invalid(
      ID,
      "the data's environment role",
      "at least 2 distinct labels",
      described(`${env.levels.length} label`),
    );
  }
  return env;
}

/** Named columns for the second stage's controls: V_hat (po_v) and environment dummies. */
function controls(
  data: IndividualData,
  params: InvLinearParams,
  vhat: Float64Array[],
  codes: Int32Array,
  levels: number,
) {
  const columns = new Map(data.columns);
  const names: string[] = [];
  const add = (name: string, col: Float64Array) => {
    columns.set(name, col);
    names.push(name);
  };
  if (params.second_stage === "tsls_w_po_v") {
    for (let j = 0; j < vhat.length; j++) add(`.inv_linear_vhat${j}`, vhat[j] as Float64Array);
  }
  if (params.pop_control === "dummies") {
    for (let e = 1; e < levels; e++)
      add(
        `.inv_linear_env${e}`,
        Float64Array.from(codes, (c) => (c === e ? 1 : 0)),
      );
  }
  return { columns, names };
}

/** Eigenvalue and selection extras of a subspace. */
function subspaceExtras(s: Subspace): Record<string, number> {
  const ev = s.eigenvalues;
  return {
    k: s.k,
    rank: s.rank,
    eig_k: ev[s.k - 1] as number,
    eig_k1: s.k < s.rank ? (ev[s.k] as number) : Number.NaN,
    eig_min: ev[0] as number,
    eig_max: ev[s.rank - 1] as number,
    selection_score: s.score,
  };
}

function fitInvLinear(data: IndividualData, params: InvLinearParams, ctx: FitContext): EstimateRow {
  const { core } = ctx;
  const { codes, levels } = environments(data);
  const z = data.instruments;
  if (z.cols === 0) return failedRow(ID, "no_instruments", EXTRAS);
  const opt = {
    rule: params.k_rule,
    oracleK: params.oracle_k,
    permutations: params.permutations,
    seed: `${ctx.seed}:${ID}`,
  };
  const s = core.scoped(invariantSubspace, core, z, codes, levels.length, opt);
  if (!s.ok) return failedRow(ID, s.reason, EXTRAS);
  const what = project(core, z, s.basisW);
  const vhat = project(core, z, s.basisV);
  const { columns, names } = controls(data, params, vhat, codes, levels.length);
  const instruments = { rows: data.n, cols: s.k, data: new Float64Array(data.n * s.k) };
  for (let j = 0; j < s.k; j++) instruments.data.set(what[j] as Float64Array, j * data.n);
  const second = { ...data, instruments, instrumentNames: what.map((_, j) => `W_hat${j}`), columns };
  const row = tsls.fit(second, { covariates: names }, ctx);
  const x = row.extras;
  return {
    ...row,
    estimator: ID,
    extras: {
      ...subspaceExtras(s),
      first_stage_f: x.first_stage_f as number,
      partial_r2: x.partial_r2 as number,
      se_robust: x.se_robust as number,
      df: x.df as number,
      latent_r2_w: latentR2(core, data, what, codes, levels.length, "W"),
      latent_r2_v: latentR2(core, data, vhat, codes, levels.length, "V"),
    },
  };
}

/** Linear invariance by stationary subspace analysis, then 2SLS on the invariant components. */
export const invLinear: IndividualEstimator<InvLinearParams> = {
  id: ID,
  label: "Invariant-subspace 2SLS",
  description:
    "stationary subspace analysis of the instruments across environments (whitening, mean and covariance shifts, eigendecomposition), then 2SLS with the invariant components",
  params: PARAMS,
  defaults: { k_rule: "gap", oracle_k: 2, permutations: 200, second_stage: "tsls_w", pop_control: "none" },
  input: "individual",
  uses: ["environment"],
  extras: EXTRAS,
  fit: fitInvLinear,
  // The instruments W_hat and their number k are chosen from the same data, and the t interval
  // treats them as given.
  interval: () => "ignores_selection",
};
