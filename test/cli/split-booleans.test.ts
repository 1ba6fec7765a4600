import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeFrame } from "../../src/io/write-table.js";
import { simulate } from "../../src/sim/simulate.js";
import { runCli } from "../helpers/cli.js";

describe("logical columns as R writes them", () => {
  it("--split reads TRUE/FALSE as 1/0: the same fit as the 0/1 file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mrsweep-split-"));
    const sim = simulate("invariance", { E: 2, mixing: "linear", n_train: 120, n_val: 40, seed: 3 });
    const numeric = join(dir, "inv.csv");
    await writeFrame(numeric, sim.data, "test");
    const [head, ...lines] = readFileSync(numeric, "utf8").trimEnd().split("\n");
    const j = (head as string).split(",").indexOf("split");
    const logical = join(dir, "inv-logical.csv");
    const relabel = (l: string) => l.split(",").map((c, k) => (k === j ? (c === "1" ? "TRUE" : "FALSE") : c));
    writeFileSync(logical, `${head}\n${lines.map((l) => relabel(l).join(",")).join("\n")}\n`);
    expect(readFileSync(logical, "utf8")).toMatch(/,TRUE[,\n]/);
    const set = ["epochs=2", "width=8", "lambda1=1", "lambda2=1", "batch_items=20", "decoder_degree=1"];
    const args = (f: string) => [
      "fit",
      f,
      "--instruments",
      "Z*",
      "--estimators",
      "inv_repr",
      "--environment",
      "env",
      "--split",
      "split",
      ...set.flatMap((x) => ["--set", x]),
      "--json",
    ];
    const a = runCli(args(numeric));
    expect(a.code, a.stderr).toBe(0);
    expect(runCli(args(logical)).stdout).toBe(a.stdout);
  }, 60_000); // two CLI processes
});
