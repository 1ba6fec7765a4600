import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { getCore } from "../../src/core/load.js";
import { fromColumns, type Matrix } from "../../src/core/matrix.js";
import { getColumn } from "../../src/data/frame.js";
import { fit } from "../../src/estimators/fit.js";
import { alphaGrid, kfoldBounds, lassoCv, lassoFit } from "../../src/estimators/lasso-cv.js";
import { assertClose } from "../helpers/assert-close.js";
import { fixturePath, ROOT, readFrame } from "../helpers/fixtures.js";

/**
 * LassoCV against scikit-learn 1.2.1 (test/fixtures/lasso/make.py): the same chosen alpha (same
 * grid index) and coefficients to rtol 1e-8, on raw genotypes and on the study's standardised
 * recipe; 2SLS-LASSO and post-LASSO estimates to 1e-9.
 */
type Fit = {
  alpha_: number;
  alpha_index: number;
  coef_: number[];
  intercept_: number;
  alphas_: number[];
  mse_mean: number[];
  n_iter_: number;
  dual_gap_: number;
};
type Case = {
  file: string;
  n: number;
  G_columns: string[];
  raw: Fit;
  standardized: Fit & { tsls_lasso: number; n_selected: number };
  post_lasso: { selected: string[]; estimate: number } | null;
  single_alpha: { alpha: number; coef_: number[]; intercept_: number; n_iter_: number };
};
const expected = JSON.parse(readFileSync(fixturePath("lasso", "expected.json"), "utf8")) as Record<string, Case>;
const cases = Object.entries(expected).filter(([k]) => k !== "generator");
const core = getCore();

async function load(c: Case): Promise<{ g: Matrix; x: Float64Array; data: Awaited<ReturnType<typeof readFrame>> }> {
  const data = await readFrame(join(ROOT, c.file));
  const g = fromColumns(c.G_columns.map((k) => getColumn(data, k) as Float64Array));
  return { g, x: getColumn(data, "X") as Float64Array, data };
}

describe("folds and alpha grid", () => {
  it("KFold(5): contiguous blocks, the first n mod 5 one row larger", () => {
    expect(kfoldBounds(12, 5)).toEqual([
      [0, 3],
      [3, 6],
      [6, 8],
      [8, 10],
      [10, 12],
    ]);
  });

  it("descending log grid from alpha_max to eps alpha_max", () => {
    const a = alphaGrid(2, 1e-3, 100);
    expect(a[0]).toBe(2);
    assertClose(a[99] as number, 2e-3, { rtol: 1e-15 }, "smallest alpha");
    for (let i = 1; i < 100; i++) expect(a[i] as number).toBeLessThan(a[i - 1] as number);
  });
});

describe("LassoCV equals scikit-learn", () => {
  for (const [name, c] of cases) {
    it(`${name} (n = ${c.n}, L = ${c.G_columns.length}): raw genotypes`, async () => {
      const { g, x } = await load(c);
      const cv = lassoCv(core, g, x);
      assertClose(cv.alphas, c.raw.alphas_, { rtol: 1e-13 }, `${name} alpha grid`);
      assertClose(cv.meanMse, c.raw.mse_mean, { rtol: 1e-10 }, `${name} mean CV MSE`);
      expect(cv.alphas.indexOf(cv.alpha)).toBe(c.raw.alpha_index);
      assertClose(cv.coef, c.raw.coef_, { rtol: 1e-8, atol: 1e-12 }, `${name} coef`);
      assertClose(cv.intercept, c.raw.intercept_, { rtol: 1e-8 }, `${name} intercept`);
      expect(cv.nIter).toBe(c.raw.n_iter_);
      assertClose(cv.gap / c.n, c.raw.dual_gap_, { rtol: 1e-3, atol: 1e-15 }, `${name} dual gap`);
      expect(cv.converged).toBe(true);
    });

    it(`${name}: one penalty, plain coordinate descent (Lasso(alpha, precompute=False))`, async () => {
      const { g, x } = await load(c);
      const one = lassoFit(core, g, x, c.single_alpha.alpha);
      assertClose(one.coef, c.single_alpha.coef_, { rtol: 1e-8, atol: 1e-12 }, `${name} coef`);
      assertClose(one.intercept, c.single_alpha.intercept_, { rtol: 1e-8 }, `${name} intercept`);
      expect(one.nIter).toBe(c.single_alpha.n_iter_);
    });

    it(`${name}: the study's recipe (standardised G) gives sklearn's alpha, coefficients, 2SLS-LASSO and post-LASSO`, async () => {
      const { data } = await load(c);
      const [shrunk, post] = fit(
        data,
        { outcome: "Y", exposure: "X", instruments: c.G_columns },
        { estimators: ["tsls_lasso", "tsls_post_lasso"] },
      );
      if (!shrunk || !post) throw new Error("two rows expected");
      assertClose(shrunk.extras.alpha as number, c.standardized.alpha_, { rtol: 1e-13 }, `${name} alpha`);
      expect(shrunk.extras.n_selected).toBe(c.standardized.n_selected);
      assertClose(shrunk.estimate, c.standardized.tsls_lasso, { rtol: 1e-9 }, `${name} 2SLS-LASSO`);
      if (c.post_lasso) assertClose(post.estimate, c.post_lasso.estimate, { rtol: 1e-9 }, `${name} post-LASSO`);
      expect(post.extras.n_selected).toBe(c.post_lasso?.selected.length ?? 0);
    });
  }
});

describe("the study's own dataset", () => {
  it("reproduces its published 2SLS-LASSO value (n = 1000, L = 5, context) to 1e-9", async () => {
    const c = expected.study_n1000_L5_context as Case & { published_tsls_lasso: number };
    const { data } = await load(c);
    const [row] = fit(data, { outcome: "Y", exposure: "X", instruments: c.G_columns }, { estimators: ["tsls_lasso"] });
    assertClose(row?.estimate as number, 0.36453749853012, { atol: 1e-9, rtol: 0 }, "2SLS-LASSO");
    expect(c.published_tsls_lasso).toBe(0.36453749853012);
  });
});

describe("options and edge cases", () => {
  it("shuffled folds are reproducible from the seed and differ from contiguous folds", async () => {
    const c = expected.sparse as Case;
    const { g, x } = await load(c);
    const a = lassoCv(core, g, x, { shuffleSeed: "s1" });
    const b = lassoCv(core, g, x, { shuffleSeed: "s1" });
    const plain = lassoCv(core, g, x);
    expect(Array.from(a.meanMse)).toEqual(Array.from(b.meanMse));
    expect(Array.from(a.meanMse)).not.toEqual(Array.from(plain.meanMse));
    // the refit uses all rows, so a shuffled CV that picks the same alpha gives the same fit
    if (a.alpha === plain.alpha) assertClose(a.coef, plain.coef, { rtol: 1e-12, atol: 1e-15 }, "refit");
  });

  it("selects nothing when the instruments carry no information: no_instruments, NaN", () => {
    const n = 50;
    const g: Matrix = { rows: n, cols: 2, data: new Float64Array(2 * n).fill(1) };
    const data = {
      n,
      names: ["Y", "X", "G0", "G1"],
      columns: [
        Float64Array.from({ length: n }, (_, i) => i % 7),
        Float64Array.from({ length: n }, (_, i) => i % 5),
        g.data.subarray(0, n),
        g.data.subarray(n),
      ],
      integer: [false, false, true, true],
    };
    for (const id of ["tsls_lasso", "tsls_post_lasso"]) {
      const [row] = fit(data, { outcome: "Y", exposure: "X", instruments: ["G0", "G1"] }, { estimators: [id] });
      expect(row).toMatchObject({ estimator: id, status: "no_instruments" });
      expect(row?.estimate).toBeNaN();
      expect(row?.extras.n_selected).toBe(0);
    }
  });
});
