import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "mrsweep-deep-mr-cli-"));
/** One CLI process, about 1 s on an idle 2-core machine. */
const SLOW = 120_000;

describe("simulate --dgp deep_mr_sim", () => {
  it(
    "writes the sequences as an ACGT column after the numeric ones, and the truths and roles to the metadata",
    () => {
      const out = join(dir, "dm.csv");
      const args = ["simulate", "--dgp", "deep_mr_sim", "--n-train", "40", "--n-test", "30", "--scenario", "both"];
      const r = runCli([...args, "--seed", "4", "--out", out]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/^simulate: wrote 80 rows x 15 columns to /);
      const lines = readFileSync(out, "utf8").trimEnd().split("\n");
      expect(lines.length).toBe(81);
      expect(lines[0]?.split(",").slice(-2)).toEqual(["conf_b", "sequence"]);
      for (const line of lines.slice(1)) expect(line).toMatch(/,[ACGT]{100}$/);
      const meta = JSON.parse(readFileSync(join(dir, "dm.meta.json"), "utf8"));
      expect(meta.roles.bases).toBe("sequence");
      expect(meta.rows).toBe(80);
      expect(meta.layout).toEqual({ train: 40, copies: 10, test: 30, first_test: 50 });
      expect(meta.truth.test_index.length).toBe(meta.truth.local_ce.length);
      expect([meta.confounder_motif, meta.confounder_prob]).toEqual([true, 0.5]);
    },
    SLOW,
  );
});
