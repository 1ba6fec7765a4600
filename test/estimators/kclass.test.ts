import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type Frame, frame } from "../../src/data/frame.js";
import type { Roles } from "../../src/data/roles.js";
import { fit } from "../../src/estimators/fit.js";
import { smallestGeneralizedRoot } from "../../src/estimators/kclass-core.js";
import type { EstimateRow } from "../../src/estimators/types.js";
import { assertClose } from "../helpers/assert-close.js";
import { envData } from "../helpers/env-data.js";
import { fixturePath, readFrame } from "../helpers/fixtures.js";

/** Exact properties of kclass and the invariance IV estimators on data made here or R's regression fixtures. */

function one(data: Frame, roles: Roles, id: string, params: Record<string, unknown> = {}): EstimateRow {
  const [row] = fit(data, roles, { estimators: [id], estimatorParams: { [id]: params } });
  if (!row) throw new Error("no row");
  return row;
}

// Not the p-value: at 1e-100 its relative error magnifies the estimate's rounding by |t|^2.
const NUMBERS = ["estimate", "se", "ci_lower", "ci_upper"] as const;
function expectSame(a: EstimateRow, b: EstimateRow, rtol: number, label: string): void {
  for (const k of NUMBERS) assertClose(a[k], b[k], { rtol }, `${label} ${k}`);
}

/** `data` with extra columns appended. */
function withColumns(data: Frame, extra: ReadonlyArray<readonly [string, Float64Array]>): Frame {
  return frame([...data.names.map((n, j) => [n, data.columns[j] as Float64Array] as const), ...extra]);
}

describe("kclass with k = 1 is tsls", () => {
  const cases = JSON.parse(readFileSync(fixturePath("regression", "expected.json"), "utf8")) as Record<
    string,
    { file: string; covariates: string[] }
  >;
  for (const name of ["basic", "covariates", "weak", "heteroskedastic", "large"]) {
    it(`${name}: estimate, SE, CI and first-stage F to 1e-12`, async () => {
      const c = cases[name] as { file: string; covariates: string[] };
      const data = await readFrame(fixturePath("regression", c.file));
      const roles = { outcome: "Y", exposure: "X", instruments: data.names.filter((n) => /^G\d+$/.test(n)) };
      const t = one(data, roles, "tsls", { covariates: c.covariates });
      const k = one(data, roles, "kclass", { kappa: 1, covariates: c.covariates });
      expect(k.status).toBe("ok");
      expectSame(k, t, 1e-12, name);
      assertClose(k.extras.first_stage_f as number, t.extras.first_stage_f as number, { rtol: 1e-12 }, "F");
      expect(k.extras.df).toBe(t.extras.df);
      if (c.covariates.length === 0) expectSame(one(data, roles, "tsls_z"), t, 1e-12, `${name} tsls_z`);
    });
  }
});

describe("kclass: k, LIML and Fuller", () => {
  const { data, roles } = envData("kclass-exact", { n: 300 });

  it("k_LIML >= 1, Fuller(a) = k_LIML - a / (n - K), and LIML equals 2SLS when exactly identified", () => {
    const liml = one(data, roles, "kclass");
    const kl = liml.extras.kappa_liml as number;
    expect(kl).toBeGreaterThan(1);
    const f = one(data, roles, "kclass", { kappa: "fuller", fuller_alpha: 2 });
    assertClose(f.extras.kappa as number, kl - 2 / (600 - 5), { rtol: 1e-15 }, "fuller k");
    const just = { ...roles, instruments: ["Z0"] };
    const l1 = one(data, just, "kclass");
    assertClose(l1.extras.kappa_liml as number, 1, { rtol: 1e-12 }, "k_LIML just identified");
    expectSame(l1, one(data, just, "kclass", { kappa: 1 }), 1e-9, "LIML = 2SLS");
  });

  it("the closed-form smallest root solves det(A - k B) = 0", () => {
    const k = smallestGeneralizedRoot(5, 2, 3, 1, 0.5, 2);
    expect(Math.abs((5 - k) * (3 - 2 * k) - (2 - 0.5 * k) ** 2)).toBeLessThan(1e-12);
    const other = (5 * 2 + 3 * 1 - 2 * 2 * 0.5) / (1 * 2 - 0.25) - k;
    expect(other).toBeGreaterThan(k);
  });

  it("kappa is a choice or a number >= 0; anything else is an input error", () => {
    expect(one(data, roles, "kclass", { kappa: 0 }).estimate).toBeCloseTo(one(data, roles, "ols").estimate, 12);
    expect(() => one(data, roles, "kclass", { kappa: "limll" })).toThrow(
      /^kclass: parameter kappa must be one of liml, fuller or a finite number >= 0; got "limll"$/,
    );
    expect(() => one(data, roles, "kclass", { kappa: -1 })).toThrow(/kappa must be a finite number >= 0; got -1/);
  });
});

describe("tsls_z: collinear instruments dropped; invariant to linear mixing", () => {
  const mixing = [0.3, -1.2, 0.8, 0.1, 1.1, 0.4, -0.2, 0.9, -0.5, 0.7, 1.3, -0.4, 0.6, 0.2, -0.9, 1.5];
  const plain = envData("kclass-mix", { n: 250 });
  const mixed = envData("kclass-mix", { n: 250, mixing });

  it("the same estimate for Z = U and Z = U B with an invertible B (same span), to 1e-10", () => {
    const a = one(plain.data, plain.roles, "tsls_z");
    const b = one(mixed.data, mixed.roles, "tsls_z");
    expectSame(b, a, 1e-10, "mixed");
    expectSame(one(mixed.data, mixed.roles, "liml_z_po_k"), one(plain.data, plain.roles, "liml_z_po_k"), 1e-10, "po");
  });

  it("a constant-plus-combination column (polynomial mixing's constant monomial) changes nothing", () => {
    const z = (k: number) => plain.data.columns[plain.data.names.indexOf(`Z${k}`)] as Float64Array;
    const dep = Float64Array.from(z(0), (v, i) => 1 + 0.5 * v - 2 * (z(2)[i] as number));
    const data = withColumns(plain.data, [["Zc", dep]]);
    const roles = { ...plain.roles, instruments: ["Z0", "Zc", "Z1", "Z2", "Z3"] };
    const dropped = one(data, roles, "tsls_z");
    expect(dropped.extras.n_instruments).toBe(4);
    expectSame(dropped, one(plain.data, plain.roles, "tsls_z"), 1e-10, "drop");
    expect(one(data, roles, "kclass", { kappa: 1 }).status).toBe("collinear");
    expect(one(data, roles, "kclass", { kappa: 1, collinear: "drop" }).extras.n_instruments).toBe(4);
  });
});

describe("environment controls and oracles", () => {
  const { data, roles } = envData("kclass-env", { n: 200, E: 3 });

  it("PO(K) with dummies equals kclass with the dummy columns as covariates; index uses the label", () => {
    const env = data.columns[data.names.indexOf("env")] as Float64Array;
    const d = (e: number) => Float64Array.from(env, (v) => (v === e ? 1 : 0));
    const aug = withColumns(data, [
      ["d1", d(1)],
      ["d2", d(2)],
    ]);
    const po = one(aug, roles, "tsls_z_po_k");
    expect(po.extras.n_controls).toBe(2);
    expectSame(po, one(aug, roles, "kclass", { kappa: 1, covariates: ["d1", "d2"] }), 1e-12, "dummies");
    const idx = one(aug, roles, "liml_z_po_k", { environment_as: "index" });
    expectSame(idx, one(aug, roles, "kclass", { covariates: ["env"] }), 1e-12, "index");
    const eg = one(aug, roles, "egger_z_po_k");
    const [mr] = fit(aug, roles, { estimators: ["mr_egger"], params: { covariates: ["d1", "d2"] } });
    expectSame(eg, mr as EstimateRow, 0, "egger_z_po_k = mr_egger adjusted");
    expectSame(one(aug, roles, "egger_z"), one(aug, roles, "mr_egger"), 0, "egger_z = mr_egger");
  });

  it("an instrument in the span of the controls is dropped, not kept as rounding noise", () => {
    const env = data.columns[data.names.indexOf("env")] as Float64Array;
    // A function of the environment: in the span of [1, dummies], not of [1, index].
    const level = [0.1, 2.3, -0.7];
    const aug = withColumns(data, [["Zenv", Float64Array.from(env, (v) => level[v] as number)]]);
    const more = { ...roles, instruments: ["Z0", "Z1", "Zenv", "Z2", "Z3"] };
    const po = one(aug, more, "tsls_z_po_k");
    expect(po.extras.n_instruments).toBe(4);
    expectSame(po, one(aug, roles, "tsls_z_po_k"), 1e-10, "in span");
    expect(one(aug, more, "tsls_z_po_k", { environment_as: "index" }).extras.n_instruments).toBe(5);
  });

  it("the PO(K) estimators refuse data without an environment role", () => {
    const { environment: _, ...noEnv } = roles;
    for (const id of ["tsls_z_po_k", "liml_z_po_k", "egger_z_po_k"])
      expect(() => one(data, noEnv, id)).toThrow(
        new RegExp(`^${id}: the data's environment role must be a column of environment labels; got none$`),
      );
  });

  it("the oracles read W (and V) by name: the defaults, other names, and a missing column", () => {
    const w = one(data, { ...roles, instruments: ["W0", "W1"] }, "tsls");
    expectSame(one(data, roles, "oracle_tsls_w"), w, 1e-12, "oracle = tsls(W)");
    const wv = one(data, { ...roles, instruments: ["W0", "W1"] }, "tsls", { covariates: ["V0", "V1"] });
    expectSame(one(data, roles, "oracle_tsls_w_po_v"), wv, 1e-12, "po_v");
    const renamed = withColumns(data, [["latent_w", data.columns[data.names.indexOf("W0")] as Float64Array]]);
    const single = one(renamed, roles, "oracle_tsls_w", { w_columns: ["latent_w"] });
    expect(single.extras.n_instruments).toBe(1);
    expect(() => one(data, roles, "oracle_tsls_w", { w_columns: ["Wx"] })).toThrow(
      /^oracle_tsls_w: column "Wx" must be present/,
    );
  });
});
