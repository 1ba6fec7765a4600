/**
 * Figures for DGPs that draw their truth anew in every replicate (deep_mr_sim): per cell, each
 * replicate's estimate against its own beta_true, with the identity line. An estimator that tracks
 * the truth lies along the line; the summary's cor_truth is the number behind the picture.
 */
import type { SweepConfig } from "../sweep/config.js";
import type { Figures } from "./figures.js";
import { colour, drawnIn, SCHEMA, type Spec, shape } from "./style.js";

interface Point {
  estimator: string;
  truth: number;
  estimate: number;
}

/** Whether the cell's rows carry more than one beta_true. */
export function truthVaries(rows: readonly (readonly string[])[], col: number): boolean {
  return new Set(rows.map((r) => r[col])).size > 1;
}

function scatter(label: string, points: readonly Point[], estimators: readonly string[]): Spec {
  const drawn = drawnIn(
    estimators,
    points.map((p) => p.estimator),
  );
  const all = points.flatMap((p) => [p.truth, p.estimate]);
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  return {
    $schema: SCHEMA,
    title: {
      text: `Estimate against truth, ${label}`,
      subtitle: "each replicate's own truth; dashed: estimate = truth",
    },
    width: 320,
    height: 280,
    layer: [
      {
        data: { values: points },
        mark: { type: "point", filled: true, opacity: 0.7 },
        encoding: {
          x: { field: "truth", type: "quantitative", title: "True effect (beta_true)" },
          y: { field: "estimate", type: "quantitative", title: "Estimate" },
          color: colour(estimators, drawn),
          shape: shape(estimators, drawn),
        },
      },
      {
        data: {
          values: [
            { truth: lo, estimate: lo },
            { truth: hi, estimate: hi },
          ],
        },
        mark: { type: "line", color: "black", strokeDash: [4, 4] },
        encoding: { x: { field: "truth", type: "quantitative" }, y: { field: "estimate", type: "quantitative" } },
      },
    ],
  };
}

/**
 * One estimate-against-truth scatter per cell whose replicates have different truths (none for
 * DGPs with one truth per cell); `replicates` is replicates.csv, header first.
 */
export function truthFigures(config: SweepConfig, replicates: readonly (readonly string[])[]): Figures {
  const [head, ...data] = replicates;
  const out: Figures = { figures: [], skipped: [] };
  if (!head) return out;
  const col = (name: string) => head.indexOf(name);
  const axes = config.grid.map(([k]) => k);
  const names = config.estimators.map((e) => e.name);
  for (const cell of [...new Set(data.map((r) => r[0] as string))]) {
    const mine = data.filter((r) => r[0] === cell);
    if (!truthVaries(mine, col("beta_true"))) continue;
    const points = mine
      .filter((r) => r[col("status")] === "ok" && r[col("estimate")] !== "NA")
      .map((r) => ({
        estimator: r[col("estimator")] as string,
        truth: Number(r[col("beta_true")]),
        estimate: Number(r[col("estimate")]),
      }));
    const label = `${cell} (${axes.map((a) => `${a}=${mine[0]?.[col(a)]}`).join(" ")})`;
    if (points.length === 0) {
      out.skipped.push(`truth-${cell}.svg: no ok estimate to draw`);
      continue;
    }
    out.figures.push({
      file: `truth-${cell}.svg`,
      title: `Estimate against truth, ${label}`,
      spec: scatter(label, points, names),
    });
  }
  return out;
}
