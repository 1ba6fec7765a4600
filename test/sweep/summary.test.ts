import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { getEstimator } from "../../src/estimators/registry.js";
import { resolveParams } from "../../src/params.js";
import { readCsv } from "../../src/sweep/outputs.js";
import { intervalsOf } from "../../src/sweep/replicates.js";
import { summarize } from "../../src/sweep/summary.js";
import { assertClose } from "../helpers/assert-close.js";
import { fixturePath } from "../helpers/fixtures.js";

type Expected = Record<string, Record<string, number | string | null>>;

/** The fixture's estimators as a sweep config resolves them; ctx_tsls re-splits (n_bootstraps = 5). */
function spec(id: string, given: Record<string, unknown> = {}) {
  const e = getEstimator(id);
  return { name: id, id, params: resolveParams(id, e.params, e.defaults, given) as Record<string, unknown> };
}
const ESTIMATORS = [spec("ols"), spec("tsls"), spec("tsls_post_lasso"), spec("ctx_tsls", { n_bootstraps: 5 })];

async function fixtureSummary() {
  const table = await readCsv(fixturePath("sweep", "summary-replicates.csv"));
  const [head, ...rows] = summarize(table, ["n"], intervalsOf({ estimators: ESTIMATORS }));
  const get = (cellEstimator: string, k: string) => {
    const row = rows.find((r) => `${r[0]}/${r[2]}` === cellEstimator) as string[];
    return row[(head as string[]).indexOf(k)] as string;
  };
  return { head: head as string[], rows, get };
}

/**
 * summary.csv against numpy (test/fixtures/sweep/make_summary.py, Morris et al. 2019 table 6),
 * on replicates with failed, not_converged and degenerate rows, NA p-values and first-stage Fs,
 * and a cell (c005) whose truth differs by replicate.
 */
describe("summary statistics", () => {
  it("every column equals an independent numpy computation over ok rows only", async () => {
    const expected = JSON.parse(readFileSync(fixturePath("sweep", "summary-expected.json"), "utf8")) as Expected;
    const { head, rows, get } = await fixtureSummary();
    expect(head.slice(0, 4)).toEqual(["cell_id", "n", "estimator", "interval"]);
    expect(rows).toHaveLength(20);
    for (const row of rows) {
      const key = `${row[0]}/${row[2]}`;
      const want = expected[key] as Record<string, number | string | null>;
      // Every column after the lead is checked: a column the reference lacks fails here.
      expect(Object.keys(want).sort()).toEqual(head.slice(3).sort());
      for (const [k, v] of Object.entries(want)) {
        const got = get(key, k);
        if (v === null) expect(got, `${key} ${k}`).toBe("NA");
        else if (typeof v === "string") expect(got, `${key} ${k}`).toBe(v);
        else assertClose(Number(got), v, { rtol: 1e-12, atol: 1e-15 }, `${key} ${k}`);
      }
    }
  });

  it("best uses the replicates where every estimator is ok, not each one's own ok replicates", async () => {
    const { get } = await fixtureSummary();
    // c002: tsls_post_lasso failed on the three replicates where tsls is far off, so over its own
    // ok replicates it has the lowest MSE; on the 26 replicates all four share, tsls is better.
    expect(Number(get("c002/tsls_post_lasso", "mse"))).toBeLessThan(Number(get("c002/tsls", "mse")) / 5);
    expect(["ols", "tsls", "tsls_post_lasso", "ctx_tsls"].map((e) => get(`c002/${e}`, "best"))).toEqual([
      "0",
      "1",
      "0",
      "0",
    ]);
    expect(get("c002/tsls", "n_common")).toBe("26");
    // c003: one common replicate is no comparison.
    expect(get("c003/tsls", "n_common")).toBe("1");
    expect(get("c003/tsls", "best")).toBe("NA");
    // c004: ctx_tsls never converged, so nothing is common (and its measures are NA, not 0).
    expect([get("c004/ctx_tsls", "n_ok"), get("c004/tsls", "n_common"), get("c004/tsls", "best")]).toEqual([
      "0",
      "0",
      "NA",
    ]);
    expect([get("c004/ctx_tsls", "emp_se"), get("c004/ctx_tsls", "mad")]).toEqual(["NA", "NA"]);
  });

  it("a re-split ctx_* spread (n_bootstraps > 1) gets no coverage, n_ci or width; a claimed CI does", async () => {
    const { get } = await fixtureSummary();
    for (const k of ["coverage", "coverage_mcse", "n_ci", "ci_width"]) {
      expect(get("c001/ctx_tsls", k), k).toBe("NA");
      expect(get("c001/tsls_post_lasso", k), k).not.toBe("NA");
    }
    expect(get("c001/ctx_tsls", "interval")).toBe("not_a_confidence_interval");
    expect(get("c001/tsls_post_lasso", "interval")).toBe("ignores_selection");
  });
});
