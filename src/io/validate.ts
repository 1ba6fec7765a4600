import { getCore } from "../core/load.js";
import type { Core } from "../core/memory.js";
import type { Frame } from "../data/frame.js";
import { getColumn } from "../data/frame.js";
import { described, errors } from "../errors.js";
import { implicitDesign } from "../estimators/design.js";
import { COLLINEAR_TOL, factorCentred } from "../estimators/lsq.js";

/**
 * Checks that a user's data can identify an IV model before anything is fitted: enough rows, no
 * constant exposure, outcome or instrument, and no instrument (or covariate) that is a linear
 * combination of the others (the factorisation of tsls's first stage, which reads the columns
 * where they lie in the core, fails on it). Each failure is an input error that names the column.
 */
export function validateDesign(
  file: string,
  data: Frame,
  roles: { outcome: string; exposure: string; instruments: readonly string[]; covariates: readonly string[] },
): void {
  const { n } = data;
  const k = roles.instruments.length + roles.covariates.length;
  if (n < k + 2) {
    throw errors.invalid(file, "the number of data rows", `at least instruments + covariates + 2 = ${k + 2}`, n);
  }
  const exog = [...roles.instruments, ...roles.covariates];
  for (const name of [roles.outcome, roles.exposure, ...exog]) {
    const c = getColumn(data, name) as Float64Array;
    if (c.every((v) => v === c[0])) {
      throw errors.invalid(
        file,
        `column ${JSON.stringify(name)}`,
        "non-constant",
        described(`every value equal to ${c[0]}`),
      );
    }
  }
  const core = getCore();
  const exogenous = exog.map((name) => getColumn(data, name) as Float64Array);
  const stage = core.scoped(factorInPlace, core, exogenous, n);
  if (stage.ok) return;
  const name = exog[stage.column] ?? "?";
  const before = exog.slice(0, stage.column);
  throw errors.invalid(
    file,
    `column ${JSON.stringify(name)}`,
    `linearly independent of ${before.length ? before.join(", ") : "the intercept"} (1 - R^2 > ${COLLINEAR_TOL})`,
    described("a collinear column"),
  );
}

/** The centred design of the columns, read where they lie, factored (or the column that fails it). */
function factorInPlace(core: Core, columns: readonly Float64Array[], n: number) {
  return factorCentred(core, implicitDesign(core, columns, n));
}
