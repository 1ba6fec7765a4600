import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { frame } from "../../src/data/frame.js";
import { fit } from "../../src/estimators/fit.js";
import { writeFrame } from "../../src/io/write-table.js";
import { simulate } from "../../src/sim/simulate.js";
import { runCli } from "../helpers/cli.js";

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
});
