import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import type { Frame } from "../../src/data/frame.js";
import { fit } from "../../src/estimators/fit.js";
import type { EstimateRow } from "../../src/estimators/types.js";
import { assertClose } from "../helpers/assert-close.js";
import { fixturePath, readFrame } from "../helpers/fixtures.js";

/**
 * kclass (2SLS, LIML, Fuller, a fixed k; with and without controls), the PO(K) baselines and the
 * individual-level MR-Egger against test/fixtures/kclass/make.R: textbook formulas on the full
 * design matrices in base R (ivmodel is not packaged for Debian; the script checks k = 1 against
 * AER::ivreg and LIML against a direct minimisation of the variance ratio). Everything to rtol 1e-10.
 */
type Ref = Record<string, number>;
const expected = JSON.parse(readFileSync(fixturePath("kclass", "expected.json"), "utf8")) as Record<string, Ref>;
const TOL = { rtol: 1e-10, atol: 1e-14 };
const ROLES = { outcome: "Y", exposure: "X", instruments: ["Z0", "Z1", "Z2", "Z3"], environment: "env" };

let data: Frame;
beforeAll(async () => {
  data = await readFrame(fixturePath("kclass", "data.csv"));
});

function one(id: string, params: Record<string, unknown> = {}): EstimateRow {
  const [row] = fit(data, ROLES, { estimators: [id], estimatorParams: { [id]: params } });
  if (!row) throw new Error("no row");
  expect(row.status).toBe("ok");
  return row;
}

function compare(row: EstimateRow, refName: string, keys: readonly string[]): void {
  const ref = expected[refName] as Ref;
  const actual: Record<string, number> = { ...row, ...row.extras } as unknown as Record<string, number>;
  for (const k of keys) assertClose(actual[k] as number, ref[k] as number, TOL, `${refName} ${k}`);
}

const KCLASS = ["estimate", "se", "ci_lower", "ci_upper", "kappa", "kappa_liml", "df"];
const EGGER = ["estimate", "se", "ci_lower", "ci_upper", "intercept", "intercept_se"];

describe("kclass equals the textbook k-class in R", () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ["tsls_none", { kappa: 1 }],
    ["liml_none", { kappa: "liml" }],
    ["fuller1_none", { kappa: "fuller" }],
    ["fuller4_none", { kappa: "fuller", fuller_alpha: 4 }],
    ["k05_none", { kappa: 0.5 }],
    ["tsls_dummies", { kappa: 1, covariates: ["d1", "d2"] }],
    ["liml_dummies", { kappa: "liml", covariates: ["d1", "d2"] }],
    ["fuller1_dummies", { kappa: "fuller", covariates: ["d1", "d2"] }],
    ["liml_covariate", { kappa: "liml", covariates: ["A0"] }],
  ];
  for (const [name, params] of cases)
    it(`${name} ${JSON.stringify(params)}`, () => compare(one("kclass", params), name, KCLASS));
});

describe("the PO(K) baselines and individual-level MR-Egger equal R", () => {
  it("tsls_z_po_k and liml_z_po_k (environment dummies by default, the index as an option)", () => {
    compare(one("tsls_z_po_k"), "tsls_dummies", KCLASS);
    compare(one("liml_z_po_k"), "liml_dummies", KCLASS);
    compare(one("liml_z_po_k", { environment_as: "index" }), "liml_index", KCLASS);
    compare(one("tsls_z"), "tsls_none", KCLASS);
  });

  it("egger_z and egger_z_po_k (MendelianRandomization's SE and normal CI)", () => {
    compare(one("egger_z"), "egger_none", EGGER);
    compare(one("egger_z_po_k"), "egger_dummies", EGGER);
    compare(one("egger_z_po_k", { environment_as: "index" }), "egger_index", EGGER);
  });
});
