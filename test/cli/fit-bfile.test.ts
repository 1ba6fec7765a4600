import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

const FIXTURE = join("test", "fixtures", "plink");
const PREFIX = join(FIXTURE, "fixture");
const PHENO = join(FIXTURE, "pheno.csv");
const dir = mkdtempSync(join(tmpdir(), "mrsweep-bfile-"));
const COMPLETE = Array.from({ length: 12 }, (_, j) => `rs${j + 1}`).join(",");

/** The JSON rows of a successful `fit`. */
function fitJson(args: string[]): unknown[] {
  const r = runCli(["fit", ...args, "--json"]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as unknown[];
}

/** Asserts exit code 2 and one line on stderr matching `re`. */
function expectInputError(args: string[], re: RegExp): void {
  const r = runCli(["fit", ...args]);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.trim().split("\n")).toHaveLength(1);
  expect(r.stderr.trim()).toMatch(re);
}

describe("fit --bfile: PLINK genotypes joined with phenotypes give the estimates of the same data in CSV", () => {
  it("ols, tsls, tsls_lasso on the 12 complete variants (data.csv: plink's own allele counts)", {
    timeout: 60_000,
  }, () => {
    const estimators = ["--estimators", "ols,tsls,tsls_lasso"];
    const rows = fitJson(["--bfile", PREFIX, "--pheno", PHENO, "--variants", COMPLETE, ...estimators]);
    expect(rows).toHaveLength(3);
    expect(rows).toEqual(fitJson([join(FIXTURE, "data.csv"), "--instruments", "rs*", ...estimators]));
  });

  it("with a covariate, and variants from a file", { timeout: 60_000 }, () => {
    const list = join(dir, "variants.txt");
    writeFileSync(list, `${COMPLETE.split(",").join("\n")}\n`);
    const args = ["--covariates", "age", "--estimators", "ols,tsls"];
    expect(fitJson(["--bfile", PREFIX, "--pheno", PHENO, "--variants", list, ...args])).toEqual(
      fitJson([join(FIXTURE, "data.csv"), "--instruments", "rs*", ...args]),
    );
  });

  it("--impute-missing mean: rs13's 3 missing genotypes become its mean (data-imputed.csv)", {
    timeout: 60_000,
  }, () => {
    expect(fitJson(["--bfile", PREFIX, "--pheno", PHENO, "--impute-missing", "mean"])).toEqual(
      fitJson([join(FIXTURE, "data-imputed.csv"), "--instruments", "rs*"]),
    );
  });
});

describe("fit --bfile refuses, naming the variant, person or flag", () => {
  it("missing genotypes without --impute-missing", { timeout: 30_000 }, () => {
    expectInputError(
      ["--bfile", PREFIX, "--pheno", PHENO],
      /fixture\.bed: variant "rs13" must be genotyped in every person \(or use --impute-missing mean\); got 3 missing, the first for F9 I18$/,
    );
  });

  it("a person twice in the phenotypes, and a genotyped person without phenotypes", { timeout: 30_000 }, () => {
    const lines = readFileSync(PHENO, "utf8").trimEnd().split("\n");
    const twice = join(dir, "twice.csv");
    writeFileSync(twice, `${[...lines, lines[5]].join("\n")}\n`);
    const [fid, iid] = (lines[5] as string).split(",");
    expectInputError(
      ["--bfile", PREFIX, "--pheno", twice, "--variants", COMPLETE],
      new RegExp(`twice\\.csv: individual "${fid} ${iid}" must be on one row; got rows 6 and 242$`),
    );
    const fewer = join(dir, "fewer.csv");
    writeFileSync(fewer, `${lines.filter((l) => !l.startsWith("F9,I18,")).join("\n")}\n`);
    expectInputError(
      ["--bfile", PREFIX, "--pheno", fewer, "--variants", COMPLETE],
      /fewer\.csv: individual "F9 I18" \(line 18 of .*fixture\.fam\) must be on a row .*; got no row; 1 of 240 people have none$/,
    );
  });

  const refused: Array<[string, string[], RegExp]> = [
    [
      "an unknown variant",
      ["--variants", "rs1,rs99"],
      /fixture\.bim: variant "rs99" \(--variants\) must be listed; got not among its 13 variants$/,
    ],
    ["--instruments", ["--instruments", "G*"], /fit: --instruments must be left out with --bfile .*; got "G\*"$/],
    [
      "an unknown --impute-missing",
      ["--impute-missing", "zero"],
      /fit: --impute-missing must be one of mean; got "zero"$/,
    ],
    ["a data file as well", ["data.csv"], /fit: arguments must be a data file or --bfile, not both; got "data\.csv"$/],
  ];
  for (const [what, extra, re] of refused) {
    it(what, { timeout: 30_000 }, () => {
      expectInputError(["--bfile", PREFIX, "--pheno", PHENO, ...extra], re);
    });
  }

  it("a phenotype table without an IID column", { timeout: 30_000 }, () => {
    const noIid = join(dir, "no-iid.csv");
    writeFileSync(noIid, readFileSync(PHENO, "utf8").replace("FID,IID,", "FID,ID,"));
    expectInputError(
      ["--bfile", PREFIX, "--pheno", noIid],
      /no-iid\.csv: column "IID" must be present; got columns FID, ID, X, Y, age$/,
    );
  });

  it("--pheno without --bfile, and --bfile without --pheno", { timeout: 30_000 }, () => {
    expectInputError(
      [join(FIXTURE, "data.csv"), "--pheno", PHENO],
      /fit: --pheno must be used with --bfile; got no --bfile$/,
    );
    expectInputError(
      ["--bfile", PREFIX],
      /fit: --pheno must be a table of phenotypes by FID and IID with --bfile; got nothing$/,
    );
  });
});
