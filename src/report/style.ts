/**
 * What every sweep figure shares: the Vega-Lite schema, and one colour and one point shape per
 * estimator, fixed by the configuration's order so an estimator looks the same in every figure.
 */

/** A Vega-Lite specification (kept loose: the objects are plain JSON). */
export type Spec = Record<string, unknown>;

/** The Vega-Lite schema every specification names. */
export const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/** How the error bars are drawn, said in every figure that has them. */
export const ERROR_BARS = "error bars: ±1.96 Monte Carlo SE";

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

const SHAPES = [
  "circle",
  "square",
  "triangle-up",
  "diamond",
  "triangle-down",
  "cross",
  "triangle-right",
  "triangle-left",
];

/** The estimators of `all` (the configuration's order) that are in `drawn`: a legend lists only what a figure shows. */
export function drawnIn(all: readonly string[], drawn: Iterable<string>): string[] {
  const present = new Set(drawn);
  return all.filter((e) => present.has(e));
}

function byEstimator(all: readonly string[], drawn: Iterable<string>, range: readonly string[]) {
  const domain = drawnIn(all, drawn);
  return {
    field: "estimator",
    type: "nominal",
    title: "Estimator",
    scale: { domain, range: domain.map((e) => range[all.indexOf(e) % range.length]) },
  };
}

/** The colour encoding: the drawn estimators, each in its configuration-wide colour. */
export function colour(all: readonly string[], drawn: Iterable<string>): Spec {
  return byEstimator(all, drawn, PALETTE);
}

/** The shape encoding, alongside colour (one merged legend), so coinciding estimators stay distinguishable. */
export function shape(all: readonly string[], drawn: Iterable<string>): Spec {
  return byEstimator(all, drawn, SHAPES);
}

/** Ticks 1, 2, 5 × 10^k (finer within a decade) from `lo` to `hi`: a log axis labelled without crowding. */
export function logTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  for (let k = Math.floor(Math.log10(lo)); k <= Math.ceil(Math.log10(hi)); k++)
    for (const m of [1, 2, 5])
      if (m * 10 ** k >= lo && m * 10 ** k <= hi) ticks.push(Number((m * 10 ** k).toPrecision(1)));
  return ticks;
}
