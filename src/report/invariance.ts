/**
 * The invariance design's figures (invariance-mr.md section 4), drawn from replicates.csv: the
 * distribution of the bias (estimate − θ) of every estimator in every cell, one panel per cell (per
 * mixing in `invariance-quick`), as the paper's boxplots; and the latent R² of the estimators that
 * report it (`latent_r2_w`: W-hat on W, `latent_r2_v`: V-hat on V).
 */
import type { SweepConfig } from "../sweep/config.js";
import { colour, drawnIn, SCHEMA, type Spec } from "./style.js";

/**
 * Boxplots without outliers (the paper hides them), whose median is a black tick wider than the box:
 * the baselines' spread is a few thousandths, so their boxes are flat and only the median shows.
 */
const BOXPLOT = {
  type: "boxplot",
  extent: 1.5,
  outliers: false,
  size: 12,
  median: { color: "black", thickness: 2, size: 18 },
} as const;

/** A figure to write (the shape of figures.ts's `Figure`). */
interface InvarianceFigure {
  file: string;
  title: string;
  spec: Spec;
}

/** The bias figure's file name. */
export const BIAS_FIGURE = "invariance-bias.svg";
/** The latent R² figure's file name. */
export const LATENT_R2_FIGURE = "invariance-latent-r2.svg";

/** The latent R² columns and how the figure names them. */
const LATENTS = [
  ["latent_r2_w", "W-hat on W"],
  ["latent_r2_v", "V-hat on V"],
] as const;

/** One point of the bias figure: a replicate's estimate − θ. */
export interface BiasPoint {
  panel: string;
  cell_id: string;
  estimator: string;
  bias: number;
}

/** One point of the latent R² figure. */
export interface LatentPoint {
  panel: string;
  cell_id: string;
  estimator: string;
  latent: string;
  r2: number;
}

/** A replicates.csv table (header first) with its columns by name. */
interface Table {
  rows: readonly string[][];
  col: (name: string) => number;
}

/**
 * Each cell's panel label, in cell order: the grid axes that take more than one value, e.g.
 * `mixing = poly2` (all axes when none varies, the cell id when there is no grid).
 */
function panelLabels(config: SweepConfig, t: Table): Map<string, string> {
  const varying = config.grid.filter(([, values]) => values.length > 1).map(([name]) => name);
  const axes = varying.length > 0 ? varying : config.grid.map(([name]) => name);
  const cells = [...new Set(t.rows.map((r) => r[0] as string))];
  cells.sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  const labels = new Map<string, string>();
  for (const cell of cells) {
    const row = t.rows.find((r) => r[0] === cell) as string[];
    const label = axes.map((a) => `${a} = ${row[t.col(a)]}`).join(", ");
    labels.set(cell, label || cell);
  }
  return labels;
}

/** Every replicate with status ok and a finite estimate, as estimate − beta_true. */
export function biasPoints(t: Table, labels: ReadonlyMap<string, string>): BiasPoint[] {
  const [cellCol, est, truth, status, value] = ["cell_id", "estimator", "beta_true", "status", "estimate"].map(t.col);
  const out: BiasPoint[] = [];
  for (const r of t.rows) {
    const estimate = Number(r[value as number]);
    if (r[status as number] !== "ok" || r[value as number] === "NA" || !Number.isFinite(estimate)) continue;
    const cell = r[cellCol as number] as string;
    const bias = estimate - Number(r[truth as number]);
    out.push({ panel: labels.get(cell) as string, cell_id: cell, estimator: r[est as number] as string, bias });
  }
  return out;
}

/** Every finite latent R² of a replicate with status ok, one point per latent column. */
export function latentPoints(t: Table, labels: ReadonlyMap<string, string>): LatentPoint[] {
  const [cellCol, est, status] = ["cell_id", "estimator", "status"].map(t.col);
  const out: LatentPoint[] = [];
  for (const [column, latent] of LATENTS) {
    const j = t.col(column);
    if (j < 0) continue;
    for (const r of t.rows) {
      const r2 = r[j] === "NA" ? Number.NaN : Number(r[j]);
      if (r[status as number] !== "ok" || !Number.isFinite(r2)) continue;
      const cell = r[cellCol as number] as string;
      out.push({ panel: labels.get(cell) as string, cell_id: cell, estimator: r[est as number] as string, latent, r2 });
    }
  }
  return out;
}

/** Boxplots of the bias per estimator, a panel per cell, outliers not drawn (as the paper's). */
function biasSpec(points: readonly BiasPoint[], panels: string[], estimators: readonly string[]): Spec {
  const drawn = drawnIn(
    estimators,
    points.map((p) => p.estimator),
  );
  return {
    $schema: SCHEMA,
    title: {
      text: "Bias (estimate − θ) per estimator and cell",
      subtitle: "boxes: quartiles and median; whiskers: 1.5 IQR; outliers not drawn; dashed line: no bias",
    },
    data: { values: points },
    facet: { field: "panel", type: "nominal", title: null, sort: panels },
    columns: Math.min(5, panels.length),
    spec: {
      width: Math.max(120, 16 * drawn.length),
      height: 240,
      layer: [
        {
          mark: BOXPLOT,
          encoding: {
            x: { field: "estimator", type: "nominal", sort: drawn, title: null, axis: { labelAngle: -60 } },
            y: { field: "bias", type: "quantitative", title: "estimate − θ" },
            color: colour(estimators, drawn),
          },
        },
        // One rule per panel: on the raw rows it would draw one per replicate (9000 lines in the SVG).
        {
          transform: [{ aggregate: [{ op: "count", as: "replicates" }], groupby: [] }],
          mark: { type: "rule", color: "black", strokeDash: [4, 4] },
          encoding: { y: { datum: 0 } },
        },
      ],
    },
  };
}

/** Boxplots of the latent R² (W-hat on W, V-hat on V): a column per cell, a row per estimator. */
function latentSpec(points: readonly LatentPoint[], panels: string[], estimators: readonly string[]): Spec {
  const drawn = drawnIn(
    estimators,
    points.map((p) => p.estimator),
  );
  const latents = LATENTS.map(([, name]) => name).filter((n) => points.some((p) => p.latent === n));
  return {
    $schema: SCHEMA,
    title: {
      text: "Latent R²: each learned block regressed on the true latents, mean over environments",
      subtitle: "boxes: quartiles and median; whiskers: 1.5 IQR; outliers not drawn",
    },
    data: { values: points },
    facet: {
      column: { field: "panel", type: "nominal", title: null, sort: panels },
      row: { field: "estimator", type: "nominal", title: null, sort: drawn },
    },
    spec: {
      width: 90,
      height: 180,
      mark: BOXPLOT,
      encoding: {
        x: { field: "latent", type: "nominal", sort: latents, title: null, axis: { labelAngle: -45 } },
        y: {
          field: "r2",
          type: "quantitative",
          title: "R²",
          scale: { domain: [-0.05, 1.05], nice: false },
          axis: { values: [0, 0.2, 0.4, 0.6, 0.8, 1] },
        },
      },
    },
  };
}

/**
 * The invariance figures of a run from replicates.csv (header first): the bias boxplots always,
 * the latent R² when an estimator reports it (else a reason in `skipped`).
 */
export function invarianceFigures(
  config: SweepConfig,
  replicates: readonly string[][],
): { figures: InvarianceFigure[]; skipped: string[] } {
  const [head = [], ...rows] = replicates;
  const t: Table = { rows, col: (name) => head.indexOf(name) };
  const labels = panelLabels(config, t);
  const panels = [...labels.values()];
  const names = config.estimators.map((e) => e.name);
  const figures: InvarianceFigure[] = [];
  const skipped: string[] = [];
  const bias = biasPoints(t, labels);
  if (bias.length > 0) {
    const title = "Bias per estimator and cell (boxplots over replicates)";
    figures.push({ file: BIAS_FIGURE, title, spec: biasSpec(bias, panels, names) });
  } else skipped.push(`${BIAS_FIGURE}: no replicate has status ok and an estimate`);
  const latent = latentPoints(t, labels);
  if (latent.length > 0) {
    const title = "Latent R² of the learned blocks per cell";
    figures.push({ file: LATENT_R2_FIGURE, title, spec: latentSpec(latent, panels, names) });
  } else skipped.push(`${LATENT_R2_FIGURE}: no estimator reports latent_r2_w or latent_r2_v`);
  return { figures, skipped };
}
