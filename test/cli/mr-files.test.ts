import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { assertClose } from "../helpers/assert-close.js";
import { runCli } from "../helpers/cli.js";
import { expectOneLineError } from "../helpers/cli-errors.js";
import { fixturePath } from "../helpers/fixtures.js";

/**
 * `mrsweep mr` on a TwoSampleMR-style file (test/fixtures/mr-files: mr_keep FALSE rows, two
 * exposure-outcome pairs interleaved, NA and empty cells): per pair, the same numbers as on the
 * cleaned file, and the per-variant tables against the base-R reference.
 */
const HARMONISED = fixturePath("mr-files", "harmonised.csv");
const expected = JSON.parse(readFileSync(fixturePath("mr-files", "expected.json"), "utf8")) as {
  pairs: Record<string, Record<string, unknown>>;
};
const CLEAN: Record<string, string> = { "ieu-a-2": "pair1-clean.csv", "ieu-a-300": "pair2-clean.csv" };
const METHODS = ["ivw", "mr_egger", "weighted_median", "simple_median", "weighted_mode", "simple_mode"];
type Obj = Record<string, unknown>;

/** A CSV written by mrsweep (no quoted commas in these tables) as objects. */
function readCsv(path: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(path, "utf8").trimEnd().split("\n");
  const names = (head as string).split(",");
  return lines.map((l) => Object.fromEntries(l.split(",").map((v, j) => [names[j], v])));
}

describe("mrsweep mr on a TwoSampleMR harmonised file", () => {
  it("gives each pair the same IVW, Egger, median and mode results as its cleaned file", () => {
    const r = runCli(["mr", HARMONISED, "--drop-missing", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as Obj[];
    expect(rows).toHaveLength(2 * METHODS.length);
    for (const [id, file] of Object.entries(CLEAN)) {
      const clean = JSON.parse(runCli(["mr", fixturePath("mr-files", file), "--json"]).stdout) as Obj[];
      const mine = rows.filter((x) => x["id.exposure"] === id);
      expect(mine.map((x) => x.estimator)).toEqual(METHODS);
      expect(mine.every((x) => x["id.outcome"] === "ieu-a-7")).toBe(true);
      for (const [k, x] of mine.entries())
        for (const field of ["estimate", "se", "ci_lower", "ci_upper", "p_value", "status", "n_variants"])
          expect(x[field], `${id} ${x.estimator} ${field}`).toBe(clean[k]?.[field]);
    }
  }, 120_000); // three CLI processes with bootstraps on a loaded 2-core machine

  it("reports each pair, what was dropped and why, and writes the tables that match the R reference", () => {
    const out = mkdtempSync(join(tmpdir(), "mrsweep-mr-files-"));
    const r = runCli(["mr", HARMONISED, "--drop-missing", "--out", out, "--estimators", "ivw,mr_egger"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /ieu-a-2 -> ieu-a-7 \(Body mass index \|\| id:ieu-a-2 -> Coronary heart disease.*\): 12 variants/,
    );
    expect(r.stdout).toMatch(
      /^4 rows dropped: 2 mr_keep FALSE \(rows 6, 19\); 1 missing se\.outcome \(row 12\); 1 missing beta\.exposure \(row 22\)$/m,
    );
    expect(r.stdout).toMatch(/ieu-a-300 -> ieu-a-7 .*: 4 variants/);
    expect(r.stdout).toMatch(
      /MR-Steiger: r² exposure 0\.002443, outcome 2\.05e-4 \(mean n 339224, 184305\): exposure -> outcome, p 5\.88e-34$/m,
    );
    const dropped = readCsv(join(out, "dropped.csv"));
    expect(dropped.filter((d) => d["id.exposure"] === "ieu-a-2")).toHaveLength(4);
    expect(dropped.filter((d) => d["id.exposure"] === "ieu-a-300").map((d) => d.reason)).toEqual(
      expect.arrayContaining(["mr_keep FALSE", "missing beta.outcome", "missing se.exposure"]),
    );
    const single = readCsv(join(out, "single_snp.csv"));
    const loo = readCsv(join(out, "leave_one_out.csv"));
    const direction = readCsv(join(out, "directionality.csv"));
    for (const ref of Object.values(expected.pairs)) {
      const id = ref["id.exposure"];
      const wald = ref.wald as Record<string, number[]>;
      const mine = single.filter((x) => x["id.exposure"] === id);
      expect(mine.map((x) => x.SNP)).toEqual(ref.snps);
      assertClose(
        mine.map((x) => Number(x.estimate)),
        wald.estimate as number[],
        { rtol: 1e-10 },
        "wald",
      );
      const st = ref.steiger as { p_value: number; variant_p: number[] };
      assertClose(
        mine.map((x) => Number(x.steiger_p)),
        st.variant_p,
        { rtol: 1e-8 },
        "variant Steiger p",
      );
      const l = (ref.leave_one_out as Record<string, Record<string, number[]>>).MendelianRandomization;
      const mineLoo = loo.filter((x) => x["id.exposure"] === id);
      assertClose(
        mineLoo.map((x) => Number(x.se)),
        l?.se as number[],
        { rtol: 1e-8 },
        "leave-one-out SE",
      );
      const d = direction.find((x) => x["id.exposure"] === id);
      expect(d?.correct_causal_direction).toBe("TRUE");
      assertClose(Number(d?.steiger_p), st.p_value, { rtol: 1e-8 }, "Steiger p");
    }
    expect(readCsv(join(out, "mr.csv")).map((x) => x.estimator)).toEqual(["ivw", "mr_egger", "ivw", "mr_egger"]);
  }, 60_000);

  it("names the file, column and row of a missing cell without --drop-missing", () => {
    const r = runCli(["mr", HARMONISED]);
    expectOneLineError(
      r,
      2,
      /harmonised\.csv: column "se\.outcome" must hold finite numbers; got 1 non-numeric or non-finite value \(first at row 12: "NA"\); --drop-missing drops such rows and reports them$/,
    );
  }, 60_000);

  it("reads mr_keep as R and other tools write it, refuses anything else, and checks --estimators and --set", () => {
    const dir = mkdtempSync(join(tmpdir(), "mrsweep-mr-keep-"));
    const f = join(dir, "k.csv");
    const rows = ["true", "T", "FALSE", "1", "yes"].map(
      (k, i) => `rs${i},${0.1 + i / 100},0.01,${0.03 + i / 50},0.02,${k}`,
    );
    writeFileSync(f, `SNP,beta.exposure,se.exposure,beta.outcome,se.outcome,mr_keep\n${rows.join("\n")}\n`);
    const ok = runCli(["mr", f, "--estimators", "ivw,simple_mode", "--set", "iterations=50"]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/: 4 variants/);
    expect(ok.stdout).toMatch(/^1 row dropped: 1 mr_keep FALSE \(row 4\)$/m);
    expect(ok.stdout).toMatch(/MR-Steiger: not run \(no column samplesize\.exposure\)/);
    const sized = ["1000", "1000", "NA", "1000", "1000"].map((n, i) => `${rows[i]},${n},2000,0.00${i + 1}`);
    writeFileSync(
      f,
      `SNP,beta.exposure,se.exposure,beta.outcome,se.outcome,mr_keep,samplesize.exposure,samplesize.outcome,rsq.exposure\n${sized.join("\n")}\n`,
    );
    const steiger = runCli(["mr", f, "--estimators", "ivw"]);
    expect(steiger.stdout).toMatch(
      /^MR-Steiger: r² exposure 0\.012, .*\(mean n 1000, 2000\): .*, r² from rsq\.exposure$/m,
    );
    writeFileSync(f, `SNP,beta.exposure,se.exposure,beta.outcome,se.outcome,mr_keep\nrs1,0.1,0.01,0.03,0.02,maybe\n`);
    expectOneLineError(
      runCli(["mr", f]),
      2,
      /k\.csv: column "mr_keep" row 2 must be TRUE or FALSE \(as R writes logicals; also true\/false, T\/F, yes\/no, 1\/0\); got "maybe"$/,
    );
    writeFileSync(
      f,
      `SNP,beta.exposure,se.exposure,beta.outcome,se.outcome,mr_keep\n${rows.join("\n")}\nrs9,0.2,0.01,0.06,0.02,NA\n`,
    );
    expectOneLineError(
      runCli(["mr", f]),
      2,
      /k\.csv: column "mr_keep" row 7 must be TRUE or FALSE .*; --drop-missing drops such rows and reports them; got "NA"$/,
    );
    const dropped = runCli(["mr", f, "--estimators", "ivw", "--drop-missing"]);
    expect(dropped.stdout).toMatch(/^2 rows dropped: 1 mr_keep FALSE \(row 4\); 1 missing mr_keep \(row 7\)$/m);
    expectOneLineError(
      runCli(["mr", f, "--estimators", "ivw,tsls"]),
      2,
      /^mrsweep mr: --estimators entry must be one of ivw, mr_egger, .*simple_mode; got "tsls"$/,
    );
    expectOneLineError(
      runCli(["mr", f, "--estimators", "ivw", "--set", "phi=2"]),
      2,
      /^mrsweep mr: --set parameter of ivw must be one of model, convention, covariates; got "phi"$/,
    );
  }, 120_000);
});
