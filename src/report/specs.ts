/**
 * Vega-Lite specifications of a sweep's figures, built from summary.csv and replicates.csv rows.
 * Pure functions: data in, specification out (render.ts turns them into SVG). One colour per
 * estimator across all figures (the configuration's order).
 */

/** One summary.csv row with numbers parsed; `values` are the grid axes. */
export interface SummaryRow {
  cell: string;
  values: Record<string, string>;
  estimator: string;
  mse: number;
  mseMcse: number;
  coverage: number;
  coverageMcse: number;
  best: boolean;
}

/** A Vega-Lite specification (kept loose: the objects are plain JSON). */
export type Spec = Record<string, unknown>;

const PALETTE = [
  "#1f77b4",
  "#ff7f0e",
  "#2ca02c",
  "#d62728",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#7f7f7f",
  "#bcbd22",
  "#17becf",
  "#393b79",
  "#637939",
];

/** The shared colour encoding: estimator names in a fixed order, each its own colour. */
export function colour(estimators: readonly string[]): Spec {
  return {
    field: "estimator",
    type: "nominal",
    title: "Estimator",
    scale: { domain: estimators, range: estimators.map((_, i) => PALETTE[i % PALETTE.length]) },
  };
}

/** Condition label of a cell, e.g. `1000-5-true`, as the study's plots label them. */
export function condition(values: Record<string, string>, axes: readonly string[]): string {
  return axes.map((a) => values[a]).join("-");
}

function records(rows: readonly SummaryRow[], axes: readonly string[]): Array<Record<string, unknown>> {
  return rows.map((r) => ({
    ...r.values,
    condition: condition(r.values, axes),
    estimator: r.estimator,
    mse: r.mse,
    lo: Math.max(0, r.mse - r.mseMcse),
    hi: r.mse + r.mseMcse,
    coverage: r.coverage,
    covLo: r.coverage - r.coverageMcse,
    covHi: r.coverage + r.coverageMcse,
    best: r.best ? `best: ${r.estimator}` : "",
  }));
}

/** Grouped bars of MSE by condition with ±1 MCSE error bars; `annotateBest` writes the best estimator above each condition. */
export function mseByCondition(
  title: string,
  rows: readonly SummaryRow[],
  axes: readonly string[],
  estimators: readonly string[],
  annotateBest = false,
): Spec {
  const x = {
    field: "condition",
    type: "nominal",
    title: `Condition (${axes.join("-")})`,
    sort: null,
    axis: { labelAngle: -90 },
  };
  const layers: Spec[] = [
    {
      mark: "bar",
      encoding: {
        x,
        xOffset: { field: "estimator", sort: estimators },
        y: { field: "mse", type: "quantitative", title: "MSE" },
        color: colour(estimators),
      },
    },
    {
      mark: { type: "errorbar", ticks: true },
      encoding: {
        x,
        xOffset: { field: "estimator", sort: estimators },
        y: { field: "lo", type: "quantitative", title: "MSE" },
        y2: { field: "hi" },
      },
    },
  ];
  if (annotateBest) {
    layers.push({
      transform: [{ filter: "datum.best != ''" }],
      mark: { type: "text", angle: 270, align: "left", dy: 0, dx: 4, fontSize: 9 },
      encoding: { x, y: { field: "hi", type: "quantitative" }, text: { field: "best" } },
    });
  }
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title,
    width: Math.max(300, 22 * rows.length),
    height: 260,
    data: { values: records(rows, axes) },
    layer: layers,
  };
}

/** MSE against n (log scale), one line per estimator, a panel per combination of the other axes, ±1 MCSE bars. */
export function mseVsN(rows: readonly SummaryRow[], axes: readonly string[], estimators: readonly string[]): Spec {
  return lineVsN(
    "MSE against sample size",
    "mse",
    "lo",
    "hi",
    "MSE (log scale)",
    rows,
    axes,
    estimators,
    { type: "log" },
    null,
  );
}

/** Coverage of the 95% interval against n with the nominal 0.95 line. */
export function coverageVsN(rows: readonly SummaryRow[], axes: readonly string[], estimators: readonly string[]): Spec {
  const withCi = rows.filter((r) => Number.isFinite(r.coverage));
  return lineVsN(
    "Coverage of the 95% interval",
    "coverage",
    "covLo",
    "covHi",
    "Coverage",
    withCi,
    axes,
    estimators,
    { domain: [0, 1] },
    0.95,
  );
}

function lineVsN(
  title: string,
  field: string,
  lo: string,
  hi: string,
  yTitle: string,
  rows: readonly SummaryRow[],
  axes: readonly string[],
  estimators: readonly string[],
  scale: Spec,
  nominal: number | null,
): Spec {
  const panels = axes.filter((a) => a !== "n");
  const x = { field: "n", type: "quantitative", title: "n", scale: { type: "log" } };
  const layers: Spec[] = [
    {
      mark: { type: "line", point: true },
      encoding: { x, y: { field, type: "quantitative", title: yTitle, scale }, color: colour(estimators) },
    },
    {
      mark: { type: "errorbar", ticks: true },
      encoding: {
        x,
        y: { field: lo, type: "quantitative", title: yTitle },
        y2: { field: hi },
        color: colour(estimators),
      },
    },
  ];
  if (nominal !== null)
    layers.push({ mark: { type: "rule", strokeDash: [4, 4], color: "black" }, encoding: { y: { datum: nominal } } });
  const data = records(rows, axes).map((r) => ({
    ...r,
    n: Number(r.n),
    panel: panels.map((a) => `${a}=${r[a]}`).join(" ") || "all",
  }));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title,
    data: { values: data },
    facet: { field: "panel", type: "nominal", title: null, sort: [...new Set(data.map((d) => d.panel as string))] },
    columns: 3,
    spec: { width: 220, height: 160, layer: layers },
  };
}

/** The distribution of estimates per estimator in one cell, with the true effect as a rule. */
export function estimateDistribution(
  cellLabel: string,
  estimates: ReadonlyArray<{ estimator: string; estimate: number }>,
  betaTrue: number,
  estimators: readonly string[],
): Spec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: `Estimates in cell ${cellLabel} (true beta ${betaTrue})`,
    width: Math.max(240, 60 * estimators.length),
    height: 240,
    data: { values: estimates.filter((e) => Number.isFinite(e.estimate)) },
    layer: [
      {
        mark: { type: "boxplot", extent: 1.5 },
        encoding: {
          x: { field: "estimator", type: "nominal", sort: estimators, title: "Estimator", axis: { labelAngle: -30 } },
          y: { field: "estimate", type: "quantitative", title: "Estimate" },
          color: colour(estimators),
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
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
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
