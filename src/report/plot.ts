import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SweepConfig } from "../sweep/config.js";
import { openRun } from "../sweep/manifest.js";
import { readCsv } from "../sweep/outputs.js";
import { reportHtml } from "./html.js";
import { writeFigure } from "./render.js";
import {
  coverageVsN,
  estimateDistribution,
  firstStage,
  mseByCondition,
  mseVsN,
  type Spec,
  type SummaryRow,
} from "./specs.js";

/** A figure to write: file name (in figures/) and its specification. */
interface Figure {
  file: string;
  title: string;
  spec: Spec;
}

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/** summary.csv as typed rows. */
function summaryRows(table: string[][], axes: readonly string[]): SummaryRow[] {
  const [head, ...rows] = table;
  const col = (name: string) => (head as string[]).indexOf(name);
  const num = (r: string[], name: string) => (r[col(name)] === "NA" ? Number.NaN : Number(r[col(name)]));
  return rows.map((r) => ({
    cell: r[0] as string,
    values: Object.fromEntries(axes.map((a) => [a, r[col(a)] as string])),
    estimator: r[col("estimator")] as string,
    mse: num(r, "mse"),
    mseMcse: num(r, "mse_mcse"),
    coverage: num(r, "coverage"),
    coverageMcse: num(r, "coverage_mcse"),
    best: r[col("best")] === "1",
  }));
}

/** Estimator families for the study's per-family charts: the baselines, and contextualized fits by encoder preset. */
function family(config: SweepConfig, name: string): string {
  const spec = config.estimators.find((e) => e.name === name);
  if (!spec?.id.startsWith("ctx_")) return "baseline";
  return `contextualized (${String(spec.params.preset)})`;
}

/** The figure specifications of a run: the study's charts, MSE and coverage against n, estimate distributions. */
export function figures(config: SweepConfig, rows: readonly SummaryRow[], replicates: string[][]): Figure[] {
  const axes = config.grid.map(([k]) => k);
  const names = config.estimators.map((e) => e.name);
  const out: Figure[] = [];
  const families = [...new Set(names.map((n) => family(config, n)))];
  for (const f of families) {
    const title = `MSE by estimator and condition (${f})`;
    out.push({
      file: `mse-by-condition-${slug(f)}.svg`,
      title,
      spec: mseByCondition(
        title,
        rows.filter((r) => family(config, r.estimator) === f),
        axes,
        names,
      ),
    });
  }
  if (axes.includes("n")) {
    const others = axes.filter((a) => a !== "n");
    for (const n of [...new Set(rows.map((r) => r.values.n as string))]) {
      const title = `MSE by estimator and condition (n=${n}), best estimator marked`;
      out.push({
        file: `mse-n${n}.svg`,
        title,
        spec: mseByCondition(
          title,
          rows.filter((r) => r.values.n === n),
          others.length ? others : axes,
          names,
          true,
        ),
      });
    }
  }
  for (const group of ["one-stage", "OLS first stage", "LASSO first stage"] as const) {
    const ids = new Map(config.estimators.map((e) => [e.name, e.id]));
    const chosen = rows.filter((r) => firstStage(ids.get(r.estimator) ?? "") === group);
    if (chosen.length === 0) continue;
    const title = `MSE by estimator and condition (${group})`;
    out.push({ file: `mse-${slug(group)}.svg`, title, spec: mseByCondition(title, chosen, axes, names) });
  }
  if (axes.includes("n")) {
    out.push({ file: "mse-vs-n.svg", title: "MSE against sample size", spec: mseVsN(rows, axes, names) });
    if (rows.some((r) => Number.isFinite(r.coverage))) {
      out.push({
        file: "coverage-vs-n.svg",
        title: "Coverage of the 95% interval",
        spec: coverageVsN(rows, axes, names),
      });
    }
  }
  const [head, ...data] = replicates;
  const col = (name: string) => (head as string[]).indexOf(name);
  const cells = [...new Set(data.map((r) => r[0] as string))];
  for (const cell of [cells[0], cells.at(-1)].filter((c, i, a): c is string => c !== undefined && a.indexOf(c) === i)) {
    const mine = data.filter((r) => r[0] === cell);
    const label = `${cell} (${axes.map((a) => `${a}=${mine[0]?.[col(a)]}`).join(" ")})`;
    const estimates = mine.map((r) => ({
      estimator: r[col("estimator")] as string,
      estimate: r[col("estimate")] === "NA" ? Number.NaN : Number(r[col("estimate")]),
    }));
    out.push({
      file: `estimates-${cell}.svg`,
      title: `Estimates in cell ${label}`,
      spec: estimateDistribution(label, estimates, Number(mine[0]?.[col("beta_true")]), names),
    });
  }
  return out;
}

/**
 * `mrsweep plot`: writes every figure as SVG, and as PNG beside it (twice the size, for slides),
 * into DIR/figures/ and DIR/report.html; returns the SVG files.
 */
export async function plotRun(dir: string): Promise<string[]> {
  const { run, config } = openRun("plot", dir);
  const axes = config.grid.map(([k]) => k);
  const summaryTable = await readCsv(join(dir, "summary.csv"));
  const replicates = await readCsv(join(dir, "replicates.csv"));
  const figs = figures(config, summaryRows(summaryTable, axes), replicates);
  mkdirSync(join(dir, "figures"), { recursive: true });
  for (const f of figs) await writeFigure(join(dir, "figures", f.file), f.spec);
  writeFileSync(join(dir, "report.html"), reportHtml(run.config, summaryTable, figs));
  return figs.map((f) => join("figures", f.file));
}
