import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fit } from "../../src/estimators/fit.js";
import { simulate } from "../../src/sim/simulate.js";
import { assertClose } from "../helpers/assert-close.js";
import { fixturePath, readFrame } from "../helpers/fixtures.js";

/**
 * tsls_interact against AER::ivreg with the interactions G_j:C_k of the raw context as
 * instruments (test/fixtures/tsls-interact/make.R): every number to rtol 1e-10 (measured: at most
 * 3e-13, for the p-values), degrees of freedom exactly. The estimator standardises C
 * before forming the interactions and R does not: the fitted values are the same, so this also
 * checks that invariance.
 */
type Case = Record<string, number | string[] | null>;
const expected = JSON.parse(readFileSync(fixturePath("tsls-interact", "expected.json"), "utf8")) as Record<
  string,
  unknown
>;
const TOL = { rtol: 1e-10 };

describe("tsls_interact equals AER::ivreg with G x C instruments", () => {
  for (const name of ["all_context", "bmi_and_covariates"]) {
    it(name, async () => {
      const c = expected[name] as Case;
      const data = await readFrame(fixturePath("tsls-interact", expected.file as string));
      const instruments = data.names.filter((v) => /^G\d+$/.test(v));
      const [row] = fit(
        data,
        { outcome: "Y", exposure: "X", instruments },
        { estimators: ["tsls_interact"], params: { context: c.context, covariates: c.covariates } },
      );
      if (!row) throw new Error("fit must return a row");
      expect(row).toMatchObject({ estimator: "tsls_interact", status: "ok", interval: "asymptotic" });
      const check = (label: string, actual: number | undefined, tol: object) =>
        assertClose(actual ?? Number.NaN, c[label] as number, tol, `${name} ${label}`);
      check("estimate", row.estimate, TOL);
      check("ci_lower", row.ci_lower, TOL);
      check("ci_upper", row.ci_upper, TOL);
      check("se", row.se, TOL);
      check("p_value", row.p_value, TOL);
      for (const k of ["se_robust", "first_stage_f", "first_stage_f_p", "partial_r2", "sargan", "sargan_p"])
        check(k, row.extras[k], TOL);
      check("df", row.extras.df, { rtol: 0 });
      check("sargan_df", row.extras.sargan_df, { rtol: 0 });
    });
  }
});

describe("tsls_interact: parameters, statuses and the cross-fitted first stage", () => {
  const sim = simulate("study", { n: 600, L: 4, pi_scale: 0.3, pi_delta: [0, 0, 1, 0, 0, 0, 0, 0, 0, 0], seed: 8 });
  const run = (params: Record<string, unknown>, seed: number | string = 1) =>
    fit(sim.data, sim.roles, { estimators: ["tsls_interact"], estimatorParams: { tsls_interact: params }, seed })[0];

  it("takes the study's context columns by default and reports F of all L (1 + K) excluded instruments", () => {
    const row = run({});
    expect(row?.status).toBe("ok");
    const narrow = run({ context: ["bmi"] });
    expect(narrow?.extras.sargan_df).toBe(4 * 2 - 1);
    expect(row?.extras.sargan_df).toBe(4 * 11 - 1);
  });

  it("refuses a context column the data lacks, and cross_fit below 2", () => {
    expect(() => run({ context: ["bmi", "income"] })).toThrow(
      /^tsls_interact: column "income" must be present; got columns/,
    );
    expect(() => run({ cross_fit: 1 })).toThrow(/^tsls_interact: parameter cross_fit must be an integer >= 2; got 1$/);
  });

  it("reports no_instruments and too_few_rows as statuses", () => {
    const [none] = fit(sim.data, { ...sim.roles, instruments: [] }, { estimators: ["tsls_interact"] });
    expect(none?.status).toBe("no_instruments");
    expect(run({ cross_fit: 400 })?.status).toBe("too_few_rows");
  });

  it("with cross_fit K: one cross-fitted instrument, folds from the fit seed (same seed, same estimate)", () => {
    const a = run({ cross_fit: 5 }, 3);
    expect(a?.status).toBe("ok");
    expect(a?.extras.sargan_df).toBeNaN();
    expect(run({ cross_fit: 5 }, 3)?.estimate).toBe(a?.estimate);
    expect(run({ cross_fit: 5 }, 4)?.estimate).not.toBe(a?.estimate);
    expect(run({})?.estimate).not.toBe(a?.estimate);
  });
});
