import type { ParamSpec } from "../params.js";
import { covariateColumns } from "./covariates.js";
import { ENVIRONMENT_AS_PARAM, type EnvironmentAs, environmentControls } from "./environment.js";
import { instrumentColumns, kclassRow } from "./kclass.js";
import { KCLASS_EXTRAS } from "./kclass-core.js";
import type { IndividualEstimator } from "./types.js";

/**
 * The IV baselines and oracles of the invariance design (docs: invariance-mr.md sections 3.1 and
 * 3.2), each the k-class estimator with fixed settings. They pool the environments, include an
 * intercept and drop an instrument in the span of the others (polynomial mixing makes one
 * combination of Z equal 1), so n_instruments is the rank used.
 */

/** Parameters of `tsls_z_po_k` and `liml_z_po_k`. */
export interface PoKParams {
  environment_as: EnvironmentAs;
}

/** 2SLS of Y on X with every observed instrument Z. */
export const tslsZ: IndividualEstimator<Record<string, never>> = {
  id: "tsls_z",
  label: "2SLS(Z)",
  description: "2SLS with all observed instruments Z (collinear ones dropped); invalid when Z is confounded",
  params: [],
  defaults: {},
  input: "individual",
  extras: KCLASS_EXTRAS,
  fit: (data, _p, ctx) =>
    kclassRow("tsls_z", data, instrumentColumns(data), [], { kind: "fixed", value: 1 }, "drop", ctx),
  interval: () => "asymptotic",
};

/** A k-class estimator on Z with the environment partialled out: PO(K). */
function poK(id: string, label: string, liml: boolean): IndividualEstimator<PoKParams> {
  return {
    id,
    label,
    description: `${liml ? "LIML" : "2SLS"} on Z with the environment partialled out of Y, X and Z (exogenous controls)`,
    params: [ENVIRONMENT_AS_PARAM],
    defaults: { environment_as: "dummies" },
    input: "individual",
    extras: KCLASS_EXTRAS,
    uses: ["environment"],
    fit: (data, p, ctx) =>
      kclassRow(
        id,
        data,
        instrumentColumns(data),
        environmentControls(id, data, p.environment_as),
        liml ? { kind: "liml" } : { kind: "fixed", value: 1 },
        "drop",
        ctx,
      ),
    interval: () => "asymptotic",
  };
}

export const tslsZPoK = poK("tsls_z_po_k", "PO(K)-2SLS(Z)", false);
export const limlZPoK = poK("liml_z_po_k", "PO(K)-LIML(Z)", true);

/** Parameters of the oracles. */
export interface OracleParams {
  w_columns: readonly string[];
  /** Only `oracle_tsls_w_po_v` has it. */
  v_columns?: readonly string[];
}

const W_COLUMNS: ParamSpec = {
  name: "w_columns",
  type: "strings",
  help: "the true valid latents W, used as the instruments (default W0, W1: the invariance DGP's truth columns)",
};
const V_COLUMNS: ParamSpec = {
  name: "v_columns",
  type: "strings",
  help: "the true confounded latents V, partialled out of Y, X and W (default V0, V1)",
};

/** 2SLS with the true W as instruments, optionally with the true V partialled out. Simulation only. */
function oracle(id: string, label: string, poV: boolean): IndividualEstimator<OracleParams> {
  return {
    id,
    label,
    description: `oracle: 2SLS with the true latents W as instruments${poV ? ", V partialled out" : ""} (simulation only)`,
    params: poV ? [W_COLUMNS, V_COLUMNS] : [W_COLUMNS],
    defaults: poV ? { w_columns: ["W0", "W1"], v_columns: ["V0", "V1"] } : { w_columns: ["W0", "W1"] },
    input: "individual",
    extras: KCLASS_EXTRAS,
    fit: (data, p, ctx) =>
      kclassRow(
        id,
        data,
        covariateColumns(id, data, p.w_columns),
        covariateColumns(id, data, p.v_columns ?? []),
        { kind: "fixed", value: 1 },
        "drop",
        ctx,
      ),
    interval: () => "asymptotic",
  };
}

export const oracleTslsW = oracle("oracle_tsls_w", "2SLS(W) oracle", false);
export const oracleTslsWPoV = oracle("oracle_tsls_w_po_v", "PO(V)-2SLS(W) oracle", true);
