import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "mrsweep-bad-"));

/** Writes a small CSV: Y, X, G0..G2 with `rows` rows, then applies `edit` to the text lines. */
function csv(name: string, rows = 12, edit: (lines: string[]) => string[] = (l) => l): string {
  const lines = ["Y,X,G0,G1,G2,age"];
  for (let i = 0; i < rows; i++) {
    lines.push(
      [(i * 0.37) % 1.3, (i * 0.71) % 1.1, i % 3, Math.floor(i / 2) % 3, Math.floor(i / 4) % 3, 20 + i].join(","),
    );
  }
  const path = join(dir, name);
  writeFileSync(path, `${edit(lines).join("\n")}\n`);
  return path;
}

/** Asserts exit code 2, one line on stderr matching `re`, no stack trace and nothing on stdout. */
function expectInputError(args: string[], re: RegExp): void {
  const r = runCli(args);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toMatch(re);
  expect(r.stderr.trim().split("\n")).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stdout).toBe("");
}

describe("fit: bad input gives one line, exit code 2", () => {
  it("accepts the good file (control)", () => {
    const r = runCli(["fit", csv("good.csv"), "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(2);
  });

  it("missing file", () => {
    expectInputError(
      ["fit", join(dir, "nope.csv")],
      /^mrsweep fit: file ".*nope\.csv" must exist and be readable; got ENOENT/,
    );
  });

  it("missing column", () => {
    expectInputError(
      ["fit", csv("a.csv"), "--exposure", "BMI"],
      /a\.csv: column "BMI" must be present; got columns Y, X, G0/,
    );
  });

  it("non-numeric cell, with its row", () => {
    const f = csv("b.csv", 12, (l) => l.map((s, i) => (i === 5 ? s.replace(/^[^,]*/, '"1,5"') : s)));
    expectInputError(
      ["fit", f],
      /b\.csv: column "Y" must hold finite numbers; got 1 non-numeric or non-finite value \(first at row 6: "1,5"\)/,
    );
  });

  it("empty cell", () => {
    const f = csv("c.csv", 12, (l) => l.map((s, i) => (i === 3 ? s.replace(/,[^,]*$/, ",") : s)));
    expectInputError(
      ["fit", f, "--covariates", "age"],
      /c\.csv: column "age" must hold finite numbers; got 1 empty value \(first at row 4: ""\)/,
    );
  });

  it("NaN and Inf cells, counted", () => {
    const f = csv("d.csv", 12, (l) =>
      l.map((s, i) =>
        i === 2 ? s.replace(/^[^,]*,[^,]*/, "1,NaN") : i === 9 ? s.replace(/^[^,]*,[^,]*/, "1,Infinity") : s,
      ),
    );
    expectInputError(
      ["fit", f],
      /d\.csv: column "X" must hold finite numbers; got 2 non-numeric or non-finite values \(first at row 3: "NaN"\)/,
    );
  });

  it("ragged row", () => {
    const f = csv("e.csv", 12, (l) => l.map((s, i) => (i === 7 ? `${s},9` : s)));
    expectInputError(["fit", f], /e\.csv: row 8 must be 6 fields like the header; got 7 fields/);
  });

  it("fewer rows than instruments + 2", () => {
    expectInputError(
      ["fit", csv("f.csv", 4)],
      /f\.csv: the number of data rows must be at least instruments \+ covariates \+ 2 = 5; got 4/,
    );
  });

  it("constant instrument", () => {
    const f = csv("g.csv", 12, (l) => l.map((s, i) => (i === 0 ? s : s.replace(/^([^,]*,[^,]*,[^,]*,)[^,]*/, "$11"))));
    expectInputError(["fit", f], /g\.csv: column "G1" must be non-constant; got every value equal to 1/);
  });

  it("collinear instruments are reported, not dropped", () => {
    const f = csv("h.csv", 12, (l) =>
      l.map((s, i) => {
        if (i === 0) return s;
        const c = s.split(",");
        c[4] = String(Number(c[2]) + 2 * Number(c[3]));
        return c.join(",");
      }),
    );
    expectInputError(
      ["fit", f],
      /h\.csv: column "G2" must be linearly independent of G0, G1 .*; got a collinear column/,
    );
  });

  it("unknown estimator", () => {
    expectInputError(
      ["fit", csv("i.csv"), "--estimators", "ols,liml"],
      /fit: --estimators entry must be one of ols, tsls, tsls_lasso, .*; got "liml"/,
    );
  });

  it("instrument glob that matches nothing", () => {
    expectInputError(
      ["fit", csv("j.csv"), "--instruments", "snp*"],
      /j\.csv: --instruments pattern "snp\*" must be a column name or glob/,
    );
  });

  it("unknown option", () => {
    expectInputError(["fit", csv("k.csv"), "--bogus"], /fit: an option must be one of --exposure, .*; got "--bogus"/);
  });
});

describe("simulate: bad flags give exit code 2 and leave no file", () => {
  const out = join(dir, "sim", "data.csv");
  for (const [args, re] of [
    [
      ["--n", "0"],
      /simulate: study: parameter n must be an integer >= 2; got 0|study: parameter n must be an integer >= 2; got 0/,
    ],
    [["--n=-5"], /study: parameter n must be an integer >= 2; got -5/],
    [["--n", "-5"], /simulate: --n must be written as --n=VALUE when the value starts with "-"/],
    [["--n", "12.5"], /study: parameter n must be an integer >= 2; got 12\.5/],
    [["--L", "0"], /study: parameter L must be an integer >= 1; got 0/],
    [["--beta", "abc"], /study: parameter beta must be a finite number; got "abc"/],
    [["--maf-fixed", "0.7"], /study: parameter maf_fixed must be a finite number > 0 and <= 0\.5; got 0\.7/],
    [["--gamma", "1,2"], /study: parameter gamma length must be 10; got 2/],
    [["--dgp", "nosuch"], /simulate: --dgp must be one of study, invariance, deep_mr_sim; got "nosuch"/],
    [["--rng", "mt"], /simulate: --rng must be one of seedrandom, numpy; got "mt"/],
  ] as const) {
    it(args.join(" "), () => {
      expectInputError(["simulate", ...args, "--out", out], re);
      expect(existsSync(out)).toBe(false);
    });
  }

  it("missing --out", () => {
    expectInputError(["simulate", "--n", "100"], /simulate: --out must be a file path; got nothing/);
  });

  it("a good run writes the CSV and its metadata and nothing else", () => {
    const r = runCli(["simulate", "--n", "50", "--L", "3", "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(join(dir, "sim")).sort()).toEqual(["data.csv", "data.meta.json"]);
  });
});

describe("top level", () => {
  it("unknown command", () => {
    expectInputError(
      ["frobnicate"],
      /mrsweep: the command must be one of sweep, plot, summarize, status, simulate, fit, mr, .*; got "frobnicate"/,
    );
  });

  it("--help on every command", () => {
    for (const c of ["sweep", "plot", "summarize", "status", "simulate", "fit", "mr", "demo", "reproduce"]) {
      const r = runCli([c, "--help"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: mrsweep ${c}`));
    }
  }, 60_000); // nine CLI processes, one after another: about 0.5 s each on an idle 2-core machine
});

describe("sweep: a bad configuration gives one line, exit code 2, and writes nothing", () => {
  const config = (name: string, json: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(json));
    return path;
  };
  const valid = { dgp: "study", params: { n: 200, L: 3 }, replicates: 1, estimators: ["ols"] };
  for (const [name, args, re] of [
    [
      "a config that is a list",
      ["--config", config("list.json", [])],
      /list\.json: the configuration must be a JSON object; got \[\]/,
    ],
    [
      "a standalone config without estimators",
      ["--config", config("noest.json", { dgp: "study" })],
      /noest\.json: estimators must be a non-empty list, or "extends" naming a preset; got nothing/,
    ],
    [
      "an unknown key in an estimator entry",
      ["--config", config("nme.json", { ...valid, estimators: [{ id: "ols", nme: "x" }] })],
      /nme\.json: estimators\[0\]: a key must be one of id, name, params; got "nme"/,
    ],
    [
      "a covariate the DGP never makes",
      ["--config", config("cov.json", { ...valid, estimators: [{ id: "ols", params: { covariates: ["income"] } }] })],
      /cov\.json: estimators\[0\] \(ols\) parameter covariates, in the study DGP's data: column "income" must be present/,
    ],
    [
      "a grid cell whose dataset outgrows a worker",
      ["--config", config("big.json", { ...valid, params: { L: 50 }, grid: { n: [100, 9_000_000] } })],
      /big\.json: grid cell n=9000000: the dataset and its fits' workspace must be at most 3\.94 GiB together .*; got 4\.56 GiB \(4\.16 GiB of data/,
    ],
    [
      "too many threads",
      ["--config", config("ok.json", valid), "--threads", "300"],
      /sweep: --threads must be at most 256/,
    ],
  ] as const) {
    it(name, () => {
      const out = join(dir, `sweep-${name.replaceAll(/\W/g, "_")}`);
      expectInputError(["sweep", ...args, "--out", out], new RegExp(`^mrsweep .*${re.source}`));
      expect(existsSync(out)).toBe(false);
    }, 30_000); // one CLI process: about 1 s on an idle 2-core machine
  }
});
