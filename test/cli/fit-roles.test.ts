import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { frame } from "../../src/data/frame.js";
import { fit } from "../../src/estimators/fit.js";
import { writeFrame } from "../../src/io/write-table.js";
import { simulate } from "../../src/sim/simulate.js";
import { runCli } from "../helpers/cli.js";
import { envData } from "../helpers/env-data.js";

describe("mrsweep fit maps a user's columns to roles", () => {
  it("--sample COL is the sample role of a two-sample file; bad labels are an input error", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mrsweep-roles-"));
    const sim = simulate("study", { n: 300, L: 4, pi_scale: 0.4, two_sample: true, seed: 9 });
    const names = sim.data.names.map((n) => (n === "sample" ? "cohort" : n));
    const data = frame(names.map((n, j) => [n, sim.data.columns[j] as Float64Array, sim.data.integer[j]] as const));
    const file = join(dir, "two.csv");
    await writeFrame(file, data, "test");
    const r = runCli(["fit", file, "--estimators", "ivw,tsls", "--sample", "cohort", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as Array<{ estimate: number }>;
    const expected = fit(sim.data, sim.roles, { estimators: ["ivw", "tsls"] });
    expect(rows.map((x) => x.estimate)).toEqual(expected.map((x) => x.estimate));
    const pooled = runCli(["fit", file, "--estimators", "ivw", "--json"]);
    expect(JSON.parse(pooled.stdout)[0].estimate).not.toBe(rows[0]?.estimate);
    const bad = runCli(["fit", file, "--estimators", "ivw", "--sample", "G0"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/two\.csv: column "G0" \(--sample\) must be 1 or 2 in every row; got 0 at row \d+/);
  }, 60_000); // three CLI processes

  it("--environment COL is the environment role; estimators that read it require it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mrsweep-roles-"));
    const sim = envData("cli-environment", { n: 150, E: 3 });
    const data = frame(
      sim.data.names.map((n, j) => [n === "env" ? "population" : n, sim.data.columns[j] as Float64Array] as const),
    );
    const file = join(dir, "env.csv");
    await writeFrame(file, data, "test");
    const ids = "tsls_z_po_k,egger_z_po_k,oracle_tsls_w";
    const r = runCli([
      "fit",
      file,
      "--instruments",
      "Z*",
      "--estimators",
      ids,
      "--environment",
      "population",
      "--json",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as Array<{ estimate: number }>;
    const expected = fit(sim.data, sim.roles, { estimators: ids.split(",") });
    expect(rows.map((x) => x.estimate)).toEqual(expected.map((x) => x.estimate));
    const missing = runCli(["fit", file, "--instruments", "Z*", "--estimators", "tsls_z,liml_z_po_k"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /^mrsweep fit: --environment must be a column of environment labels for liml_z_po_k; got nothing/,
    );
  }, 60_000); // two CLI processes

  it("--split COL is inv_repr's split role (0 training, 1 validation); required by it, 0 or 1 in every row", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mrsweep-roles-"));
    const sim = simulate("invariance", { E: 2, mixing: "linear", n_train: 120, n_val: 40, seed: 3 });
    const file = join(dir, "inv.csv");
    await writeFrame(file, sim.data, "test");
    const set = ["epochs=2", "width=8", "lambda1=1", "lambda2=1", "batch_items=20", "decoder_degree=1"];
    const base = ["fit", file, "--instruments", "Z*", "--estimators", "inv_repr", "--environment", "env"];
    const r = runCli([...base, "--split", "split", ...set.flatMap((x) => ["--set", x]), "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const params = { epochs: 2, width: 8, lambda1: [1], lambda2: [1], batch_items: 20, decoder_degree: 1 };
    const expected = fit(sim.data, sim.roles, { estimators: ["inv_repr"], params });
    expect((JSON.parse(r.stdout) as Array<{ estimate: number }>)[0]?.estimate).toBe(expected[0]?.estimate);
    const missing = runCli(base);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /^mrsweep fit: --split must be a column of 0 \(training\) and 1 \(validation\) for inv_repr/,
    );
    const bad = runCli([...base, "--split", "V0"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/inv\.csv: column "V0" \(--split\) must be 0 or 1 in every row; got -?[\d.]+ at row 2/);
  }, 60_000); // three CLI processes
});
