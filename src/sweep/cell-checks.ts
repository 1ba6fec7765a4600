import { checkCoreCapacity } from "../core/capacity.js";
import { described, errors } from "../errors.js";
import { getEstimator } from "../estimators/registry.js";
import { largestWorkspace } from "../estimators/workspace.js";
import type { Dgp } from "../sim/types.js";
import type { EstimatorSpec } from "./config.js";

/** What the per-cell checks need of a configuration being parsed. */
export interface CellPlan {
  /** The fixed DGP parameters as `resolveParams` gives them: every parameter, defaults filled in. */
  readonly resolved: Readonly<Record<string, unknown>>;
  readonly grid: ReadonlyArray<readonly [string, readonly unknown[]]>;
  readonly estimators: readonly EstimatorSpec[];
}

/** The grid's cells as value maps, crossed in axis order (the last axis fastest, as plan.ts does). */
function* cellValues(grid: CellPlan["grid"]): Generator<Record<string, unknown>> {
  const at = grid.map(() => 0);
  for (;;) {
    const values: Record<string, unknown> = {};
    for (let i = 0; i < grid.length; i++) {
      const [name, list] = grid[i] as CellPlan["grid"][number];
      values[name] = list[at[i] as number];
    }
    yield values;
    // Advance like an odometer: the last axis turns first and carries into the one before it.
    let axis = grid.length - 1;
    for (; axis >= 0; axis--) {
      const next = (at[axis] as number) + 1;
      if (next < (grid[axis] as CellPlan["grid"][number])[1].length) {
        at[axis] = next;
        break;
      }
      at[axis] = 0;
    }
    if (axis < 0) return;
  }
}

/** `grid cell n=1000 L=5`, so a message says which cell of the grid is at fault. */
function cellWhere(where: string, values: Record<string, unknown>): string {
  const label = Object.entries(values)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(",") : v}`)
    .join(" ");
  return label ? `${where}: grid cell ${label}` : where;
}

/** Every column an estimator's parameters name (its `strings` parameters: covariates, context) must be one the DGP makes. */
function checkColumns(where: string, dgp: string, columns: readonly string[], estimators: readonly EstimatorSpec[]) {
  estimators.forEach((spec, i) => {
    for (const p of getEstimator(spec.id).params) {
      if (p.type !== "strings") continue;
      for (const name of spec.params[p.name] as readonly string[]) {
        if (!columns.includes(name)) {
          const at = `${where}: estimators[${i}] (${spec.name}) parameter ${p.name}, in the ${dgp} DGP's data`;
          throw errors.missingColumn(at, name, columns);
        }
      }
    }
  });
}

/**
 * An estimator that reads the context role (ctx_*) needs context columns: its own `context`
 * parameter, or the DGP's context role. Without either, every task of the cell would fail.
 */
function checkContext(where: string, dgp: Dgp<object>, p: object, estimators: readonly EstimatorSpec[]): void {
  if ((dgp.roles(p).context ?? []).length > 0) return;
  estimators.forEach((spec, i) => {
    if (!getEstimator(spec.id).uses?.includes("context")) return;
    if (((spec.params.context as readonly string[] | undefined) ?? []).length > 0) return;
    throw errors.invalid(
      `${where}: estimators[${i}] (${spec.name})`,
      "parameter context",
      `at least one column (the ${dgp.id} DGP declares no context role)`,
      described("none"),
    );
  });
}

/**
 * An estimator that partials out the environment (tsls_z_po_k, egger_z_po_k, ...) needs the DGP's
 * environment role. Without it, every task of the cell would fail.
 */
function checkEnvironment(where: string, dgp: Dgp<object>, p: object, estimators: readonly EstimatorSpec[]): void {
  if (dgp.roles(p).environment !== undefined) return;
  estimators.forEach((spec, i) => {
    if (!getEstimator(spec.id).uses?.includes("environment")) return;
    throw errors.invalid(
      `${where}: estimators[${i}] (${spec.name})`,
      "the data's environment role",
      `a column of environment labels (the ${dgp.id} DGP declares none)`,
      described("none"),
    );
  });
}

/** The dataset of one task and the largest workspace of its estimators must fit in one worker's core. */
function checkDatasetSize(where: string, dgp: Dgp<object>, p: object, estimators: readonly EstimatorSpec[]): void {
  const roles = dgp.roles(p);
  const shape = {
    n: dgp.rows(p),
    columns: dgp.width(p),
    instruments: roles.instruments.length,
    twoSample: roles.sample !== undefined,
  };
  const chosen = estimators.map((spec) => ({ name: spec.name, estimator: getEstimator(spec.id), params: spec.params }));
  const workspace = largestWorkspace(shape, chosen);
  checkCoreCapacity(where, { rows: shape.n, columns: shape.columns, workspace: workspace.bytes, by: workspace.by });
}

/**
 * Checks every cell of the grid without simulating: its DGP parameters (alone and together), the
 * columns the estimators name, and the size of its dataset. A grid value that makes one cell
 * invalid is refused here, before the first task, rather than failing every task of that cell.
 */
export function checkCells(where: string, dgp: Dgp<object>, plan: CellPlan): void {
  const namesColumns = plan.estimators.some((spec) =>
    getEstimator(spec.id).params.some(
      (p) => p.type === "strings" && (spec.params[p.name] as readonly string[]).length > 0,
    ),
  );
  // Only estimators without their own context columns read the DGP's role (roles() names every instrument).
  const takesContextRole = plan.estimators.some(
    (spec) =>
      getEstimator(spec.id).uses?.includes("context") &&
      ((spec.params.context as readonly string[] | undefined) ?? []).length === 0,
  );
  const takesEnvironment = plan.estimators.some((spec) => getEstimator(spec.id).uses?.includes("environment"));
  for (const values of cellValues(plan.grid)) {
    const at = cellWhere(where, values);
    // Each grid value passed its own spec already (and the fixed parameters were resolved once).
    const p = { ...plan.resolved, ...values };
    dgp.check(p, at);
    checkDatasetSize(at, dgp, p, plan.estimators);
    if (namesColumns) checkColumns(at, dgp.id, dgp.columns(p), plan.estimators);
    if (takesContextRole) checkContext(at, dgp, p, plan.estimators);
    if (takesEnvironment) checkEnvironment(at, dgp, p, plan.estimators);
  }
}
