import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { figures, plotRun } from "../../src/report/plot.js";
import { firstStage, mseByCondition, type SummaryRow } from "../../src/report/specs.js";
import { configJson, parseSweepConfig } from "../../src/sweep/config.js";
import { readCsv, writeSummary } from "../../src/sweep/outputs.js";
import { fixturePath } from "../helpers/fixtures.js";
import { pngSize } from "../helpers/png.js";

/** The fixture's plan: cells c001 (n = 500) and c002 (n = 2000), estimators ols and tsls. */
const config = parseSweepConfig({
  dgp: "study",
  grid: { n: [500, 2000] },
  replicates: 30,
  estimators: ["ols", "tsls"],
  seed: 1,
});

async function runFolder(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "mrsweep-report-"));
  copyFileSync(fixturePath("sweep", "replicates.csv"), join(dir, "replicates.csv"));
  writeFileSync(join(dir, "run.json"), JSON.stringify({ config: configJson(config), status: "complete" }));
  await writeSummary(dir, join(dir, "replicates.csv"), config);
  return dir;
}

const rows: SummaryRow[] = [
  {
    cell: "c001",
    values: { n: "500", L: "5" },
    estimator: "ols",
    mse: 0.2,
    mseMcse: 0.01,
    coverage: 0,
    coverageMcse: 0,
    best: false,
  },
  {
    cell: "c001",
    values: { n: "500", L: "5" },
    estimator: "tsls",
    mse: 0.05,
    mseMcse: 0.01,
    coverage: 0.94,
    coverageMcse: 0.02,
    best: true,
  },
  {
    cell: "c002",
    values: { n: "500", L: "10" },
    estimator: "ols",
    mse: 0.03,
    mseMcse: 0.01,
    coverage: 0,
    coverageMcse: 0,
    best: true,
  },
  {
    cell: "c002",
    values: { n: "500", L: "10" },
    estimator: "tsls",
    mse: 0.04,
    mseMcse: 0.01,
    coverage: 0.9,
    coverageMcse: 0.03,
    best: false,
  },
];

describe("figure specifications", () => {
  it("the MSE bar chart has a bar per estimator and condition, error bars, one colour per estimator, and marks the best per condition", () => {
    const spec = mseByCondition("t", rows, ["n", "L"], ["ols", "tsls"], true) as {
      layer: Array<{ mark: unknown }>;
      data: { values: Array<Record<string, unknown>> };
    };
    expect(spec.layer.map((l) => (typeof l.mark === "string" ? l.mark : (l.mark as { type: string }).type))).toEqual([
      "bar",
      "errorbar",
      "text",
    ]);
    const values = spec.data.values;
    expect(values.map((v) => v.condition)).toEqual(["500-5", "500-5", "500-10", "500-10"]);
    const best = values.filter((v) => v.best !== "").map((v) => [v.condition, v.best]);
    expect(best).toEqual([
      ["500-5", "best: tsls"],
      ["500-10", "best: ols"],
    ]);
    const colour = (
      spec.layer[0] as unknown as { encoding: { color: { scale: { domain: string[]; range: string[] } } } }
    ).encoding.color.scale;
    expect(colour.domain).toEqual(["ols", "tsls"]);
    expect(new Set(colour.range).size).toBe(2);
  });

  it("groups estimators by first stage as the study did", () => {
    expect(
      ["ols", "ctx_ols", "tsls", "ctx_tsls", "tsls_post_lasso", "tsls_lasso", "ctx_tsls_lasso"].map(firstStage),
    ).toEqual([
      "one-stage",
      "one-stage",
      "OLS first stage",
      "OLS first stage",
      "LASSO first stage",
      "LASSO first stage",
      "LASSO first stage",
    ]);
  });

  it("a run gets the family, per-n, first-stage, MSE-vs-n, coverage and distribution figures", async () => {
    const dir = await runFolder();
    const summary = await readCsv(join(dir, "summary.csv"));
    const head = summary[0] as string[];
    const typed = summary.slice(1).map((r) => ({
      cell: r[0] as string,
      values: { n: r[1] as string },
      estimator: r[2] as string,
      mse: Number(r[head.indexOf("mse")]),
      mseMcse: Number(r[head.indexOf("mse_mcse")]),
      coverage: Number(r[head.indexOf("coverage")]),
      coverageMcse: Number(r[head.indexOf("coverage_mcse")]),
      best: r.at(-1) === "1",
    }));
    const files = figures(config, typed, await readCsv(join(dir, "replicates.csv"))).map((f) => f.file);
    expect(files).toEqual([
      "mse-by-condition-baseline.svg",
      "mse-n500.svg",
      "mse-n2000.svg",
      "mse-one-stage.svg",
      "mse-ols-first-stage.svg",
      "mse-vs-n.svg",
      "coverage-vs-n.svg",
      "estimates-c001.svg",
      "estimates-c002.svg",
    ]);
  });
});

describe("mrsweep plot output", () => {
  it("writes SVGs that parse as XML with their titles and labels, and a report that shows every figure and the summary", async () => {
    const dir = await runFolder();
    const files = await plotRun(dir);
    const svgs = files.map((f) => f.replace("figures/", ""));
    const pngs = svgs.map((f) => f.replace(/\.svg$/, ".png"));
    expect(readdirSync(join(dir, "figures")).sort()).toEqual([...svgs, ...pngs].sort());
    for (const f of files) {
      const svg = readFileSync(join(dir, f), "utf8");
      expect(XMLValidator.validate(svg), f).toBe(true);
      expect(svg).toMatch(/<svg/);
      const size = pngSize(readFileSync(join(dir, f.replace(/\.svg$/, ".png"))));
      const [, w, h] = svg.match(/<svg[^>]* width="([\d.]+)" height="([\d.]+)"/) ?? [];
      expect(size, f).toEqual({ width: Math.round(2 * Number(w)), height: Math.round(2 * Number(h)) });
    }
    const perN = readFileSync(join(dir, "figures", "mse-n500.svg"), "utf8");
    expect(perN).toMatch(/MSE by estimator and condition \(n=500\), best estimator marked/);
    expect(perN).toMatch(/>ols</);
    expect(perN).toMatch(/best: tsls/);
    expect(readFileSync(join(dir, "figures", "coverage-vs-n.svg"), "utf8")).toMatch(/Coverage/);
    const html = readFileSync(join(dir, "report.html"), "utf8");
    for (const f of files) expect(html).toContain(`src="${f}"`);
    expect(html).toMatch(/<table id="summary-table">/);
    expect(html).toMatch(/<td>c002<\/td><td>2000<\/td><td>tsls<\/td><td>asymptotic<\/td><td>28<\/td><td>2<\/td>/);
  });
});

describe("per-person figure", () => {
  it("plots beta_i against each context column with a LOESS line, from fit --per-person", async () => {
    const { runCli } = await import("../helpers/cli.js");
    const dir = mkdtempSync(join(tmpdir(), "mrsweep-pp-"));
    const data = join(dir, "data.csv");
    expect(runCli(["simulate", "--n", "400", "--L", "5", "--pi-scale", "0.4", "--out", data]).code).toBe(0);
    expect(
      runCli(["fit", data, "--estimators", "ctx_tsls", "--preset", "fast", "--per-person", join(dir, "people.csv")])
        .code,
    ).toBe(0);
    const r = runCli(["plot", "--per-person", join(dir, "people.csv"), "--data", data, "--context", "age,bmi"]);
    expect(r.code, r.stderr).toBe(0);
    const svg = readFileSync(join(dir, "per-person-ctx_tsls.svg"), "utf8");
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(pngSize(readFileSync(join(dir, "per-person-ctx_tsls.png"))).width).toBeGreaterThan(100);
    expect(svg).toMatch(/Per-person effects of ctx_tsls against each context variable/);
    expect(svg).toMatch(/>age</);
    expect(svg).toMatch(/>bmi</);
    expect(svg).toMatch(/beta_i/);
  });
});
