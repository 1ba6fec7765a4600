import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { figures } from "../../src/report/figures.js";
import { plotRun } from "../../src/report/plot.js";
import { firstStage, mseByCondition } from "../../src/report/specs.js";
import type { SummaryRow } from "../../src/report/summary-rows.js";
import { configJson, parseSweepConfig } from "../../src/sweep/config.js";
import { readCsv, writeSummary } from "../../src/sweep/outputs.js";
import { fixturePath } from "../helpers/fixtures.js";
import { pngSize } from "../helpers/png.js";
import { fixtureConfig } from "../helpers/report-fixture.js";

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

/** A summary row with the measures the figures read. */
function row(cell: string, values: Record<string, string>, estimator: string, mse: number, best: boolean): SummaryRow {
  const m = { mse, mse_mcse: 0.01, bias: mse / 2, bias_mcse: 0.01, emp_se: 0.1, emp_se_mcse: 0.01 };
  const ci = {
    coverage: 0.9,
    coverage_mcse: 0.02,
    rejection: 0.5,
    rejection_mcse: 0.03,
    model_se: 0.1,
    model_se_mcse: 0.01,
  };
  return { cell, values, estimator, interval: "exact", m: { ...m, ...ci }, best };
}

const rows: SummaryRow[] = [
  row("c001", { n: "500", L: "5" }, "ols", 0.2, false),
  row("c001", { n: "500", L: "5" }, "tsls", 0.05, true),
  row("c002", { n: "500", L: "10" }, "ols", 0.03, true),
  row("c002", { n: "500", L: "10" }, "tsls", 0.04, false),
];

describe("figure specifications", () => {
  it("the MSE bar chart has a bar per estimator and condition on a log axis, error bars, one colour per drawn estimator, and marks the best over its own bar", () => {
    const spec = mseByCondition("t", rows, ["n", "L"], ["ols", "ivw", "tsls"], true) as {
      layer: Array<{ mark: unknown; encoding: Record<string, { scale?: Record<string, unknown>; datum?: number }> }>;
      data: { values: Array<Record<string, unknown>> };
    };
    const [bars, , labels] = spec.layer as [(typeof spec.layer)[0], unknown, (typeof spec.layer)[0]];
    // A log axis, so that a large MSE (OLS's) does not flatten the others' bars; bars stand on the axis' bottom.
    expect(bars.encoding.y?.scale?.type).toBe("log");
    expect(bars.encoding.y2?.datum).toBe(bars.encoding.y?.scale?.domainMin);
    expect(bars.encoding.y2?.datum).toBeLessThan(0.03);
    // The label is placed by the bars' own offset scale: over the best estimator's bar, not the condition's middle.
    expect(labels.encoding.xOffset).toEqual(bars.encoding.xOffset);
    expect(bars.encoding.xOffset?.scale?.domain).toEqual(["ols", "tsls"]);
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
    expect(values.map((v) => v.hi)).toEqual(rows.map((r) => (r.m.mse as number) + 1.96 * 0.01));
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

  it("a run over n gets the measures against n, the study's MSE charts and the distribution figures", async () => {
    const typed = ["500", "2000"].flatMap((n, i) =>
      ["ols", "tsls"].map((e) => row(`c00${i + 1}`, { n }, e, e === "ols" ? 0.2 : 0.04, e === "tsls")),
    );
    const columns = ["cell_id", "n", "estimator", "interval", ...Object.keys(typed[0]?.m ?? {}), "best"];
    const made = figures(config, typed, await readCsv(fixturePath("sweep", "replicates.csv")), columns);
    expect(made.skipped).toEqual([]);
    expect(made.figures.map((f) => f.file)).toEqual([
      "bias-vs-n.svg",
      "se-vs-n.svg",
      "coverage-vs-n.svg",
      "rejection-vs-n.svg",
      "mse-vs-n.svg",
      "mse-by-condition-baseline.svg",
      "mse-n500.svg",
      "mse-n2000.svg",
      "mse-one-stage.svg",
      "mse-ols-first-stage.svg",
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
    expect(readFileSync(join(dir, "figures", "bias-vs-n.svg"), "utf8")).toMatch(/Bias against n/);
    const html = readFileSync(join(dir, "report.html"), "utf8");
    expectSelfContained(html, files);
    expect(html).not.toMatch(/Partial run/);
    expect(html).toMatch(/<td>c002<\/td><td>2000<\/td><td>tsls<\/td><td>asymptotic<\/td><td>28<\/td><td>2<\/td>/);
  });

  it("marks a run that did not finish as partial, with how many tasks it has", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mrsweep-report-"));
    for (const f of ["summary.csv", "replicates.csv"]) copyFileSync(fixturePath("report", f), join(dir, f));
    // Three replicates planned per cell, two done: a sweep stopped before its end.
    const run = { config: configJson(fixtureConfig(3)), status: "stopped" };
    writeFileSync(join(dir, "run.json"), JSON.stringify(run));
    const files = await plotRun(dir);
    const html = readFileSync(join(dir, "report.html"), "utf8");
    expectSelfContained(html, files);
    expect(html).toMatch(/<title>mrsweep report \(partial run\)<\/title>/);
    expect(html).toMatch(/Partial run: 12 of 18 tasks<\/strong> \(run.json status: stopped\)/);
    expect(html.indexOf("Partial run")).toBeLessThan(html.indexOf('<table id="summary-table">'));
  });
});

/** The report opens with the summary, then every figure inlined as SVG (ids unique), the configuration folded last. */
function expectSelfContained(html: string, files: readonly string[]): void {
  expect(html).not.toMatch(/\ssrc=|<link|<script/);
  const table = html.indexOf('<table id="summary-table">');
  const figs = html.indexOf('<h2 id="figures">');
  const details = html.indexOf('<details id="configuration"><summary>Configuration</summary>');
  expect(table).toBeGreaterThan(0);
  expect(figs).toBeGreaterThan(table);
  expect(details).toBeGreaterThan(figs);
  for (const f of files) {
    const id = f.replace(/^figures\/|\.svg$/g, "");
    expect(html, f).toMatch(new RegExp(`<figure id="${id}">\\n<svg`));
  }
  expect(html.match(/<svg/g)?.length).toBe(files.length);
  const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  expect(new Set(ids).size).toBe(ids.length);
  for (const [, ref] of html.matchAll(/url\(#([^)]+)\)/g)) expect(ids).toContain(ref);
}

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
