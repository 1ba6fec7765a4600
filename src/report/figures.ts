/**
 * Which figures a run gets: measures against each grid axis (measures.ts), the study's MSE bar
 * charts, estimate distributions of the first and last cell (or, where the truth differs by
 * replicate, estimates against truth in every cell: truth.ts), and for the invariance DGP its bias
 * boxplots and latent R² (invariance.ts).
 */
import type { SweepConfig } from "../sweep/config.js";
import { invarianceFigures } from "./invariance.js";
import { columnsOf, MEASURE_PLOTS, MSE_PLOT, measureVsAxis } from "./measures.js";
import { estimateDistribution, firstStage, mseByCondition } from "./specs.js";
import type { Spec } from "./style.js";
import { plottedAxes, type SummaryRow } from "./summary-rows.js";
import { truthFigures, truthVaries } from "./truth.js";

/** A figure to write: file name (in figures/) and its specification. */
export interface Figure {
  file: string;
  title: string;
  spec: Spec;
}

/** A run's figures, and why any expected figure was not drawn. */
export interface Figures {
  figures: Figure[];
  skipped: string[];
}

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/**
 * Bias, SE, coverage and rejection against every axis with more than one value (and MSE against
 * n, the study's chart). A figure whose summary.csv columns are missing (a run summarized by an
 * older mrsweep) is skipped with the reason.
 */
function axisFigures(config: SweepConfig, rows: readonly SummaryRow[], columns: readonly string[]): Figures {
  const names = config.estimators.map((e) => e.name);
  const axes = plottedAxes(config, rows);
  const out: Figures = { figures: [], skipped: [] };
  const plots = [...MEASURE_PLOTS, ...(axes.some((a) => a.name === "n") ? [MSE_PLOT] : [])];
  for (const plot of plots) {
    const missing = columnsOf(plot).filter((c) => !columns.includes(c));
    if (missing.length > 0) {
      out.skipped.push(
        `${plot.key}-vs-*.svg: summary.csv has no ${missing.join(", ")} column (made by an older mrsweep; \`mrsweep summarize\` rewrites it)`,
      );
    }
  }
  for (const axis of axes) {
    const others = axes.filter((a) => a !== axis);
    for (const plot of plots) {
      if (plot === MSE_PLOT && axis.name !== "n") continue;
      if (columnsOf(plot).some((c) => !columns.includes(c))) continue;
      const file = `${plot.key}-vs-${axis.name}.svg`;
      const spec = measureVsAxis(plot, rows, axis, others, names);
      if (spec) out.figures.push({ file, title: `${plot.title} against ${axis.name}`, spec });
      else out.skipped.push(`${file}: no estimator has a ${plot.series[0]?.column} value to draw`);
    }
  }
  return out;
}

/** Estimator families for the study's per-family charts: the baselines, and contextualized fits by encoder preset. */
function family(config: SweepConfig, name: string): string {
  const spec = config.estimators.find((e) => e.name === name);
  if (!spec?.id.startsWith("ctx_")) return "baseline";
  return `contextualized (${String(spec.params.preset)})`;
}

/**
 * The figure specifications of a run: measures against each grid axis, the study's MSE charts,
 * estimate distributions, the invariance DGP's own figures; `columns` is summary.csv's header.
 */
export function figures(
  config: SweepConfig,
  rows: readonly SummaryRow[],
  replicates: string[][],
  columns: readonly string[],
): Figures {
  const axes = config.grid.map(([k]) => k);
  const names = config.estimators.map((e) => e.name);
  const { figures: out, skipped } = axisFigures(config, rows, columns);
  const families = [...new Set(names.map((n) => family(config, n)))];
  // Bar charts of the cells' MSE; none where no estimator has a positive MSE to draw on a log axis.
  const bars = (file: string, title: string, chosen: readonly SummaryRow[], by: readonly string[], best = false) => {
    if (chosen.some((r) => (r.m.mse as number) > 0))
      out.push({ file, title, spec: mseByCondition(title, chosen, by, names, best) });
  };
  for (const f of families) {
    const chosen = rows.filter((r) => family(config, r.estimator) === f);
    bars(`mse-by-condition-${slug(f)}.svg`, `MSE by estimator and condition (${f})`, chosen, axes);
  }
  if (axes.includes("n")) {
    const others = axes.filter((a) => a !== "n");
    for (const n of [...new Set(rows.map((r) => r.values.n as string))]) {
      const title = `MSE by estimator and condition (n=${n}), best estimator marked`;
      const chosen = rows.filter((r) => r.values.n === n);
      bars(`mse-n${n}.svg`, title, chosen, others.length ? others : axes, true);
    }
  }
  // The study's first-stage groups read estimator ids (tsls, lasso); other designs' ids would be misfiled.
  const groups = config.dgp === "study" ? (["one-stage", "OLS first stage", "LASSO first stage"] as const) : [];
  for (const group of groups) {
    const ids = new Map(config.estimators.map((e) => [e.name, e.id]));
    const chosen = rows.filter((r) => firstStage(ids.get(r.estimator) ?? "") === group);
    bars(`mse-${slug(group)}.svg`, `MSE by estimator and condition (${group})`, chosen, axes);
  }
  const [head, ...data] = replicates;
  const col = (name: string) => (head as string[]).indexOf(name);
  const cells = [...new Set(data.map((r) => r[0] as string))];
  for (const cell of [cells[0], cells.at(-1)].filter((c, i, a): c is string => c !== undefined && a.indexOf(c) === i)) {
    const mine = data.filter((r) => r[0] === cell);
    // One dashed truth line would be wrong where each replicate has its own: truthFigures draws those.
    if (truthVaries(mine, col("beta_true"))) continue;
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
  const truth = truthFigures(config, replicates);
  out.push(...truth.figures);
  skipped.push(...truth.skipped);
  if (config.dgp === "invariance") {
    const own = invarianceFigures(config, replicates);
    out.push(...own.figures);
    skipped.push(...own.skipped);
  }
  return { figures: out, skipped };
}
