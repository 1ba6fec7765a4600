import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fit } from "../../src/estimators/fit.js";
import { assertClose } from "../helpers/assert-close.js";
import { fixturePath, readFrame } from "../helpers/fixtures.js";

const STUDY = fixturePath("study");

/** The study's published beta_hat for (n, L, context, method) from its baseline table. */
function published(n: number, L: number, context: boolean, method: string): number {
  const lines = readFileSync(join(STUDY, "baseline-n1000-n3000.tsv"), "utf8").trim().split("\n").slice(1);
  const row = lines
    .map((l) => l.split("\t"))
    .find((f) => f[0] === `${n}` && f[1] === `${L}` && f[2] === (context ? "True" : "False") && f[3] === method);
  if (!row) throw new Error(`no published row for ${n} ${L} ${context} ${method}`);
  return Number(row[4]);
}

describe("the study's own dataset (n = 1000, L = 5, context)", () => {
  it("reproduces its OLS and 2SLS baseline values to 1e-10", async () => {
    const data = await readFrame(join(STUDY, "dataset-n1000-L5-context.csv"));
    const instruments = data.names.filter((name) => name.startsWith("G"));
    expect(instruments).toEqual(["G0", "G1", "G2", "G3", "G4"]);
    const [o, t] = fit(data, { outcome: "Y", exposure: "X", instruments }, { estimators: ["ols", "tsls"] });
    assertClose(o?.estimate ?? Number.NaN, published(1000, 5, true, "OLS"), { atol: 1e-10, rtol: 0 }, "OLS");
    assertClose(t?.estimate ?? Number.NaN, published(1000, 5, true, "2SLS"), { atol: 1e-10, rtol: 0 }, "2SLS");
  });
});
