import { getCore } from "../core/load.js";
import type { Frame } from "../data/frame.js";
import { getColumn } from "../data/frame.js";
import { described, errors } from "../errors.js";
import { COLLINEAR_TOL, lsq, putCentred } from "../estimators/lsq.js";

/**
 * Checks that a user's data can identify an IV model before anything is fitted: enough rows, no
 * constant exposure, outcome or instrument, and no instrument (or covariate) that is a linear
 * combination of the others. Each failure is an input error that names the column.
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
  core.scoped(() => {
    const cols = exog.map((name) => getColumn(data, name) as Float64Array);
    const z = putCentred(core, cols, n);
    const y = putCentred(core, [getColumn(data, roles.exposure) as Float64Array], n);
    const fit = lsq(core, n, cols.length, z, y);
    if (!fit.ok) {
      const name = exog[fit.column] ?? "?";
      const before = exog.slice(0, fit.column);
      throw errors.invalid(
        file,
        `column ${JSON.stringify(name)}`,
        `linearly independent of ${before.length ? before.join(", ") : "the intercept"} (1 - R^2 > ${COLLINEAR_TOL})`,
        described("a collinear column"),
      );
    }
  });
}
