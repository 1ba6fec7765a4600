import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CORE_CAPACITY_BYTES, checkCoreCapacity } from "../../src/core/capacity.js";
import { createCore } from "../../src/core/load.js";
import { frame } from "../../src/data/frame.js";
import { checkFitCapacity, fit, fitRowLimit } from "../../src/estimators/fit.js";
import { openNumericTable } from "../../src/io/numeric-reader.js";
import { simulate } from "../../src/sim/simulate.js";
import { runCli } from "../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "mrsweep-capacity-"));

describe("checkCoreCapacity: a dataset and its workspace must fit in one core together", () => {
  it("passes at the capacity and refuses 8 bytes over it, naming both sizes", () => {
    const columns = 4;
    const workspace = CORE_CAPACITY_BYTES - 1_000_000 * columns * 8;
    expect(() => checkCoreCapacity("here", { rows: 1_000_000, columns, workspace })).not.toThrow();
    expect(() => checkCoreCapacity("here", { rows: 1_000_000, columns, workspace: workspace + 8, by: "tsls" })).toThrow(
      /^here: the dataset and its fits' workspace must be at most 3\.94 GiB together \(the WASM core addresses 4 GiB, 64 MiB of it kept for itself\); got 3\.94 GiB \(30\.5 MiB of data: 1000000 rows x 4 columns x 8 bytes; 3\.91 GiB of workspace for tsls\)$/,
    );
  });

  it("without a workspace, names the dataset alone", () => {
    expect(() => checkCoreCapacity("simulate", { rows: 1_100_000, columns: 512, workspace: 0 })).toThrow(
      /^simulate: the dataset must be at most 3\.94 GiB \(.*\); got 4\.2 GiB \(1100000 rows x 512 columns x 8 bytes\)$/,
    );
  });
});

describe("too large a dataset is refused before any work", () => {
  it("fit: 1,000,000 rows x 522 columns with tsls_lasso's workspace, before anything reaches the core", () => {
    // Every column is the same 8 MB array: the frame is large only in what fit would copy.
    const shared = new Float64Array(1_000_000);
    const names = ["X", "Y", ...Array.from({ length: 520 }, (_, j) => `G${j}`)];
    const data = frame(names.map((name) => [name, shared] as const));
    const core = createCore();
    const before = core.wasm.mark();
    const roles = { exposure: "X", outcome: "Y", instruments: names.slice(2) };
    expect(() => fit(data, roles, { estimators: ["ols", "tsls_lasso"], core })).toThrow(
      /^fit: the dataset and its fits' workspace must be at most 3\.94 GiB together .*; got 4\.03 GiB \(3\.89 GiB of data: 1000000 rows x 522 columns x 8 bytes; 144 MiB of workspace for tsls_lasso\)$/,
    );
    expect(core.wasm.mark()).toBe(before);
  });

  it("simulate: n = 1,100,000 with L = 500, before drawing", () => {
    expect(() => simulate("study", { n: 1_100_000, L: 500 })).toThrow(
      /^simulate: the dataset must be at most 3\.94 GiB .*; got 4\.2 GiB \(1100000 rows x 512 columns x 8 bytes\)$/,
    );
  });

  it("fit --bfile: sized from the .fam and .bim, before the phenotypes and genotypes are read (no .bed needed)", {
    timeout: 60_000,
  }, () => {
    const prefix = join(dir, "big");
    const people = 600_000;
    writeFileSync(`${prefix}.fam`, Array.from({ length: people }, (_, i) => `F${i} I${i} 0 0 1 -9\n`).join(""));
    writeFileSync(`${prefix}.bim`, Array.from({ length: 1000 }, (_, j) => `1\trs${j}\t0\t${j + 1}\tA\tG\n`).join(""));
    const pheno = join(dir, "pheno.csv");
    writeFileSync(pheno, "FID,IID,X,Y\nF0,I0,1,2\n");
    const r = runCli(["fit", "--bfile", prefix, "--pheno", pheno, "--estimators", "ols"]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim()).toMatch(
      /^mrsweep fit: the dataset and its fits' workspace must be at most 3\.94 GiB together .*; got 4\.51 GiB \(4\.48 GiB of data: 600000 rows x 1002 columns x 8 bytes; 27\.5 MiB of workspace for ols\)$/,
    );
  });
});

describe("fit reading a CSV stops at the most rows the core can take", () => {
  it("fitRowLimit: the last row count that passes checkFitCapacity", () => {
    const width = { columns: 102, instruments: 100 };
    const ids = ["ols", "tsls", "tsls_lasso"];
    const limit = fitRowLimit("fit", width, ids, {});
    expect(() => checkFitCapacity("fit", { ...width, n: limit.rows }, ids, {})).not.toThrow();
    expect(() => checkFitCapacity("fit", { ...width, n: limit.rows + 1 }, ids, {})).toThrow(/at most 3\.94 GiB/);
    expect(limit.refuse(limit.rows + 1).message).toMatch(
      new RegExp(
        `^fit \\(stopped reading at data row ${limit.rows + 1}\\): the dataset and its fits' workspace must be`,
      ),
    );
  });

  it("the numeric reader takes rows up to the limit and refuses the row past it", async () => {
    const file = join(dir, "rows.csv");
    writeFileSync(file, `X,Y\n${Array.from({ length: 6 }, (_, i) => `${i},${2 * i}`).join("\n")}\n`);
    const limit = (rows: number) => ({ rows, refuse: (at: number) => new Error(`refused at row ${at}`) });
    expect((await (await openNumericTable(file)).read(["X", "Y"], { limit: limit(6) })).n).toBe(6);
    await expect((await openNumericTable(file)).read(["X", "Y"], { limit: limit(5) })).rejects.toThrow(
      /^refused at row 6$/,
    );
  });
});
