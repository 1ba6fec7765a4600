/**
 * Vega-Lite specifications of the study's figures (MSE bars by condition, estimate distributions)
 * and of `fit --per-person`. Pure functions: data in, specification out (render.ts turns them into
 * SVG). Figures against each grid axis are in measures.ts.
 */
import { colour, drawnIn, ERROR_BARS, logTicks, SCHEMA, type Spec } from "./style.js";
import type { SummaryRow } from "./summary-rows.js";

/** Condition label of a cell, e.g. `1000-5-true`, as the study's plots label them. */
export function condition(values: Record<string, string>, axes: readonly string[]): string {
  return axes.map((a) => values[a]).join("-");
}

/** Bar records: MSE with ±1.96 MCSE, the lower end kept above `floor` (a log axis has no 0). */
function records(rows: readonly SummaryRow[], axes: readonly string[], floor: number): Array<Record<string, unknown>> {
  return rows.map((r) => {
    const mse = r.m.mse as number;
    const half = 1.96 * (r.m.mse_mcse ?? 0);
    return {
      ...r.values,
      cell_id: r.cell,
      condition: condition(r.values, axes),
      estimator: r.estimator,
      mse,
      lo: Math.max(floor, mse - half),
      hi: mse + half,
      best: r.best ? `best: ${r.estimator}` : "",
    };
  });
}

/**
 * Grouped bars of MSE by condition on a log axis (so one estimator's large MSE, OLS's say, does not
 * flatten the others' bars), ±1.96 MCSE bars; `annotateBest` writes the best estimator above its own bar.
 */
export function mseByCondition(
  title: string,
  rows: readonly SummaryRow[],
  axes: readonly string[],
  estimators: readonly string[],
  annotateBest = false,
): Spec {
  const shown = rows.filter((r) => (r.m.mse as number) > 0);
  const drawn = drawnIn(
    estimators,
    shown.map((r) => r.estimator),
  );
  const mses = shown.map((r) => r.m.mse as number);
  // Bars start at the axis' bottom, a step of the 1-2-5 ticks below the smallest MSE: the smallest bar stays visible.
  const floor = logTicks(Math.min(...mses) / 10, Math.min(...mses) / 1.5).at(-1) as number;
  const x = {
    field: "condition",
    type: "nominal",
    title: `Condition (${axes.join("-")})`,
    sort: null,
    axis: { labelAngle: -90 },
  };
  // One offset scale for all layers, so a label sits over its own estimator's bar.
  const xOffset = { field: "estimator", type: "nominal", scale: { domain: drawn } };
  const top = Math.max(...shown.map((r) => (r.m.mse as number) + 1.96 * (r.m.mse_mcse ?? 0)));
  const y = {
    field: "mse",
    type: "quantitative",
    title: "MSE (log scale)",
    scale: { type: "log", domainMin: floor, nice: false },
    axis: { values: logTicks(floor, top), format: "~g" },
  };
  const layers: Spec[] = [
    // A bar on a log axis needs an explicit foot: the axis' bottom, not 0.
    { mark: "bar", encoding: { x, xOffset, y, y2: { datum: floor }, color: colour(estimators, drawn) } },
    {
      mark: { type: "errorbar", color: "black", ticks: { size: 6 } },
      encoding: { x, xOffset, y: { ...y, field: "lo" }, y2: { field: "hi" } },
    },
  ];
  if (annotateBest) {
    layers.push({
      transform: [{ filter: "datum.best != ''" }],
      mark: { type: "text", angle: 270, align: "left", baseline: "middle", dx: 4, fontSize: 9 },
      encoding: { x, xOffset, y: { ...y, field: "hi" }, text: { field: "best" } },
    });
  }
  return {
    $schema: SCHEMA,
    title: { text: title, subtitle: ERROR_BARS },
    width: Math.max(300, 22 * shown.length),
    height: 260,
    data: { values: records(shown, axes, floor) },
    layer: layers,
  };
}

/** The distribution of estimates per estimator in one cell, with the true effect as a rule. */
export function estimateDistribution(
  cellLabel: string,
  estimates: ReadonlyArray<{ estimator: string; estimate: number }>,
  betaTrue: number,
  estimators: readonly string[],
): Spec {
  const values = estimates.filter((e) => Number.isFinite(e.estimate));
  const drawn = drawnIn(
    estimators,
    values.map((e) => e.estimator),
  );
  return {
    $schema: SCHEMA,
    title: `Estimates in cell ${cellLabel} (true beta ${betaTrue})`,
    width: Math.max(240, 60 * drawn.length),
    height: 240,
    data: { values },
    layer: [
      {
        mark: { type: "boxplot", extent: 1.5 },
        encoding: {
          x: { field: "estimator", type: "nominal", sort: drawn, title: "Estimator", axis: { labelAngle: -30 } },
          y: { field: "estimate", type: "quantitative", title: "Estimate" },
          color: colour(estimators, drawn),
        },
      },
      { mark: { type: "rule", color: "black", strokeDash: [4, 4] }, encoding: { y: { datum: betaTrue } } },
    ],
  };
}

/** The study's first-stage groups: estimators without an instrument stage, with OLS on G, with LassoCV. */
export function firstStage(id: string): "one-stage" | "OLS first stage" | "LASSO first stage" {
  if (id.includes("lasso")) return "LASSO first stage";
  if (id.includes("tsls")) return "OLS first stage";
  return "one-stage";
}

/**
 * Per-person effects against each context variable (a panel each, own x scale), with a LOESS
 * smoother: the picture of effect heterogeneity a contextualized fit gives (`mrsweep fit --per-person`).
 */
export function perPerson(
  estimator: string,
  rows: ReadonlyArray<Record<string, number>>,
  context: readonly string[],
): Spec {
  const step = Math.max(1, Math.ceil(rows.length / 2000));
  const sample = rows.filter((_, i) => i % step === 0);
  const long = sample.flatMap((r) => context.map((c) => ({ variable: c, value: r[c], beta: r.beta })));
  const x = { field: "value", type: "quantitative", title: null, scale: { zero: false } };
  const y = { field: "beta", type: "quantitative", title: "beta_i" };
  return {
    $schema: SCHEMA,
    title: `Per-person effects of ${estimator} against each context variable (LOESS smoother)`,
    data: { values: long },
    facet: { field: "variable", type: "nominal", title: null, sort: [...context] },
    columns: 5,
    resolve: { scale: { x: "independent" } },
    spec: {
      width: 160,
      height: 130,
      layer: [
        { mark: { type: "point", opacity: 0.25, size: 8 }, encoding: { x, y } },
        {
          transform: [{ loess: "beta", on: "value" }],
          mark: { type: "line", color: "#d62728", strokeWidth: 2 },
          encoding: { x, y },
        },
      ],
    },
  };
}
