import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "vitest";
import { fit } from "../../src/estimators/fit.js";
import { assertClose } from "../helpers/assert-close.js";
import { fixturePath, ROOT, readFrame } from "../helpers/fixtures.js";

/**
 * OLS and 2SLS against R: lm, AER::ivreg (summary with diagnostics) and sandwich::vcovHC(type =
 * "HC1"); fixtures from test/fixtures/regression/make.R. Estimates to rtol 1e-10; standard errors,
 * p-values, F, partial R^2 and Sargan to rtol 1e-8 (the tolerances).
 */
type Case = {
  file: string;
  covariates: string[];
  ols: Record<string, number | null>;
  tsls: Record<string, number | null>;
};
const expected = JSON.parse(readFileSync(fixturePath("regression", "expected.json"), "utf8")) as Record<string, Case>;
const cases = Object.entries(expected).filter(([k]) => k !== "generator");

const EST = { rtol: 1e-10 };
const STAT = { rtol: 1e-8 };

describe("ols and tsls equal R (lm, AER::ivreg, sandwich)", () => {
  for (const [name, c] of cases) {
    it(name, async () => {
      const path = c.file.startsWith("test/") ? join(ROOT, c.file) : fixturePath("regression", c.file);
      const data = await readFrame(path);
      const instruments = data.names.filter((n) => /^G\d+$/.test(n));
      const [o, t] = fit(
        data,
        { outcome: "Y", exposure: "X", instruments },
        { estimators: ["ols", "tsls"], params: { covariates: c.covariates } },
      );
      if (!o || !t) throw new Error("fit must return two rows");
      const check = (label: string, actual: number | undefined, want: number | null | undefined, tol: object) => {
        if (want === null || want === undefined) return;
        assertClose(actual ?? Number.NaN, want, tol, `${name} ${label}`);
      };
      check("ols estimate", o.estimate, c.ols.estimate, EST);
      check("ols se", o.se, c.ols.se, STAT);
      check("ols se_robust", o.extras.se_robust, c.ols.se_robust, STAT);
      check("ols p", o.p_value, c.ols.p_value, STAT);
      check("ols ci_lower", o.ci_lower, c.ols.ci_lower, EST);
      check("ols ci_upper", o.ci_upper, c.ols.ci_upper, EST);
      check("tsls estimate", t.estimate, c.tsls.estimate, EST);
      check("tsls se", t.se, c.tsls.se, STAT);
      check("tsls se_robust", t.extras.se_robust, c.tsls.se_robust, STAT);
      check("tsls p", t.p_value, c.tsls.p_value, STAT);
      check("tsls ci_lower", t.ci_lower, c.tsls.ci_lower, EST);
      check("tsls ci_upper", t.ci_upper, c.tsls.ci_upper, EST);
      check("first_stage_f", t.extras.first_stage_f, c.tsls.first_stage_f, STAT);
      check("first_stage_f_p", t.extras.first_stage_f_p, c.tsls.first_stage_f_p, STAT);
      check("partial_r2", t.extras.partial_r2, c.tsls.partial_r2, STAT);
      check("sargan", t.extras.sargan, c.tsls.sargan, STAT);
      check("sargan_p", t.extras.sargan_p, c.tsls.sargan_p, STAT);
      check("df", t.extras.df, c.tsls.df, { rtol: 0 });
    });
  }
});
